"""Exports every app uses: xlsx (xlsxwriter, constant memory), CSV (Excel-friendly) and PDF (WeasyPrint).

    from sinergi.core.exports import ExportColumn, xlsx_response, csv_response, pdf_response

    COLUMNS = [
        ExportColumn("code", _("Code"), kind="identity"),      # written as text: never 3.5e15
        ExportColumn("name", _("Name")),
        ExportColumn("parent.name", _("Parent")),              # dotted paths follow attributes
        ExportColumn(lambda unit: unit.children.count(), _("Children"), kind="int"),
        ExportColumn("created_at", _("Created"), kind="datetime"),
    ]
    return xlsx_response(filename="units.xlsx", sheet_title=_("Units"), columns=COLUMNS,
                         rows=selectors.unit_list(viewer=request.user).iterator())

`rows` may be model instances, dicts or any objects; a column's key is an attribute/dict path
("parent.name" or "parent__name") or a callable taking the row. Pass an iterator for big exports:
nothing is kept in memory but the first rows (used to size the columns).

Exports that can grow big (budget P3: above settings.SINERGI["EXPORT_SYNC_MAX_ROWS"] rows they run
as a background job) are declared as an export source in the app's `exports.py` (autodiscovered):

    register_source(ExportSource(
        code="audit.events", title=_("Audit log"), permission="audit.view_auditevent",
        columns=COLUMNS, filename="log-audit", timestamped=True,
        rows=lambda viewer, params: selectors.event_list(viewer=viewer, ...).iterator(2000),
        count_hint=lambda viewer, params: count_up_to(selectors.event_list(...), sync_limit()),
    ))

and the view answers with `sinergi.core.export_views.export_or_enqueue(request, "audit.events",
params, "xlsx")`: the file itself when small, else a job page with a progress bar. `params` are the
filters as JSON; `rows(viewer, params)` must scope to `viewer` (the background job runs it again as
the person who asked, after checking the permission once more). Every export is audited.
"""

import csv
import datetime as dt
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Literal

import xlsxwriter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from sinergi.core.formatting import long_date

Kind = Literal["text", "identity", "int", "decimal", "money", "date", "datetime", "bool"]
KINDS: tuple[str, ...] = ("text", "identity", "int", "decimal", "money", "date", "datetime", "bool")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
PDF_CONTENT_TYPE = "application/pdf"

# Excel number formats. The displayed separators follow the reader's locale (id: 1.500.000,00).
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
MONEY_FORMAT = '"Rp" #,##0.00'
TEXT_FORMAT = "@"

XLSX_MAX_STRING = 32767  # Excel's limit for one cell
XLSX_MAX_DATA_ROWS = 1_048_575  # Excel's rows per sheet, less the header row
_END = object()
_SIZING_ROWS = 200  # rows looked at to choose column widths
_DEFAULT_WIDTHS = {
    "identity": 20,
    "int": 10,
    "decimal": 14,
    "money": 18,
    "date": 12,
    "datetime": 17,
    "bool": 8,
}


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: where the value comes from, its header and how to write it."""

    key: str | Callable[[Any], Any]
    header: Any  # str or lazy translation
    kind: Kind = "text"
    width: float | None = None  # in Excel character units; estimated when None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown export column kind {self.kind!r}; use one of {KINDS}")

    def getter(self, sample: Any = None) -> Callable[[Any], Any]:
        """A fast function giving this column's value, for rows shaped like `sample`.

        A plain attribute (or dict key) of `sample` is read with a C-level getter; dotted paths,
        methods and callables go through `value`."""
        if callable(self.key) or sample is None:
            return self.key if callable(self.key) else self.value
        name = self.key.replace("__", ".")
        if "." in name:
            return self.value
        if isinstance(sample, dict):
            return self.value if callable(sample.get(name)) else operator.methodcaller("get", name)
        if not hasattr(sample, name) or callable(getattr(sample, name)):
            return self.value
        return operator.attrgetter(name)

    def value(self, row: Any) -> Any:
        if callable(self.key):
            return self.key(row)
        value = row
        for part in self.key.replace("__", ".").split("."):
            if value is None:
                return None
            value = value.get(part) if isinstance(value, dict) else getattr(value, part)
        return value() if callable(value) else value


class TooManyRows(Exception):
    """More rows than one Excel sheet holds; the message tells the user what to do instead."""

    def __init__(self) -> None:
        self.message = _(
            "The export has more than %(max)s rows, more than one Excel sheet can hold. Narrow the "
            "filter, or export to CSV instead."
        ) % {"max": f"{XLSX_MAX_DATA_ROWS:,}".replace(",", ".")}
        super().__init__(self.message)


def _as_naive_local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return _as_naive_local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return float(Decimal(str(value)))


def _estimate_width(column: ExportColumn, sample: Sequence[Any]) -> float:
    if column.width is not None:
        return column.width
    longest = len(str(column.header))
    if column.kind in ("text", "identity"):
        for value in sample:
            longest = max(longest, len(_as_text(value)))
    else:
        longest = max(longest, _DEFAULT_WIDTHS[column.kind])
    return float(min(max(longest + 2, 8), 60))


def write_xlsx(
    fileobj: IO[bytes] | str,
    *,
    sheet_title: Any,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
) -> int:
    """Write one sheet (bold frozen header, typed cells) to `fileobj`; return the number of rows.

    Identity columns (NIK, NIP, KK, account numbers, region codes) are always text cells.
    """
    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
    )
    try:
        return _write_sheet(workbook, str(sheet_title), columns, rows)
    finally:
        workbook.close()


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    sheet_title: str,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
) -> int:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    safe_title = "".join("-" if ch in "[]:*?/\\" else ch for ch in sheet_title)[:31] or "Sheet1"
    sheet = workbook.add_worksheet(safe_title)
    header_format = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    formats = {
        "identity": workbook.add_format({"num_format": TEXT_FORMAT}),
        "int": workbook.add_format({"num_format": INT_FORMAT}),
        "decimal": workbook.add_format({"num_format": DECIMAL_FORMAT}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
    }

    iterator: Iterator[Any] = iter(rows)
    head = list(itertools.islice(iterator, _SIZING_ROWS))
    for index, column in enumerate(columns):
        sample = [column.value(row) for row in head] if column.kind in ("text", "identity") else []
        sheet.set_column(
            index, index, _estimate_width(column, sample), formats.get(column.kind) or None
        )
        sheet.write_string(0, index, str(column.header), header_format)
    sheet.freeze_panes(1, 0)

    # The hot loop (budget P3): one call per cell that reads the value and writes it. Rows and
    # columns are numbers here, so xlsxwriter's undecorated writers (which skip the A1-notation
    # check of the public ones) are used when this version has them.
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    write_datetime = getattr(sheet, "_write_datetime", sheet.write_datetime)
    write_boolean = getattr(sheet, "_write_boolean", sheet.write_boolean)
    first = head[0] if head else None

    def text_cell(get: Callable[[Any], Any], fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, row: Any) -> None:
            value = get(row)
            if value.__class__ is str:
                if value:
                    write_string(r, c, value[:XLSX_MAX_STRING], fmt)
            elif value is not None:
                write_string(r, c, _as_text(value)[:XLSX_MAX_STRING], fmt)

        return write

    def number_cell(get: Callable[[Any], Any], fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, row: Any) -> None:
            value = get(row)
            if value.__class__ is int:
                write_number(r, c, value, fmt)
            elif (number := _number(value)) is not None:
                write_number(r, c, number, fmt)

        return write

    def date_cell(get: Callable[[Any], Any], fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, row: Any) -> None:
            value = get(row)
            if value is None or value == "":
                return
            if isinstance(value, dt.datetime):
                value = _as_naive_local(value)
            if isinstance(value, dt.date):
                write_datetime(r, c, value, fmt)
            else:
                write_string(r, c, str(value), None)

        return write

    def bool_cell(get: Callable[[Any], Any]) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, row: Any) -> None:
            value = get(row)
            if value is not None and value != "":
                write_boolean(r, c, bool(value), None)

        return write

    plan: list[tuple[int, Callable[[int, int, Any], None]]] = []
    for index, column in enumerate(columns):
        get = column.getter(first)
        if column.kind in ("text", "identity"):
            plan.append((index, text_cell(get, formats.get(column.kind))))
        elif column.kind in ("int", "decimal", "money"):
            plan.append((index, number_cell(get, formats[column.kind])))
        elif column.kind in ("date", "datetime"):
            plan.append((index, date_cell(get, formats[column.kind])))
        else:
            plan.append((index, bool_cell(get)))

    count = 0
    source = itertools.chain(head, iterator)
    for count, row in enumerate(itertools.islice(source, XLSX_MAX_DATA_ROWS), start=1):
        for c, write in plan:
            write(count, c, row)
    if next(source, _END) is not _END:
        raise TooManyRows
    if count:
        sheet.autofilter(0, 0, count, max(len(columns) - 1, 0))
    return count


def _attachment(
    response: HttpResponse, filename: str, *, as_attachment: bool = True
) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


def _with_extension(filename: str, extension: str) -> str:
    return filename if filename.lower().endswith(extension) else f"{filename}{extension}"


def xlsx_response(
    *,
    filename: str,
    sheet_title: Any,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
) -> HttpResponse:
    """An .xlsx download of `rows` (see write_xlsx). The filename must not carry personal data."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet_title=sheet_title, columns=columns, rows=rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, _with_extension(filename, ".xlsx"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: Any, *, decimal_comma: bool, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("decimal", "money", "int") and not isinstance(value, bool):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    text = _as_text(value)
    # A text cell starting like a formula would run as one when Excel opens the file.
    if kind == "text" and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(
    fileobj: IO[str],
    *,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
    delimiter: str = ";",
    decimal_comma: bool | None = None,
) -> int:
    """Write a header line and one line per row to a text file object; return the number of rows.

    The default `;` delimiter and decimal comma are what Excel in an Indonesian locale expects; use
    `delimiter=","` (decimal point) for other programs. Dates are written dd-mm-yyyy.
    """
    if delimiter not in (",", ";", "\t"):
        raise ValueError("delimiter must be ',', ';' or a tab")
    comma = (delimiter != ",") if decimal_comma is None else decimal_comma
    writer = csv.writer(fileobj, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([str(c.header) for c in columns])
    plan = [(c.value, c.kind) for c in columns]
    count = 0
    for row in rows:
        writer.writerow([_csv_text(get(row), decimal_comma=comma, kind=kind) for get, kind in plan])
        count += 1
    return count


def csv_response(
    *,
    filename: str,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
    delimiter: str = ";",
    decimal_comma: bool | None = None,
) -> HttpResponse:
    """A UTF-8 (with BOM, so Excel reads it as UTF-8) CSV download of `rows`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    write_csv(buffer, columns=columns, rows=rows, delimiter=delimiter, decimal_comma=decimal_comma)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, _with_extension(filename, ".csv"))


def _css_string(text: Any) -> str:
    """A CSS string literal (for `content:`), with quotes, backslashes and line breaks escaped."""
    value = re.sub(r"\s+", " ", str(text))
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return f'"{escaped}"'


def _page_counter_css() -> str:
    """`"Halaman " counter(page) " dari " counter(pages)` from the translated "Page %s of %s"."""
    text = _("Page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = []
    for piece in text.split("\x00"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def render_pdf(
    *,
    template: str,
    context: dict[str, Any],
    request: HttpRequest | None = None,
    base_url: str | None = None,
) -> bytes:
    """Render an HTML template extending `core/pdf/base.html` to A4 PDF bytes with WeasyPrint.

    The context should carry `title` (the report title); the base template adds the office name,
    the printed-at date and "Halaman X dari Y" page numbers, and repeats table headers on every page.
    """
    from weasyprint import HTML  # imported late: it loads Pango, which pages never need

    full_context = {
        "office_name": settings.SINERGI["OFFICE_NAME"],
        "printed_on": long_date(timezone.now()),
        **context,
    }
    full_context.update(
        css_office_name=_css_string(full_context["office_name"]),
        css_title=_css_string(full_context.get("title", "")),
        css_printed_on=_css_string(_("Printed on %(date)s") % {"date": full_context["printed_on"]}),
        css_page_counter=_page_counter_css(),
    )
    html = render_to_string(template, full_context, request=request)
    if base_url is None:
        base_url = (
            request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
        )
    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def pdf_response(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    filename: str,
    as_attachment: bool = True,
) -> HttpResponse:
    """A PDF download (or inline view) rendered from `template` (see render_pdf)."""
    content = render_pdf(template=template, context=context, request=request)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    return _attachment(response, _with_extension(filename, ".pdf"), as_attachment=as_attachment)


# --- Export sources: exports that may run as a background job ------------------------------------

EXPORT_FORMATS = ("xlsx", "csv")


def sync_limit() -> int:
    """Exports estimated above this many rows run as a background job (budget P3)."""
    limit: Any = settings.SINERGI.get("EXPORT_SYNC_MAX_ROWS", 20_000)
    return int(limit)


def count_up_to(queryset: Any, limit: int) -> int:
    """The rows of `queryset`, counted no further than `limit + 1` (never a COUNT over a big table).

    A count hint only has to say "small enough to answer now" or not; `limit + 1` means "more".
    """
    return int(queryset.order_by()[: limit + 1].count())


@dataclass(frozen=True)
class ExportSource:
    """An export an app offers: its columns, and its rows for one viewer and filter (`params`).

    `rows(viewer, params)` returns an iterable (a queryset's `.iterator()` for big ones), scoped to
    `viewer` like every selector. `count_hint(viewer, params)` estimates the rows cheaply (see
    `count_up_to`). Without a hint (None), a source whose rows are a list is measured by its
    length; any other source without a hint is always written at once, so give big ones a hint.
    Every export is audited once, with the source, the filters and the row count: core's event
    "core.data_exported" (kind "read" when `personal_data`, else "security"), or the app's own when
    it gives `record_export(actor=, params=, file_format=, rows=)`.
    """

    code: str  # "audit.events"
    title: Any  # a lazy translation: the job page and "My exports" show it
    permission: str  # "audit.view_auditevent"
    columns: Sequence[ExportColumn]
    rows: Callable[[Any, dict[str, Any]], Iterable[Any]]
    count_hint: Callable[[Any, dict[str, Any]], int | None] = field(
        default=lambda viewer, params: None
    )
    filename: str = "ekspor"  # the download name without extension; never personal data
    timestamped: bool = False  # append -YYYYMMDD-HHMM (local time) to the download name
    sheet_title: Any = None  # default: the title
    # Rows about people (clients, staff, pillars): the export is audited as a read of personal data.
    personal_data: bool = False
    record_export: Callable[..., Any] | None = None

    def download_name(self, file_format: str, *, at: dt.datetime | None = None) -> str:
        name = self.filename
        if self.timestamped:
            name = f"{name}-{timezone.localtime(at or timezone.now()):%Y%m%d-%H%M}"
        return f"{name}.{file_format}"

    def write(self, fileobj: Any, *, file_format: str, rows: Iterable[Any]) -> int:
        """Write `rows` as `file_format` to a binary file object; return the number of rows."""
        if file_format == "xlsx":
            return write_xlsx(
                fileobj,
                sheet_title=self.sheet_title or self.title,
                columns=self.columns,
                rows=rows,
            )
        if file_format != "csv":
            raise ValueError(f"unknown export format {file_format!r}")
        text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="", write_through=True)
        try:
            text.write("\ufeff")  # so Excel reads the file as UTF-8
            return write_csv(text, columns=self.columns, rows=rows)
        finally:
            text.flush()
            text.detach()


_sources: dict[str, ExportSource] = {}


def register_source(source: ExportSource) -> ExportSource:
    """Declare an export source (from the app's exports.py). Registering it again replaces it."""
    if not source.code or not source.permission or not source.columns:
        raise ValueError(f"{source.code!r}: an export source needs code, permission and columns")
    _sources[source.code] = source
    return source


def unregister_source(code: str) -> None:
    _sources.pop(code, None)


def get_source(code: str) -> ExportSource | None:
    return _sources.get(code)


def sources_for(user: Any) -> list[ExportSource]:
    """The sources whose permission `user` holds."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [s for _code, s in sorted(_sources.items()) if user.has_perm(s.permission)]


def can_export_anything(user: Any) -> bool:
    return bool(sources_for(user))

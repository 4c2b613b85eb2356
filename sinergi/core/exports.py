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
nothing is kept in memory but the first rows (used to size the columns). Above
settings.SINERGI["EXPORT_SYNC_MAX_ROWS"] rows an export should run as a background job (budget P3).
"""

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
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

    def value(self, row: Any) -> Any:
        if callable(self.key):
            return self.key(row)
        value = row
        for part in self.key.replace("__", ".").split("."):
            if value is None:
                return None
            value = value.get(part) if isinstance(value, dict) else getattr(value, part)
        return value() if callable(value) else value


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
    getters = [c.value for c in columns]
    for index, column in enumerate(columns):
        sample = [column.value(row) for row in head] if column.kind in ("text", "identity") else []
        sheet.set_column(
            index, index, _estimate_width(column, sample), formats.get(column.kind) or None
        )
        sheet.write_string(0, index, str(column.header), header_format)
    sheet.freeze_panes(1, 0)

    write_string = sheet.write_string
    write_number = sheet.write_number
    write_datetime = sheet.write_datetime
    write_boolean = sheet.write_boolean

    def text_writer(fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, value: Any) -> None:
            if value is not None and value != "":
                text = value if isinstance(value, str) else _as_text(value)
                write_string(r, c, text[:XLSX_MAX_STRING], fmt)

        return write

    def number_writer(fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, value: Any) -> None:
            number = _number(value)
            if number is not None:
                write_number(r, c, number, fmt)

        return write

    def date_writer(fmt: Any) -> Callable[[int, int, Any], None]:
        def write(r: int, c: int, value: Any) -> None:
            if value is None or value == "":
                return
            if isinstance(value, dt.datetime):
                value = _as_naive_local(value)
            if isinstance(value, dt.date):
                write_datetime(r, c, value, fmt)
            else:
                write_string(r, c, str(value))

        return write

    def bool_writer(r: int, c: int, value: Any) -> None:
        if value is not None and value != "":
            write_boolean(r, c, bool(value))

    writers: list[Callable[[int, int, Any], None]] = []
    for column in columns:
        if column.kind in ("text", "identity"):
            writers.append(text_writer(formats.get(column.kind)))
        elif column.kind in ("int", "decimal", "money"):
            writers.append(number_writer(formats[column.kind]))
        elif column.kind in ("date", "datetime"):
            writers.append(date_writer(formats[column.kind]))
        else:
            writers.append(bool_writer)
    plan = list(enumerate(zip(getters, writers, strict=True)))

    count = 0
    for count, row in enumerate(itertools.chain(head, iterator), start=1):
        for c, (get, write) in plan:
            write(count, c, get(row))
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

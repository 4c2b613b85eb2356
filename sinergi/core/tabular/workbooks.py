"""Workbooks the import pages hand out: the errors file and the template with sample rows."""

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext as _

from sinergi.core.exports import DATE_FORMAT, TEXT_FORMAT, XLSX_MAX_STRING
from sinergi.core.tabular.columns import cell_as_text
from sinergi.core.tabular.engine import normalise_header
from sinergi.core.tabular.readers import inspect_file, open_sheet
from sinergi.core.tabular.spec import ImportSpec

_TEMPLATE_TEXT_ROWS = 5000  # rows pre-formatted as text in identity columns of the template


def _identity_positions(spec: ImportSpec, headers: list[str]) -> set[int]:
    identity = set()
    for column in spec.columns:
        if column.kind != "identity":
            continue
        names = {normalise_header(n) for n in (column.key, column.label(), *column.aliases)}
        for index, header in enumerate(headers):
            if normalise_header(header) in names:
                identity.add(index)
    return identity


def write_errors_xlsx(
    fileobj: IO[bytes], *, spec: ImportSpec, path: Path, filename: str, errors: list[dict[str, Any]]
) -> int:
    """The rows of the original file that have errors, with their values as uploaded plus the
    row number and the messages, so the user can fix them. Returns the number of rows written."""
    by_row: dict[int, list[str]] = defaultdict(list)
    general: list[str] = []
    for error in errors:
        text = f"{error['column']}: {error['message']}" if error.get("column") else error["message"]
        if error.get("row"):
            by_row[int(error["row"])].append(text)
        else:
            general.append(text)
    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
    )
    written = 0
    try:
        sheet = workbook.add_worksheet(_("Errors")[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#F8D7DA", "border": 1})
        text_format = workbook.add_format({"num_format": TEXT_FORMAT})
        date_format = workbook.add_format({"num_format": DATE_FORMAT})
        wrap = workbook.add_format({"text_wrap": True, "font_color": "#842029"})
        sheet.set_column(0, 0, 7)
        sheet.set_column(1, 1, 60, wrap)

        def write_header(headers: list[str], identity: set[int]) -> None:
            sheet.write_string(0, 0, _("Row"), bold)
            sheet.write_string(0, 1, _("Errors"), bold)
            for index, header in enumerate(headers):
                sheet.write_string(0, index + 2, header, bold)
                sheet.set_column(
                    index + 2,
                    index + 2,
                    max(12, min(len(header) + 4, 40)),
                    text_format if index in identity else None,
                )
            sheet.freeze_panes(1, 2)
            for offset, text in enumerate(general, start=1):
                sheet.write_string(offset, 1, text[:XLSX_MAX_STRING], wrap)

        if not by_row:
            write_header([], set())
            return 0
        info = inspect_file(path, filename)
        with open_sheet(path, info) as source:
            headers = source.headers
            identity = _identity_positions(spec, headers)
            write_header(headers, identity)
            row_index = len(general) + 1
            for number, cells in source.rows:
                messages = by_row.get(number)
                if not messages:
                    continue
                sheet.write_number(row_index, 0, number)
                sheet.write_string(row_index, 1, "\n".join(messages)[:XLSX_MAX_STRING], wrap)
                for index, value in enumerate(cells[: len(headers)]):
                    column = index + 2
                    if value is None or value == "":
                        continue
                    if index in identity or isinstance(value, str):
                        sheet.write_string(row_index, column, cell_as_text(value)[:XLSX_MAX_STRING])
                    elif isinstance(value, bool):
                        sheet.write_boolean(row_index, column, value)
                    elif isinstance(value, int | float):
                        sheet.write_number(row_index, column, value)
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(row_index, column, value, date_format)
                    else:
                        sheet.write_string(row_index, column, cell_as_text(value))
                row_index += 1
                written += 1
    finally:
        workbook.close()
    return written


def write_template_xlsx(fileobj: IO[bytes], *, spec: ImportSpec) -> None:
    """The empty layout of an import: headers, sample rows and an instructions sheet.

    Identity columns are pre-formatted as Text so Excel keeps every digit of what is typed there.
    """
    workbook = xlsxwriter.Workbook(
        fileobj, {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        sheet = workbook.add_worksheet(_("Data")[:31])
        header_required = workbook.add_format({"bold": True, "bg_color": "#CFE2FF", "border": 1})
        header_optional = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        text_format = workbook.add_format({"num_format": TEXT_FORMAT})
        date_format = workbook.add_format({"num_format": DATE_FORMAT})
        for index, column in enumerate(spec.columns):
            width = max(len(column.key), len(column.label())) + 4
            fmt = text_format if column.kind == "identity" else None
            sheet.set_column(index, index, min(max(width, 12), 40), fmt)
            sheet.write_string(
                0, index, column.key, header_required if column.required else header_optional
            )
            sheet.write_comment(0, index, f"{column.label()}: {column.format_hint()}")
            if column.choices:
                labels = column.choice_labels()
                if sum(len(v) + 1 for v in labels) < 255:
                    sheet.data_validation(
                        1,
                        index,
                        _TEMPLATE_TEXT_ROWS,
                        index,
                        {"validate": "list", "source": labels, "ignore_blank": True},
                    )
        sheet.freeze_panes(1, 0)
        for row_index, sample in enumerate(spec.sample_rows, start=1):
            for index, column in enumerate(spec.columns):
                value = sample.get(column.key)
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(row_index, index, value, date_format)
                elif isinstance(value, bool):
                    sheet.write_string(row_index, index, "ya" if value else "tidak")
                elif isinstance(value, int | float) and column.kind in ("int", "decimal"):
                    sheet.write_number(row_index, index, value)
                else:
                    fmt = text_format if column.kind == "identity" else None
                    sheet.write_string(row_index, index, str(value), fmt)

        guide = workbook.add_worksheet(_("Instructions")[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        guide.set_column(0, 0, 22)
        guide.set_column(1, 1, 30)
        guide.set_column(2, 2, 10)
        guide.set_column(3, 3, 60)
        guide.write_string(
            0, 0, str(spec.title), workbook.add_format({"bold": True, "font_size": 13})
        )
        if spec.description:
            guide.write_string(1, 0, str(spec.description))
        header_row = 3
        for index, title in enumerate(
            [_("Column"), _("Meaning"), _("Required"), _("How to fill it in")]
        ):
            guide.write_string(header_row, index, title, bold)
        for offset, column in enumerate(spec.columns, start=1):
            hint = column.format_hint()
            if column.help_text:
                hint = f"{column.help_text} {hint}"
            guide.write_string(header_row + offset, 0, column.key, wrap)
            guide.write_string(header_row + offset, 1, column.label(), wrap)
            guide.write_string(
                header_row + offset, 2, _("Yes") if column.required else _("No"), wrap
            )
            guide.write_string(header_row + offset, 3, hint, wrap)
        notes_row = header_row + len(spec.columns) + 2
        notes = [
            _("Keep the first row of the Data sheet as it is: it holds the column headers."),
            _(
                "Identity numbers (NIK, NIP, KK, account numbers, region codes) must be typed in "
                "cells formatted as Text, or Excel drops digits."
            ),
            _("Dates are written dd-mm-yyyy, e.g. 31-12-2024."),
            _("Importing the same file again changes nothing: rows are matched by %(key)s.")
            % {"key": ", ".join(spec.natural_key) or "-"},
        ]
        for offset, note in enumerate(notes):
            guide.write_string(notes_row + offset, 0, f"• {note}")
    finally:
        workbook.close()

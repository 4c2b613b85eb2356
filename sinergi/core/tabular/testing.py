"""Test helpers for imports: build spreadsheet files in memory and push them through the flow."""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core.models import ImportBatch
from sinergi.core.tabular import services


def csv_bytes(rows: Sequence[Sequence[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, sheet: str = "Data") -> bytes:
    """An .xlsx whose cells keep the Python types: str -> text, int/float -> number, date -> date."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                worksheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                worksheet.write_string(r, c, value)
            elif isinstance(value, bool):
                worksheet.write_boolean(r, c, value)
            else:
                worksheet.write_number(r, c, value)
    workbook.close()
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def upload_and_validate(*, actor: Any, spec_code: str, name: str, content: bytes) -> ImportBatch:
    """Create a batch from `content` and validate it now (whatever its size)."""
    batch = services.batch_create(actor=actor, spec_code=spec_code, upload=upload(name, content))
    return services.batch_validate(actor=actor, batch_id=batch.pk)


def import_file(*, actor: Any, spec_code: str, name: str, content: bytes) -> ImportBatch:
    """Upload, validate and apply; fails loudly when the file has errors."""
    batch = upload_and_validate(actor=actor, spec_code=spec_code, name=name, content=content)
    if batch.status != ImportBatch.Status.VALIDATED:
        raise AssertionError(f"import not valid: {batch.message} {batch.errors[:5]}")
    return services.batch_apply(actor=actor, batch_id=batch.pk)

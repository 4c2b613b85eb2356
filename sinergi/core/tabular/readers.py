"""Reading uploaded spreadsheets: CSV with the csv module (streaming), XLSX/XLS/ODS with calamine.

`inspect_file` looks at the bytes (never trusting the file name alone) and says what the file is, or
raises SpreadsheetError with a message for the user. `open_sheet` then yields the header and the
rows, each with the row number the user sees in Excel (the header is row 1).
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
_CHUNK = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
_BINARY_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"BM", "image"),
    (b"RIFF", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"\x1f\x8b", "archive"),
)


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; `message` tells the user what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class FileInfo:
    format: str  # "csv", "xlsx", "xls" or "ods"
    estimated_rows: int  # data rows (without the header), for progress and sync/background choice
    encoding: str = ""
    delimiter: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (row number as Excel shows it, cells)
    info: FileInfo


def _extension(filename: str) -> str:
    return Path(filename).suffix.lower()


def _kind_name(kind: str) -> str:
    return {
        "pdf": _("a PDF document"),
        "image": _("an image"),
        "archive": _("a compressed archive"),
        "document": _("a word-processor document or another zip file"),
        "html": _("a web page"),
        "binary": _("a binary file"),
        "text": _("plain text (CSV)"),
        "xlsx": _("an Excel workbook (.xlsx)"),
        "xls": _("an old Excel workbook (.xls)"),
        "ods": _("an OpenDocument spreadsheet (.ods)"),
    }.get(kind, kind)


def _not_a_spreadsheet(filename: str, kind: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "“%(name)s” is %(kind)s, not a spreadsheet. Upload the spreadsheet itself "
            "(.xlsx, .xls, .ods or .csv); download the template if you need one."
        )
        % {"name": filename, "kind": _kind_name(kind)}
    )


def _mismatch(filename: str, kind: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "“%(name)s” is named like a different kind of file than it is (its content is "
            "%(kind)s). Open it in Excel or LibreOffice, save it as .xlsx or .csv, then upload it "
            "again."
        )
        % {"name": filename, "kind": _kind_name(kind)}
    )


def check_extension(filename: str) -> None:
    if _extension(filename) not in SPREADSHEET_EXTENSIONS:
        raise SpreadsheetError(
            _(
                "“%(name)s” is not a spreadsheet file. Upload an .xlsx, .xls, .ods or .csv file; "
                "download the template if you need one."
            )
            % {"name": filename}
        )


def _content_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return "xlsx"
                if "mimetype" in names:
                    mimetype = archive.read("mimetype")
                    if b"opendocument.spreadsheet" in mimetype:
                        return "ods"
        except zipfile.BadZipFile:
            return "damaged"
        return "document"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    for magic, kind in _BINARY_KINDS:
        if head.startswith(magic):
            return kind
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if b"\x00" in head:
        return "binary"
    return "text"


def _count_lines_and_encoding(path: Path) -> tuple[int, str]:
    """Count line breaks and find the encoding (UTF-8 with or without BOM, else cp1252)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    last = b""
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(_CHUNK):
            if first:
                first = False
                if chunk.startswith(codecs.BOM_UTF8):
                    chunk = chunk[len(codecs.BOM_UTF8) :]
                    bom = True
                else:
                    bom = False
            lines += chunk.count(b"\n")
            last = chunk[-1:] or last
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if last and last != b"\n":
        lines += 1
    encoding = ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"
    return lines, encoding


def _detect_delimiter(first_line: str) -> str:
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_row_estimate(path: Path) -> int | None:
    """Rows of the first sheet from its <dimension> element, without parsing the sheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not names:
                return None
            with archive.open(names[0]) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    match = _DIMENSION.search(head)
    return max(int(match.group(1)) - 1, 0) if match else None


def inspect_file(path: Path, filename: str) -> FileInfo:
    """What the uploaded file is (by content) and about how many rows it has, or SpreadsheetError."""
    check_extension(filename)
    extension = _extension(filename)
    kind = _content_kind(path)
    if kind == "empty":
        raise SpreadsheetError(
            _("“%(name)s” is empty. Fill in the template and upload it again.") % {"name": filename}
        )
    if kind == "damaged":
        raise SpreadsheetError(_damaged_message())
    if kind in ("pdf", "image", "archive", "document", "binary"):
        raise _not_a_spreadsheet(filename, kind)
    if kind == "html":
        raise SpreadsheetError(
            _(
                "“%(name)s” is a web page saved with a spreadsheet name (some applications export "
                "like this). Open it in Excel, save it as .xlsx, then upload it again."
            )
            % {"name": filename}
        )
    expected = {
        ".csv": "text",
        ".txt": "text",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".xls": "xls",
        ".ods": "ods",
    }[extension]
    if kind != expected and not (extension == ".xls" and kind == "xlsx"):
        raise _mismatch(filename, kind)
    size = path.stat().st_size
    if kind == "text":
        lines, encoding = _count_lines_and_encoding(path)
        with path.open("r", encoding=encoding, newline="") as handle:
            first_line = handle.readline()
        details: dict[str, Any] = {}
        if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
            delimiter = first_line.strip()[4]
            details["skip_first_line"] = True
            lines -= 1
        else:
            delimiter = _detect_delimiter(first_line)
        return FileInfo(
            format="csv",
            estimated_rows=max(lines - 1, 0),
            encoding=encoding,
            delimiter=delimiter,
            details=details,
        )
    estimate = _xlsx_row_estimate(path) if kind == "xlsx" else None
    if estimate is None:
        estimate = size // 40  # a rough guess: small rows of a few columns
    return FileInfo(format=kind, estimated_rows=estimate)


def _clean_header(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


@contextmanager
def open_sheet(path: Path, info: FileInfo) -> Iterator[Sheet]:
    """The header and the rows of the file (the first sheet of a workbook)."""
    if info.format == "csv":
        errors = "replace" if info.encoding == "cp1252" else "strict"
        with path.open("r", encoding=info.encoding, newline="", errors=errors) as handle:
            if info.details.get("skip_first_line"):
                handle.readline()
            reader = csv.reader(handle, delimiter=info.delimiter)
            try:
                first_row = next(reader, None)
            except csv.Error as exc:
                raise SpreadsheetError(_csv_problem(exc)) from exc
            if first_row is None:
                raise SpreadsheetError(
                    _("The file is empty. Fill in the template and upload it again.")
                )
            yield Sheet([_clean_header(h) for h in first_row], _csv_rows(reader), info)
        return
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = [
            m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")
        ] or workbook.sheet_names
        if not sheet_names:
            raise SpreadsheetError(_("The workbook has no sheets. Upload a workbook with data."))
        sheet = workbook.get_sheet_by_name(sheet_names[0])
    except PasswordError as exc:
        raise SpreadsheetError(
            _(
                "The workbook is protected with a password. Remove the password, save, and upload again."
            )
        ) from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise SpreadsheetError(_damaged_message()) from exc
    try:
        info.details["sheet"] = sheet.name
        # python-calamine yields rows from the top of the sheet (row 1), so the index gives the
        # row number Excel shows; the header is the first row that is not empty.
        rows = enumerate(sheet.iter_rows(), start=1)
        header_cells: list[Any] | None = None
        for _number, cells in rows:
            if any(c not in ("", None) for c in cells):
                header_cells = list(cells)
                break
        if header_cells is None:
            raise SpreadsheetError(
                _("The file is empty. Fill in the template and upload it again.")
            )
        yield Sheet([_clean_header(h) for h in header_cells], rows, info)
    finally:
        workbook.close()


def _damaged_message() -> str:
    return _(
        "The workbook could not be read (it may be damaged). Open it in Excel or LibreOffice, "
        "save it again as .xlsx, then upload it again."
    )


def _csv_problem(exc: Exception) -> str:
    return _(
        "The CSV file could not be read (%(problem)s). Save it again from Excel as “CSV UTF-8” and "
        "upload it again."
    ) % {"problem": str(exc)[:100]}


def _csv_rows(reader: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            yield number, row
    except csv.Error as exc:
        raise SpreadsheetError(_csv_problem(exc)) from exc
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _(
                "Row %(row)d of the file has characters that are not valid text. Save the file "
                "from Excel as “CSV UTF-8” and upload it again."
            )
            % {"row": number + 1}
        ) from exc


def read_all(path: Path, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and rows of a small file, for tests and previews."""
    info = inspect_file(path, filename)
    with open_sheet(path, info) as sheet:
        return sheet.headers, [(n, list(cells)) for n, cells in sheet.rows]

import csv
import datetime as dt
import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation
from python_calamine import CalamineWorkbook

from sinergi.core.exports import (
    ExportColumn,
    csv_response,
    pdf_response,
    render_pdf,
    write_xlsx,
    xlsx_response,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass
class Person:
    nik: str
    name: str
    born_on: dt.date | None
    aid: Decimal | None
    children: int | None
    active: bool
    registered_at: dt.datetime | None
    unit: dict


PEOPLE = [
    Person(
        nik="3578010101900001",
        name="Siti Aminah",
        born_on=dt.date(1990, 1, 1),
        aid=Decimal("1500000.00"),
        children=2,
        active=True,
        registered_at=dt.datetime(2024, 3, 5, 1, 30, tzinfo=dt.UTC),
        unit={"name": "UPT PSTW Magetan"},
    ),
    Person(
        nik="0012345678901234",
        name="=HYPERLINK(evil)",
        born_on=None,
        aid=Decimal("1234.56"),
        children=None,
        active=False,
        registered_at=None,
        unit={"name": None},
    ),
]

COLUMNS = [
    ExportColumn("nik", "NIK", kind="identity"),
    ExportColumn("name", "Nama"),
    ExportColumn("born_on", "Tanggal lahir", kind="date"),
    ExportColumn("aid", "Bantuan", kind="money"),
    ExportColumn("children", "Anak", kind="int"),
    ExportColumn("active", "Aktif", kind="bool"),
    ExportColumn("registered_at", "Terdaftar", kind="datetime"),
    ExportColumn("unit.name", "Unit"),
    ExportColumn(lambda p: p.name.split()[0], "Panggilan"),
]


def _xlsx_bytes(rows=PEOPLE, columns=COLUMNS):
    buffer = io.BytesIO()
    count = write_xlsx(buffer, sheet_title="Penerima", columns=columns, rows=iter(rows))
    return buffer.getvalue(), count


def test_xlsx_export_keeps_identity_numbers_as_sixteen_digit_text():
    content, count = _xlsx_bytes()
    assert count == 2
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Penerima")
    rows = sheet.to_python()
    assert rows[0] == [
        "NIK",
        "Nama",
        "Tanggal lahir",
        "Bantuan",
        "Anak",
        "Aktif",
        "Terdaftar",
        "Unit",
        "Panggilan",
    ]
    assert rows[1][0] == "3578010101900001"
    assert rows[2][0] == "0012345678901234"


def test_xlsx_export_writes_typed_cells():
    content, _ = _xlsx_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Penerima"]
    first = [cell.value for cell in sheet[2]]
    assert first == [
        "3578010101900001",
        "Siti Aminah",
        dt.datetime(1990, 1, 1),
        1500000,
        2,
        True,
        dt.datetime(2024, 3, 5, 8, 30),  # shown in Asia/Jakarta
        "UPT PSTW Magetan",
        "Siti",
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["C2"].number_format == "dd-mm-yyyy"
    assert sheet["D2"].number_format == '"Rp" #,##0.00'
    assert sheet["E2"].number_format == "#,##0"
    second = [cell.value for cell in sheet[3]]
    assert second == [
        "0012345678901234",
        "=HYPERLINK(evil)",
        None,
        1234.56,
        None,
        False,
        None,
        None,
        "=HYPERLINK(evil)",
    ]
    assert sheet["B3"].data_type == "s"  # a string, never a formula


def test_xlsx_export_has_a_bold_frozen_header_and_column_widths():
    content, _ = _xlsx_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Penerima"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b is True
    assert sheet.column_dimensions["A"].width >= 18
    assert sheet.auto_filter.ref == "A1:I3"


def test_xlsx_export_of_no_rows_still_has_the_header():
    content, count = _xlsx_bytes(rows=[])
    assert count == 0
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows == [[str(c.header) for c in COLUMNS]]


def test_xlsx_export_handles_more_rows_than_the_sizing_sample():
    people = [
        Person(f"35780101019{i:05d}", f"Orang {i}", None, Decimal(i), i, True, None, {})
        for i in range(500)
    ]
    content, count = _xlsx_bytes(rows=people, columns=COLUMNS[:2])
    assert count == 500
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(rows) == 501
    assert rows[500] == ["3578010101900499", "Orang 499"]


def test_xlsx_response_is_an_attachment_with_the_xlsx_type():
    response = xlsx_response(
        filename="penerima", sheet_title="Penerima", columns=COLUMNS, rows=PEOPLE
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="penerima.xlsx"'
    assert response.content[:2] == b"PK"


def test_export_column_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown export column kind"):
        ExportColumn("x", "X", kind="number")  # type: ignore[arg-type]


def test_csv_response_has_a_bom_semicolons_and_decimal_commas_by_default():
    response = csv_response(filename="penerima.csv", columns=COLUMNS, rows=PEOPLE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="penerima.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "NIK"
    assert rows[1] == [
        "3578010101900001",
        "Siti Aminah",
        "01-01-1990",
        "1500000,00",
        "2",
        "Ya",
        "05-03-2024 08:30",
        "UPT PSTW Magetan",
        "Siti",
    ]
    assert rows[2][1] == "'=HYPERLINK(evil)"  # a formula in a text cell is neutralised


def test_csv_response_with_commas_uses_a_decimal_point():
    with translation.override("en"):
        response = csv_response(filename="x", columns=COLUMNS, rows=PEOPLE[1:], delimiter=",")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:6] == ["0012345678901234", "'=HYPERLINK(evil)", "", "1234.56", "", "No"]


def test_csv_rejects_an_unknown_delimiter():
    with pytest.raises(ValueError, match="delimiter"):
        csv_response(filename="x", columns=COLUMNS, rows=[], delimiter="|")


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.django_db
@override_settings(SINERGI={"OFFICE_NAME": "Dinas Sosial Provinsi Jawa Timur"})
def test_pdf_has_the_office_header_and_indonesian_page_numbers():
    rows = [{"name": f"Penerima {i}", "amount": i * 1000} for i in range(120)]
    with translation.override("id"):
        content = render_pdf(
            template="core/pdf/table_report.html",
            context={
                "title": "Daftar Penerima Bantuan",
                "headers": ["Nama", "Jumlah"],
                "rows": [[r["name"], r["amount"]] for r in rows],
            },
        )
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert "DINAS SOSIAL PROVINSI JAWA TIMUR" in text
    assert "Daftar Penerima Bantuan" in text
    assert "Dicetak" in text
    assert "Halaman 1 dari" in text
    pages = text.count("\f")
    assert pages >= 2
    assert f"Halaman 2 dari {pages}" in text
    # the table header is repeated on the second page
    assert text.split("\f")[1].count("Nama") >= 1


@pytest.mark.django_db
def test_pdf_response_is_a_pdf_attachment():
    request = RequestFactory().get("/")
    response = pdf_response(
        request,
        template="core/pdf/table_report.html",
        context={"title": "Uji", "headers": ["A"], "rows": [["1"]]},
        filename="laporan",
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response.content.startswith(b"%PDF")


def test_pdf_header_strings_are_escaped_for_css():
    from sinergi.core.exports import _css_string

    assert _css_string('Dinas "Sosial"\n\\ </style>') == '"Dinas \\"Sosial\\" \\\\ \\3C /style>"'


@pytest.mark.django_db
def test_pdf_is_dated_in_jakarta_time():
    moment = dt.datetime(2020, 11, 3, 18, 0, tzinfo=dt.UTC)  # already 4 November in Jakarta
    assert moment.astimezone(JAKARTA).day == 4
    from unittest import mock

    with (
        translation.override("id"),
        mock.patch("sinergi.core.exports.timezone.now", return_value=moment),
    ):
        content = render_pdf(
            template="core/pdf/table_report.html",
            context={"title": "Uji", "headers": ["A"], "rows": [["1"]]},
        )
    assert "Rabu, 4 November 2020" in _pdf_text(content)


def test_a_column_getter_reads_attributes_keys_methods_and_paths_like_value():
    class Row:
        code = "35.78"
        parent = None

        def label(self):
            return "Kota Surabaya"

    row = Row()
    assert ExportColumn("code", "Kode").getter(row)(row) == "35.78"
    assert ExportColumn("label", "Nama").getter(row)(row) == "Kota Surabaya"
    assert ExportColumn("parent.code", "Induk").getter(row)(row) is None
    assert ExportColumn("missing", "X").getter({"a": 1})({"a": 1}) is None
    assert ExportColumn("a", "A").getter({"a": 1})({"a": 1}) == 1
    assert ExportColumn(lambda r: r.code[:2], "Provinsi").getter(row)(row) == "35"
    assert ExportColumn("code", "Kode").getter(None)(row) == "35.78"


def test_more_rows_than_one_sheet_holds_are_refused_with_advice(monkeypatch):
    from sinergi.core import exports

    monkeypatch.setattr(exports, "XLSX_MAX_DATA_ROWS", 2)
    rows = [{"n": i} for i in range(3)]
    with translation.override("id"), pytest.raises(exports.TooManyRows) as error:
        write_xlsx(io.BytesIO(), sheet_title="Data", columns=[ExportColumn("n", "N")], rows=rows)
    assert error.value.message == (
        "Ekspor berisi lebih dari 2 baris, lebih banyak daripada yang dapat dimuat satu lembar "
        "Excel. Persempit filter, atau ekspor ke CSV."
    )
    assert (
        write_xlsx(io.BytesIO(), sheet_title="D", columns=[ExportColumn("n", "N")], rows=rows[:2])
        == 2
    )

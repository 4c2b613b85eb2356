import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from django.utils import translation

from sinergi.core.tabular.readers import SpreadsheetError, inspect_file, read_all


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def xlsx_bytes(rows, *, sheet="Data", hidden_first=False, start_row=0) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    if hidden_first:
        hidden = workbook.add_worksheet("Tersembunyi")
        hidden.write_row(0, 0, ["bukan", "ini"])
        hidden.hide()
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                worksheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                worksheet.write_string(r, c, value)
            elif value is not None:
                worksheet.write(r, c, value)
    if hidden_first:
        worksheet.activate()
    workbook.close()
    return buffer.getvalue()


def test_csv_with_commas_and_utf8(tmp_path):
    path = write(tmp_path, "a.csv", "kode,nama\nx1,Dinas Sosial\nx2,Panti Wreda Ñ\n".encode())
    headers, rows = read_all(path, "a.csv")
    assert headers == ["kode", "nama"]
    assert rows == [(2, ["x1", "Dinas Sosial"]), (3, ["x2", "Panti Wreda Ñ"])]


def test_csv_with_semicolons_and_a_bom_from_excel(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeffkode;nama\r\nx1;Bidang; Rehsos\r\n".encode())
    headers, rows = read_all(path, "a.csv")
    assert headers == ["kode", "nama"]
    assert rows == [(2, ["x1", "Bidang", " Rehsos"])]


def test_csv_with_tabs(tmp_path):
    path = write(tmp_path, "a.txt", b"kode\tnama\nx1\tA, B\n")
    assert read_all(path, "a.txt") == (["kode", "nama"], [(2, ["x1", "A, B"])])


def test_csv_in_windows_1252_falls_back(tmp_path):
    path = write(tmp_path, "a.csv", "kode;nama\nx1;Caf\xe9 Sejahtera\n".encode("cp1252"))
    info = inspect_file(path, "a.csv")
    assert info.encoding == "cp1252"
    assert read_all(path, "a.csv")[1] == [(2, ["x1", "Café Sejahtera"])]


def test_csv_with_quoted_line_breaks_counts_records_as_rows(tmp_path):
    path = write(tmp_path, "a.csv", b'kode,alamat\nx1,"Jl. A\nNo. 5"\nx2,Jl. B\n')
    assert read_all(path, "a.csv")[1] == [(2, ["x1", "Jl. A\nNo. 5"]), (3, ["x2", "Jl. B"])]


def test_csv_sep_line_written_by_excel_sets_the_delimiter(tmp_path):
    path = write(tmp_path, "a.csv", b"sep=;\nkode;nama\nx1;A,B\n")
    headers, rows = read_all(path, "a.csv")
    assert headers == ["kode", "nama"]
    assert rows == [(2, ["x1", "A,B"])]


def test_csv_row_estimate_counts_data_lines(tmp_path):
    path = write(tmp_path, "a.csv", b"kode\n" + b"x\n" * 250 + b"y")
    assert inspect_file(path, "a.csv").estimated_rows == 251


def test_xlsx_cells_keep_their_types(tmp_path):
    content = xlsx_bytes(
        [["nik", "nama", "lahir", "jumlah"], ["3578010101900001", "Siti", dt.date(1990, 1, 1), 2]]
    )
    path = write(tmp_path, "a.xlsx", content)
    headers, rows = read_all(path, "a.xlsx")
    assert headers == ["nik", "nama", "lahir", "jumlah"]
    assert rows == [(2, ["3578010101900001", "Siti", dt.date(1990, 1, 1), 2.0])]


def test_xlsx_row_numbers_follow_the_sheet_when_data_starts_lower(tmp_path):
    path = write(tmp_path, "a.xlsx", xlsx_bytes([["kode"], ["x1"], ["x2"]], start_row=2))
    headers, rows = read_all(path, "a.xlsx")
    assert headers == ["kode"]
    assert rows == [(4, ["x1"]), (5, ["x2"])]


def test_xlsx_reads_the_first_visible_sheet(tmp_path):
    path = write(tmp_path, "a.xlsx", xlsx_bytes([["kode"], ["x1"]], hidden_first=True))
    assert read_all(path, "a.xlsx") == (["kode"], [(2, ["x1"])])


def test_xlsx_row_estimate_comes_from_the_sheet_dimension(tmp_path):
    path = write(tmp_path, "a.xlsx", xlsx_bytes([["kode"]] + [["x"]] * 30))
    assert inspect_file(path, "a.xlsx").estimated_rows == 30


def test_pdf_renamed_to_xlsx_is_not_a_spreadsheet(tmp_path):
    path = write(tmp_path, "data.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(SpreadsheetError) as info:
        inspect_file(path, "data.xlsx")
    assert info.value.message == (
        "“data.xlsx” adalah dokumen PDF, bukan spreadsheet. Unggah spreadsheet-nya sendiri "
        "(.xlsx, .xls, .ods, atau .csv); unduh templat bila perlu."
    )


def test_image_renamed_to_csv_is_not_a_spreadsheet(tmp_path):
    path = write(tmp_path, "foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SpreadsheetError, match="gambar"):
        inspect_file(path, "foto.csv")


def test_word_document_renamed_to_xlsx_is_not_a_spreadsheet(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    path = write(tmp_path, "surat.xlsx", buffer.getvalue())
    with pytest.raises(SpreadsheetError, match="bukan spreadsheet"):
        inspect_file(path, "surat.xlsx")


def test_csv_renamed_to_xlsx_is_named_wrongly(tmp_path):
    path = write(tmp_path, "data.xlsx", b"kode,nama\nx,y\n")
    with pytest.raises(SpreadsheetError, match=r"simpan sebagai \.xlsx atau \.csv"):
        inspect_file(path, "data.xlsx")


def test_html_saved_as_xls_by_another_application_is_explained(tmp_path):
    path = write(tmp_path, "laporan.xls", b"<html><body><table><tr><td>1</td></tr></table>")
    with pytest.raises(SpreadsheetError, match="halaman web"):
        inspect_file(path, "laporan.xls")


def test_unknown_extension_is_rejected(tmp_path):
    path = write(tmp_path, "data.docx", b"kode\nx\n")
    with pytest.raises(SpreadsheetError, match="bukan berkas spreadsheet"):
        inspect_file(path, "data.docx")


def test_empty_file_says_it_is_empty(tmp_path):
    path = write(tmp_path, "kosong.csv", b"  \n")
    with pytest.raises(SpreadsheetError) as info:
        inspect_file(path, "kosong.csv")
    assert info.value.message == "“kosong.csv” kosong. Isi templat lalu unggah lagi."


def test_truncated_xlsx_is_explained_as_damaged(tmp_path):
    content = xlsx_bytes([["kode"], ["x"]])
    path = write(tmp_path, "rusak.xlsx", content[: len(content) // 2])
    with pytest.raises(SpreadsheetError, match="tidak dapat dibaca"):
        read_all(path, "rusak.xlsx")


def test_xlsx_with_a_broken_sheet_is_explained_as_damaged(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    path = write(tmp_path, "rusak.xlsx", buffer.getvalue())
    with pytest.raises(SpreadsheetError, match="tidak dapat dibaca"):
        read_all(path, "rusak.xlsx")

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from sinergi.core.tabular import CellError, Column


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def parse(column: Column, raw):
    return column.parse(raw)


def error_of(column: Column, raw) -> str:
    with pytest.raises(CellError) as info:
        column.parse(raw)
    return info.value.message


NIK = Column("nik", "NIK", kind="identity", max_length=16)


def test_identity_text_keeps_every_digit_and_leading_zeros():
    assert parse(NIK, " 0012345678901234 ") == "0012345678901234"


def test_identity_drops_the_excel_text_apostrophe():
    assert parse(NIK, "'3578010101900001") == "3578010101900001"


def test_identity_number_cell_that_lost_digits_is_rejected_with_advice():
    assert error_of(NIK, 3.51e15) == (
        "Kolom NIK berisi angka, bukan teks: 3.51e+15 kehilangan digit. "
        "Format kolom sebagai Teks lalu ketik ulang nilainya."
    )


def test_identity_number_cell_with_sixteen_digits_is_rejected_because_excel_keeps_fifteen():
    assert "kehilangan digit" in error_of(NIK, 3578010101900001.0)


def test_identity_scientific_text_from_a_csv_saved_by_excel_is_rejected():
    assert error_of(NIK, "3.57801E+15") == (
        "Kolom NIK berisi angka, bukan teks: 3.57801E+15 kehilangan digit. "
        "Format kolom sebagai Teks lalu ketik ulang nilainya."
    )


def test_identity_number_cell_of_exactly_the_expected_short_length_is_accepted():
    account = Column("rekening", "Rekening", kind="identity", max_length=10)
    assert parse(account, 1234567890.0) == "1234567890"
    assert "kehilangan digit" in error_of(account, 123456789.0)  # a leading zero may be gone


def test_identity_region_code_typed_as_a_number_is_rejected():
    regency = Column("kab", "Kode kab/kota", kind="identity", max_length=13)
    assert "berisi angka" in error_of(regency, 35.78)


def test_required_empty_cell_says_to_fill_it_in():
    assert error_of(Column("nama", "Nama"), "   ") == (
        "Nama kosong. Isi kolom ini: kolom ini wajib diisi."
    )


def test_optional_empty_cell_is_none():
    assert parse(Column("alamat", "Alamat", required=False), "") is None
    assert parse(Column("umur", "Umur", kind="int", required=False), None) is None


def test_text_longer_than_max_length_is_rejected():
    assert error_of(Column("kode", "Kode", max_length=3), "abcd") == (
        "Kode panjangnya 4 karakter; paling banyak 3 karakter. Persingkat isinya."
    )


def test_text_from_a_number_cell_has_no_trailing_point_zero():
    assert parse(Column("rt", "RT"), 12.0) == "12"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("25", 25), (25.0, 25), (7, 7), ("1.500", 1500), ("1.500.000", 1500000), ("-3", -3)],
)
def test_int_accepts_plain_and_indonesian_grouped_numbers(raw, expected):
    assert parse(Column("n", "Jumlah", kind="int"), raw) == expected


@pytest.mark.parametrize("raw", ["2,5", 2.5, "dua", "1,500", True])
def test_int_rejects_what_is_not_a_whole_number(raw):
    assert "harus bilangan bulat" in error_of(Column("n", "Jumlah", kind="int"), raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1500000", Decimal("1500000")),
        ("1.500.000,50", Decimal("1500000.50")),
        ("1,500,000.50", Decimal("1500000.50")),
        ("Rp 1.500.000", Decimal("1500000")),
        ("2,5", Decimal("2.5")),
        ("0.125", Decimal("0.125")),
        (1234.56, Decimal("1234.56")),
        (10, Decimal("10")),
    ],
)
def test_decimal_reads_indonesian_and_english_writing(raw, expected):
    assert parse(Column("n", "Nilai", kind="decimal"), raw) == expected


def test_decimal_with_one_separator_and_three_digits_is_ambiguous():
    assert "ambigu" in error_of(Column("n", "Nilai", kind="decimal"), "1.500")


def test_decimal_rejects_words():
    assert error_of(Column("n", "Nilai", kind="decimal"), "sejuta") == (
        "Nilai harus berupa angka, bukan “sejuta”. Tulis seperti 1500000 atau 1.500.000,50."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04-11-2020", dt.date(2020, 11, 4)),
        ("4/11/2020", dt.date(2020, 11, 4)),
        ("2020-11-04", dt.date(2020, 11, 4)),
        (dt.date(2020, 11, 4), dt.date(2020, 11, 4)),
        (dt.datetime(2020, 11, 4, 0, 0), dt.date(2020, 11, 4)),
        (44139.0, dt.date(2020, 11, 4)),  # an Excel day number in a cell formatted as number
    ],
)
def test_date_reads_day_month_year_iso_and_real_dates(raw, expected):
    assert parse(Column("tgl", "Tanggal", kind="date"), raw) == expected


def test_date_that_does_not_exist_is_rejected():
    assert error_of(Column("tgl", "Tanggal lahir", kind="date"), "31-02-2020") == (
        "Tanggal lahir: 31-02-2020 bukan tanggal yang benar. Periksa tanggal dan bulannya."
    )


def test_date_in_another_layout_is_rejected_with_the_expected_layout():
    assert "dd-mm-yyyy" in error_of(Column("tgl", "Tanggal", kind="date"), "November 4")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ya", True),
        ("Tidak", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        (0.0, False),
        (True, True),
    ],
)
def test_bool_reads_ya_tidak_true_false_and_digits(raw, expected):
    assert parse(Column("aktif", "Aktif", kind="bool"), raw) is expected


def test_bool_rejects_other_words():
    assert error_of(Column("aktif", "Aktif", kind="bool"), "mungkin") == (
        "Aktif harus “ya” atau “tidak”, bukan “mungkin”."
    )


def test_choices_match_case_insensitively_and_return_the_stored_value():
    sex = Column(
        "jk", "Jenis kelamin", choices={"L": "L", "laki-laki": "L", "P": "P", "perempuan": "P"}
    )
    assert parse(sex, "Perempuan") == "P"
    assert parse(sex, "l") == "L"
    assert error_of(sex, "X") == ("Jenis kelamin “X” bukan salah satu nilai yang diizinkan: L, P.")


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown column kind"):
        Column("x", "X", kind="money")

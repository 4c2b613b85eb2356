import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from sinergi.core.formatting import long_date, percent, rupiah


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1500000, "Rp 1.500.000"),
        (Decimal("750000.00"), "Rp 750.000"),
        (Decimal("1234.5"), "Rp 1.234,50"),
        (0, "Rp 0"),
        (-2500, "-Rp 2.500"),
        (None, ""),
    ],
)
def test_rupiah_uses_dots_for_thousands(value, expected):
    assert rupiah(value) == expected


def test_long_date_is_indonesian():
    with translation.override("id"):
        assert long_date(dt.date(2020, 11, 4)) == "Rabu, 4 November 2020"
        assert long_date(dt.date(2025, 8, 31)) == "Minggu, 31 Agustus 2025"


def test_long_date_of_an_aware_datetime_uses_jakarta_time():
    moment = dt.datetime(2020, 11, 3, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 4th in Jakarta
    with translation.override("id"):
        assert long_date(moment) == "Rabu, 4 November 2020"


def test_percent_uses_decimal_comma():
    assert percent(Decimal("46.6649")) == "46,66%"

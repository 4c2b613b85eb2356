"""The due date of a month's realisation (the due day of the following month, a setting)."""

import calendar
import datetime as dt

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from sinergi.staff.models.periods import due_on, month_bounds, previous_month


@given(
    year=st.integers(min_value=2000, max_value=2100),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
)
def test_a_month_is_due_on_the_due_day_of_the_next_month_or_its_last_day(year, month, day):
    with override_settings(SINERGI={"SKP_DUE_DAY": day}):
        due = due_on(year, month)
    start, end = month_bounds(year, month)
    assert due > end
    assert (due.year, due.month) == ((year + 1, 1) if month == 12 else (year, month + 1))
    assert due.day == min(day, calendar.monthrange(due.year, due.month)[1])
    assert previous_month(due) == (year, month)
    assert start.day == 1


def test_the_office_rule_is_the_5th_and_february_is_cut_short():
    assert due_on(2026, 3) == dt.date(2026, 4, 5)  # the default SKP_DUE_DAY
    assert due_on(2026, 12) == dt.date(2027, 1, 5)
    with override_settings(SINERGI={"SKP_DUE_DAY": 30}):
        assert due_on(2028, 1) == dt.date(2028, 2, 29)
        assert due_on(2027, 1) == dt.date(2027, 2, 28)

"""Test helpers: a quarterly meeting expecting reports from given units."""

import datetime as dt
from typing import Any

from sinergi.meetings import services
from sinergi.meetings.models import Meeting


def make_meeting(units: list[Any], *, year: int = 2026, quarter: int = 1, **kwargs: Any) -> Meeting:
    values: dict[str, Any] = {
        "title": f"Rakortek Triwulan {quarter} {year}",
        "held_on": dt.date(year, quarter * 3, 28),
        "place": "Aula Gedung A",
        "deadline_on": dt.date(year, quarter * 3, 20),
    }
    values.update(kwargs)
    return services.meeting_create(
        actor=None, year=year, quarter=quarter, month=None, units=units, **values
    )

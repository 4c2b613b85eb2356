"""Test helpers: a quarterly meeting expecting reports from given units, signed-in clients."""

import datetime as dt
from typing import Any

from django.test import Client

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


def signed_in(user: Any) -> Client:
    """A client signed in as `user`, past the first request (session and menu caches warm)."""
    client = Client()
    client.force_login(user)
    client.get("/rakortek/")
    return client


def post_report(
    client: Client, meeting: Meeting, unit: Any, action: str = "submit", **data: Any
) -> Any:
    values = {"progress": "Berjalan", "problems": "Pengadaan lambat", "follow_up_needed": ""}
    values.update(data)
    return client.post(f"/rakortek/{meeting.pk}/unit/{unit.pk}/", {**values, "action": action})

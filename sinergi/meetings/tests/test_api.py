"""API of the meetings under /api/v1/performance/rakortek/: authorization, scope, filters, bad
input answered in Indonesian, and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error
from sinergi.meetings import services
from sinergi.meetings.models import FollowUp
from sinergi.meetings.testing import make_meeting

pytestmark = pytest.mark.django_db

BASE = "/api/v1/performance/rakortek"


def _action(meeting, unit, description):
    return services.follow_up_create(
        actor=None,
        meeting=meeting,
        owner_unit=unit,
        description=description,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def test_every_endpoint_is_in_the_schema_and_authorized(meeting, people):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        f"{BASE}/meetings",
        f"{BASE}/meetings/{{meeting_id}}/reports",
        f"{BASE}/follow-ups",
    ):
        assert path in paths
    for url in (f"{BASE}/meetings", f"{BASE}/meetings/{meeting.pk}/reports", f"{BASE}/follow-ups"):
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("social worker", people["worker"], 403),
                Expect("head of a UPT", people["head_a"], 200),
                Expect("auditor", people["auditor"], 200),
                Expect("head of office", people["head"], 200),
            ],
        )
    assert api_get(people["head"], f"{BASE}/meetings/999999/reports").status_code == 404


def test_follow_ups_are_scoped_to_the_owner_and_flag_the_overdue(meeting, people, units):
    late = _action(meeting, units.upt_a, "Percepat pengadaan")
    _action(meeting, units.upt_b, "Tambah pengasuh")
    FollowUp.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    items = api_get(people["head_a"], f"{BASE}/follow-ups").json()["items"]
    assert [(i["description"], i["owner_unit_code"], i["overdue"]) for i in items] == [
        ("Percepat pengadaan", "upt-rsbd-pasuruan", True)
    ]
    overdue = api_get(people["head"], f"{BASE}/follow-ups", status="overdue").json()["items"]
    assert [i["description"] for i in overdue] == ["Percepat pengadaan"]
    done = api_get(people["head"], f"{BASE}/follow-ups", status="done").json()["items"]
    assert done == []


def test_an_unknown_status_is_refused_with_the_allowed_values(people):
    error = assert_error(
        api_get(people["head"], f"{BASE}/follow-ups", status="selesai"), 400, "invalid"
    )
    assert error["message"] == (
        "Status tidak dikenal. Pakai salah satu dari: open, in_progress, done, overdue."
    )
    assert list(error["fields"]) == ["status"]


def test_list_query_counts_do_not_grow(meeting, people, units):
    head = people["head"]
    _action(meeting, units.upt_a, "Satu")
    api_get(head, f"{BASE}/meetings")
    with CaptureQueriesContext(connection) as meetings_one:
        api_get(head, f"{BASE}/meetings")
    with CaptureQueriesContext(connection) as actions_one:
        api_get(head, f"{BASE}/follow-ups")
    for quarter in (2, 3, 4):
        other = make_meeting([units.upt_a, units.upt_b], quarter=quarter)
        _action(other, units.upt_b, f"Tindakan {quarter}")
    with CaptureQueriesContext(connection) as meetings_four:
        assert len(api_get(head, f"{BASE}/meetings").json()["items"]) == 4
    with CaptureQueriesContext(connection) as actions_four:
        assert len(api_get(head, f"{BASE}/follow-ups").json()["items"]) == 4
    # each api_get issues a token first (its own queries), the same for every call
    assert len(meetings_four) == len(meetings_one)
    assert len(actions_four) == len(actions_one)

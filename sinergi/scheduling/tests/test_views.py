"""The scheduled jobs page."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sinergi import scheduling
from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.scheduling.models import JobRun

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sinergi.scheduling.tests.urls")]


@pytest.fixture
def people(units, make_user):
    return {
        "auditor": make_user("auditor", units.office),
        "social_worker": make_user("social_worker", units.upt_a),
    }


def test_job_page_authorization(people):
    assert_authorization(
        url="/jadwal/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["social_worker"], 403),
            Expect("auditor", people["auditor"], 200),
        ],
    )


def test_job_page_lists_jobs_with_last_status_and_recent_runs(people, empty_registry):
    scheduling.register(
        "test.daily", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed"
    )
    scheduling.register(
        "test.quarter", every=dt.timedelta(minutes=15), call="sinergi.scheduling.tests.jobs.fail"
    )
    now = timezone.now()
    JobRun.objects.create(
        job="test.quarter",
        slot_start=now,
        started_at=now,
        finished_at=now,
        status="failed",
        message="ValueError: x",
    )
    client = Client()
    client.force_login(people["auditor"])

    html = client.get("/jadwal/").content.decode()

    assert "Setiap hari pukul 06.00" in html
    assert "Setiap 15 menit" in html
    assert "Belum pernah berjalan" in html
    assert "Gagal" in html
    assert "ValueError: x" in html


def test_job_page_query_count_does_not_grow_with_the_runs(
    people, empty_registry, django_assert_num_queries
):
    scheduling.register(
        "test.daily", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed"
    )
    client = Client()
    client.force_login(people["auditor"])
    client.get("/jadwal/")

    # session, user+unit, 2FA role check, permissions (one query), latest run per job (1 job),
    # recent runs, unread notifications
    with django_assert_num_queries(7):
        client.get("/jadwal/")
    now = timezone.now()
    for index in range(30):
        JobRun.objects.create(
            job="test.daily",
            slot_start=now - dt.timedelta(days=index),
            started_at=now,
            status="succeeded",
        )
    with django_assert_num_queries(7):
        client.get("/jadwal/")

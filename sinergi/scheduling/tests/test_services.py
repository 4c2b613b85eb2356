"""Running due jobs: once per slot, twice-safe, failures recorded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from sinergi import scheduling
from sinergi.scheduling import services
from sinergi.scheduling.models import JobRun
from sinergi.scheduling.tests import jobs

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


@pytest.fixture
def daily(empty_registry):
    return scheduling.register(
        "test.daily", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed"
    )


def test_a_due_job_runs_and_its_run_is_recorded(daily):
    outcomes = services.run_due(now=at("2026-03-10 06:03"))

    assert [(o.job, o.status, o.message) for o in outcomes] == [
        ("test.daily", "succeeded", "3 rows done")
    ]
    run = JobRun.objects.get()
    assert (run.job, run.slot_start, run.status, run.message) == (
        "test.daily",
        at("2026-03-10 06:00"),
        "succeeded",
        "3 rows done",
    )
    assert run.finished_at >= run.started_at
    assert jobs.calls == ["succeed"]


def test_running_twice_in_the_same_slot_runs_the_job_once(daily):
    services.run_due(now=at("2026-03-10 06:03"))
    second = services.run_due(now=at("2026-03-10 06:08"))

    assert [o.status for o in second] == ["skipped"]
    assert jobs.calls == ["succeed"]
    assert JobRun.objects.count() == 1


def test_the_next_slot_runs_again(daily):
    services.run_due(now=at("2026-03-10 06:03"))
    services.run_due(now=at("2026-03-11 06:01"))

    assert jobs.calls == ["succeed", "succeed"]
    assert list(JobRun.objects.order_by("slot_start").values_list("slot_start", flat=True)) == [
        at("2026-03-10 06:00"),
        at("2026-03-11 06:00"),
    ]


def test_a_job_is_not_due_again_until_its_next_slot(daily):
    services.run_due(now=at("2026-03-10 06:03"))
    later_that_day = services.run_due(now=at("2026-03-11 05:59"))

    assert [o.status for o in later_that_day] == ["skipped"]
    assert jobs.calls == ["succeed"]


def test_first_run_after_install_catches_up_only_the_latest_slot(daily):
    services.run_due(now=at("2026-03-10 14:00"))

    assert list(JobRun.objects.values_list("slot_start", flat=True)) == [at("2026-03-10 06:00")]


def test_a_slot_claimed_by_another_host_is_skipped(daily, monkeypatch):
    """The unique (job, slot_start) constraint decides when two hosts race past the check."""
    JobRun.objects.create(
        job="test.daily", slot_start=at("2026-03-10 06:00"), started_at=at("2026-03-10 06:00")
    )
    # Make the pre-check miss the row, as if both hosts checked at the same moment.
    monkeypatch.setattr(services.JobRun.objects, "filter", lambda **kw: JobRun.objects.none())

    outcome = services.run_due(now=at("2026-03-10 06:02"))

    assert [o.status for o in outcome] == ["skipped"]
    assert jobs.calls == []


def test_the_database_refuses_a_second_run_of_a_slot(daily):
    JobRun.objects.create(
        job="a", slot_start=at("2026-03-10 06:00"), started_at=at("2026-03-10 06:00")
    )

    with pytest.raises(IntegrityError):
        JobRun.objects.create(
            job="a", slot_start=at("2026-03-10 06:00"), started_at=at("2026-03-10 06:01")
        )


def test_a_failing_job_is_recorded_with_its_traceback(empty_registry):
    scheduling.register(
        "test.fail", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.fail"
    )

    outcomes = services.run_due(now=at("2026-03-10 06:03"))

    assert [(o.job, o.status) for o in outcomes] == [("test.fail", "failed")]
    run = JobRun.objects.get()
    assert run.status == "failed"
    assert "ValueError: the source file is missing" in run.message
    assert "Traceback" in run.message
    assert run.finished_at is not None


def test_a_failed_slot_is_not_retried_in_the_same_slot(empty_registry):
    scheduling.register(
        "test.fail", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.fail"
    )
    services.run_due(now=at("2026-03-10 06:03"))

    services.run_due(now=at("2026-03-10 06:08"))

    assert jobs.calls == ["fail"]


def test_one_failing_job_does_not_stop_the_others(empty_registry):
    scheduling.register("a.fail", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.fail")
    scheduling.register(
        "b.ok", every=dt.timedelta(minutes=5), call="sinergi.scheduling.tests.jobs.succeed_quietly"
    )

    outcomes = services.run_due(now=at("2026-03-10 06:03"))

    assert [(o.job, o.status, o.message) for o in outcomes] == [
        ("a.fail", "failed", outcomes[0].message),
        ("b.ok", "succeeded", ""),
    ]
    assert jobs.calls == ["fail", "succeed_quietly"]


def test_run_due_can_be_limited_to_named_jobs(empty_registry):
    scheduling.register("a", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed")
    scheduling.register("b", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.fail")

    outcomes = services.run_due(now=at("2026-03-10 06:03"), names=["a"])

    assert [o.job for o in outcomes] == ["a"]


def test_the_real_cleanup_job_runs_through_the_scheduler(units, make_user):
    from sinergi.notifications.models import Notification
    from sinergi.notifications.tests.factories import make_notification

    worker = make_user("social_worker", units.upt_a)
    make_notification(worker, read=True, age_days=200)

    outcomes = services.run_due(names=["notifications.cleanup"])

    assert [(o.job, o.status, o.message) for o in outcomes] == [
        (
            "notifications.cleanup",
            "succeeded",
            "deleted 1 read notification(s) older than 180 days",
        )
    ]
    assert Notification.objects.count() == 0

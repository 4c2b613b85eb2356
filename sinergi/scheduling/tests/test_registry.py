"""Schedules and their slots (Asia/Jakarta)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sinergi import scheduling
from sinergi.scheduling import registry

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


def test_daily_job_slot_is_today_after_the_time_and_yesterday_before_it(empty_registry):
    job = scheduling.register("x", every="daily at 06:00", call="a.b")

    assert job.slot_start(at("2026-03-10 06:00")) == at("2026-03-10 06:00")
    assert job.slot_start(at("2026-03-10 23:59")) == at("2026-03-10 06:00")
    assert job.slot_start(at("2026-03-10 05:59")) == at("2026-03-09 06:00")
    assert job.next_slot_start(at("2026-03-10 07:00")) == at("2026-03-11 06:00")


def test_daily_slot_is_local_time_even_for_a_utc_clock(empty_registry):
    job = scheduling.register("x", every="daily at 06:00", call="a.b")
    utc_now = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)  # 06:30 in Jakarta on the 10th

    assert job.slot_start(utc_now) == at("2026-03-10 06:00")


def test_interval_slots_start_on_round_local_times(empty_registry):
    hourly = scheduling.register("h", every=dt.timedelta(hours=1), call="a.b")
    quarter = scheduling.register("q", every=dt.timedelta(minutes=15), call="a.b")
    daily = scheduling.register("d", every=dt.timedelta(days=1), call="a.b")

    assert hourly.slot_start(at("2026-03-10 14:37:12")) == at("2026-03-10 14:00")
    assert quarter.slot_start(at("2026-03-10 14:37:12")) == at("2026-03-10 14:30")
    assert quarter.next_slot_start(at("2026-03-10 14:37:12")) == at("2026-03-10 14:45")
    assert daily.slot_start(at("2026-03-10 14:37")) == at("2026-03-10 00:00")


@pytest.mark.parametrize("bad", ["hourly", "daily at 25:00", "daily at 6", "every day"])
def test_unknown_schedules_are_refused(empty_registry, bad):
    with pytest.raises(ValueError):
        scheduling.register("x", every=bad, call="a.b")


def test_too_short_intervals_are_refused(empty_registry):
    with pytest.raises(ValueError):
        scheduling.register("x", every=dt.timedelta(seconds=10), call="a.b")


def test_registering_the_same_job_twice_is_harmless_but_a_clash_is_refused(empty_registry):
    scheduling.register("x", every="daily at 06:00", call="a.b")
    scheduling.register("x", every="daily at 06:00", call="a.b")

    with pytest.raises(ValueError):
        scheduling.register("x", every="daily at 07:00", call="a.b")
    assert [job.name for job in registry.jobs()] == ["x"]


def test_the_notifications_cleanup_is_registered_by_its_app():
    job = registry.get("notifications.cleanup")

    assert job is not None
    assert job.call == "sinergi.notifications.services.notification_cleanup"
    assert job.daily_at == dt.time(2, 0)


def test_system_check_reports_a_job_that_cannot_be_imported(empty_registry):
    from sinergi.scheduling.checks import check_job_calls

    scheduling.register("ok", every="daily at 01:00", call="sinergi.scheduling.tests.jobs.succeed")
    scheduling.register("broken", every="daily at 01:00", call="sinergi.nowhere.func")

    errors = check_job_calls()

    assert [error.id for error in errors] == ["scheduling.E001"]
    assert "broken" in errors[0].msg

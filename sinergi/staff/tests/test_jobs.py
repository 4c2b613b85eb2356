"""The reminders (in-app and email): who gets them before and after the due day, the job as the
scheduler runs it (twice in a slot, again the next day: nothing sent twice), and the start-up check
of the SKP settings."""

import datetime as dt
import types
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings

from sinergi.notifications.models import Notification
from sinergi.scheduling import registry
from sinergi.scheduling import services as scheduling
from sinergi.scheduling.models import JobRun
from sinergi.staff import services
from sinergi.staff.checks import check_skp_settings
from sinergi.staff.models import Employee, EmploymentType, MonthClosure
from sinergi.staff.services import reminders
from sinergi.staff.testing import make_skp
from sinergi.staff.tests.test_services import _at

JAKARTA = ZoneInfo("Asia/Jakarta")


def _run(monkeypatch, when):
    """run_schedule at `when` (local time): the job reads the date of that moment as today."""
    monkeypatch.setattr(reminders, "timezone", types.SimpleNamespace(localdate=when.date))
    return scheduling.run_due(now=when, names=["staff.skp_reminders"])


@pytest.mark.django_db
def test_the_reminder_job_runs_daily_and_reminds_each_person_once(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    job = registry.get("staff.skp_reminders")
    assert (job.call, job.daily_at) == ("sinergi.staff.services.send_reminders", dt.time(7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        first = _run(monkeypatch, dt.datetime(2026, 4, 2, 7, 5, tzinfo=JAKARTA))
        again = _run(monkeypatch, dt.datetime(2026, 4, 2, 7, 10, tzinfo=JAKARTA))
        next_day = _run(monkeypatch, dt.datetime(2026, 4, 3, 7, 5, tzinfo=JAKARTA))
    assert [o.status for o in first + again + next_day] == ["succeeded", "skipped", "succeeded"]
    assert first[0].message == "2026-03: reminded 7 employee(s) before 2026-04-05"
    # the auditor has no employee record; everyone else owes March and has not reported it
    assert Notification.objects.filter(dedupe_key="staff.skp_due.2026-03").count() == 7
    assert len(mail.outbox) == 7
    assert JobRun.objects.filter(job="staff.skp_reminders").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        overdue = _run(monkeypatch, dt.datetime(2026, 4, 6, 7, 5, tzinfo=JAKARTA))
        _run(monkeypatch, dt.datetime(2026, 4, 7, 7, 5, tzinfo=JAKARTA))
    assert overdue[0].message == "2026-03: reminded 4 supervisor(s) after 2026-04-05"
    supervisors = Notification.objects.filter(dedupe_key="staff.skp_overdue.2026-03")
    assert sorted(n.recipient_id for n in supervisors) == sorted(
        u.pk for u in [people.head, people.kabid, people.head_a, people.head_b]
    )
    assert len(mail.outbox) == 7 + 4
    body = supervisors.get(recipient=people.head_a).body
    assert "Pegawai A" in body
    assert "Pegawai B" not in body


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("SKP_DUE_DAY", 5, True),
        ("SKP_DUE_DAY", 31, True),
        ("SKP_DUE_DAY", 0, False),
        ("SKP_DUE_DAY", 32, False),
        ("SKP_DUE_DAY", "lima", False),
        ("SKP_REMINDER_DAYS", 0, True),
        ("SKP_REMINDER_DAYS", -1, False),
        ("SKP_EVIDENCE_MAX_MB", 0, False),
        ("SKP_EVIDENCE_MAX_MB", 2.5, False),
    ],
)
def test_a_nonsensical_skp_setting_is_reported_at_start_up(settings, name, value, ok):
    with override_settings(SINERGI={**settings.SINERGI, name: value}):
        errors = check_skp_settings()
    assert [e.id for e in errors] == ([] if ok else ["staff.E001"])
    if not ok:
        assert f"SINERGI_{name}" in errors[0].msg


@pytest.mark.django_db
def test_reminders_before_the_due_day_reach_who_has_not_submitted_once(
    people, django_capture_on_commit_callbacks
):
    skp = make_skp(people.e_worker_b, 2026)
    for rhk in skp.rhks.all():
        services.realisation_save(
            actor=people.worker_b, skp=skp, month=3, rhk=rhk, realisation="ok",
            today=dt.date(2026, 4, 1),
        )  # fmt: skip
    services.month_submit(actor=people.worker_b, skp=skp, month=3, now=_at(dt.date(2026, 4, 1)))
    mail.outbox.clear()
    services.send_reminders(today=dt.date(2026, 4, 1))  # too early: due 5 April, 3 days before
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_reminders(today=dt.date(2026, 4, 2))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.send_reminders(today=dt.date(2026, 4, 3))
    reminded = set(Notification.objects.values_list("recipient__username", flat=True))
    expected = {
        u.username
        for u in [
            people.head,
            people.kabid,
            people.head_a,
            people.worker_a,
            people.head_b,
            people.hr,
        ]
    }
    assert reminded == expected  # worker_b submitted; the auditor has no employee record
    assert Notification.objects.count() == len(expected)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email
        for u in [
            people.head,
            people.kabid,
            people.head_a,
            people.worker_a,
            people.head_b,
            people.hr,
        ]
    )
    assert "reminded 6 employee(s)" in first
    assert "reminded 6 employee(s)" in second


@pytest.mark.django_db
def test_after_the_due_day_the_supervisor_is_told_once(people, django_capture_on_commit_callbacks):
    Employee.objects.exclude(pk__in=[people.e_worker_a.pk, people.e_head_a.pk]).update(
        employment_type=EmploymentType.NON_ASN, nip=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(today=dt.date(2026, 4, 6))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(today=dt.date(2026, 4, 7))
    notes = list(Notification.objects.values_list("recipient__username", "body"))
    assert len(notes) == 2
    by_user = dict(notes)
    assert "Pegawai A" in by_user[people.head_a.username]
    assert "Kepala UPT A" in by_user[people.kabid.username]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_reminder_for_a_closed_month(people):
    MonthClosure.objects.create(year=2026, month=3)
    assert "closed" in services.send_reminders(today=dt.date(2026, 4, 6))
    assert Notification.objects.count() == 0

"""Follow-up actions: created by the planning officer with an owner unit and a due date, visible
to their owner, overdue ones flagged and filterable, every status change kept in the history and
the audit trail."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.meetings import services
from sinergi.meetings.models import FollowUp, FollowUpUpdate
from sinergi.meetings.testing import signed_in

pytestmark = pytest.mark.django_db


def _action(meeting, unit, description="Percepat pengadaan", due_on=None):
    return services.follow_up_create(
        actor=None,
        meeting=meeting,
        owner_unit=unit,
        description=description,
        due_on=due_on or dt.date(2026, 4, 30),
    )


def _actions():
    return list(FollowUp.objects.order_by("id").values_list("description", "status", "note"))


def test_the_add_action_page_is_for_the_planning_officer(meeting, people, units):
    url = f"/rakortek/{meeting.pk}/tindak-lanjut/baru/"
    data = {
        "owner_unit": units.upt_a.pk,
        "description": "Percepat pengadaan",
        "due_on": "2026-04-30",
    }
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of that UPT", people["head_a"], 403),
        ("head of office", people["head"], 403),
        ("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=_actions
        )
    response = signed_in(people["planner"]).post(url, data)
    assert response["Location"] == f"/rakortek/{meeting.pk}/"
    action = FollowUp.objects.get()
    assert (action.owner_unit, action.due_on, action.status) == (
        units.upt_a,
        dt.date(2026, 4, 30),
        "open",
    )
    assert action.report.unit == units.upt_a  # linked to the unit's report of the meeting
    assert AuditEvent.objects.filter(
        action="meetings.follow_up_created", target_id=str(action.pk)
    ).exists()


def test_a_due_date_before_the_meeting_is_refused_in_indonesian(meeting, people, units):
    response = signed_in(people["planner"]).post(
        f"/rakortek/{meeting.pk}/tindak-lanjut/baru/",
        {"owner_unit": units.upt_a.pk, "description": "Percepat", "due_on": "2026-01-02"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == [
        "Batas waktu lebih awal daripada rapat. Pilih tanggal yang lebih akhir."
    ]
    assert not FollowUp.objects.exists()


def test_the_form_is_prefilled_from_the_follow_up_a_report_asks_for(meeting, people, units):
    report = meeting.reports.get(unit=units.upt_b)
    report.follow_up_needed = "Tambah tenaga pengasuh"
    report.save()
    response = signed_in(people["planner"]).get(
        f"/rakortek/{meeting.pk}/tindak-lanjut/baru/?unit={units.upt_b.pk}"
    )
    form = response.context["form"]
    assert form.initial == {"owner_unit": units.upt_b.pk, "description": "Tambah tenaga pengasuh"}


def _overdue_for(user):
    from sinergi.meetings import selectors

    return [f.description for f in selectors.follow_up_list(viewer=user, status=selectors.OVERDUE)]


def test_overdue_actions_are_flagged_and_can_be_listed_alone(meeting, people, units):
    today = timezone.localdate()
    late = _action(meeting, units.upt_a, "Terlambat")
    _action(meeting, units.upt_a, "Masih berjalan")
    done = _action(meeting, units.upt_a, "Sudah selesai")
    FollowUp.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1))
    FollowUp.objects.filter(description="Masih berjalan").update(due_on=today)
    FollowUp.objects.filter(pk=done.pk).update(status="done", due_on=today - dt.timedelta(days=9))
    client = signed_in(people["head_a"])
    overdue = client.get("/rakortek/tindak-lanjut/?status=overdue")
    assert [f.description for f in overdue.context["page"].items] == ["Terlambat"]
    assert overdue.content.decode().count("lewat batas") == 1
    everything = client.get("/rakortek/tindak-lanjut/").content.decode()
    assert everything.count("lewat batas") == 1
    detail = client.get(f"/rakortek/{meeting.pk}/").content.decode()
    assert detail.count("lewat batas") == 1
    assert _overdue_for(people["head_a"]) == ["Terlambat"]
    assert _overdue_for(people["head_b"]) == []  # another unit's actions stay out of sight


def test_an_unknown_status_filter_shows_every_action(meeting, people, units):
    _action(meeting, units.upt_a)
    response = signed_in(people["head_a"]).get("/rakortek/tindak-lanjut/?status=entah")
    assert response.context["status"] == ""
    assert len(response.context["page"].items) == 1


def test_status_changes_are_kept_in_the_history_and_audited(meeting, people, units):
    action = _action(meeting, units.upt_a)
    url = f"/rakortek/tindak-lanjut/{action.pk}/"
    client = signed_in(people["head_a"])
    client.post(url, {"status": "in_progress", "note": "Dokumen lelang disusun"})
    client.post(url, {"status": "done", "note": "Kontrak ditandatangani"})
    history = [(u.status, u.note, u.updated_by) for u in FollowUpUpdate.objects.order_by("id")]
    assert history == [
        ("in_progress", "Dokumen lelang disusun", people["head_a"]),
        ("done", "Kontrak ditandatangani", people["head_a"]),
    ]
    events = AuditEvent.objects.filter(
        action="meetings.follow_up_updated", target_id=str(action.pk)
    ).order_by("id")
    assert [e.changes["status"] for e in events] == [
        ["open", "in_progress"],
        ["in_progress", "done"],
    ]
    content = client.get(url).content.decode()
    assert content.index("Kontrak ditandatangani") < content.index("Dokumen lelang disusun")


def test_done_needs_a_note_and_nothing_changes_without_it(meeting, people, units):
    action = _action(meeting, units.upt_a)
    response = signed_in(people["head_a"]).post(
        f"/rakortek/tindak-lanjut/{action.pk}/", {"status": "done", "note": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Uraikan apa yang telah dilakukan sebelum menandai tindakan selesai."
    ]
    action.refresh_from_db()
    assert action.status == "open"
    assert not FollowUpUpdate.objects.exists()
    assert not AuditEvent.objects.filter(action="meetings.follow_up_updated").exists()
    with pytest.raises(ApplicationError):
        services.follow_up_update(actor=people["head_a"], follow_up=action, status="x", note="")


def test_the_action_page_authorization(meeting, people, units):
    action = _action(meeting, units.upt_a)
    assert_authorization(
        url=f"/rakortek/tindak-lanjut/{action.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("head of office", people["head"], 200),
            Expect("auditor", people["auditor"], 200),
        ],
    )
    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of another UPT", people["head_b"], 404),
        ("auditor", people["auditor"], 403),
        ("head of the division above", people["division"], 302),
    ]:
        assert_authorization(
            url=f"/rakortek/tindak-lanjut/{action.pk}/",
            method="post",
            data={"status": "in_progress", "note": "Dibahas dengan bidang"},
            cases=[Expect(who, user, status)],
            state=_actions,
        )
    assert _actions() == [("Percepat pengadaan", "in_progress", "Dibahas dengan bidang")]


def test_follow_up_pages_query_counts_do_not_grow(meeting, people, units):
    first = _action(meeting, units.upt_a)
    client = signed_in(people["head_a"])
    client.post(f"/rakortek/tindak-lanjut/{first.pk}/", {"status": "in_progress", "note": "a"})
    with CaptureQueriesContext(connection) as list_one:
        client.get("/rakortek/tindak-lanjut/")
    with CaptureQueriesContext(connection) as page_one:
        client.get(f"/rakortek/tindak-lanjut/{first.pk}/")
    for n in range(4):
        _action(meeting, units.upt_a, f"Tindakan {n}")
    for note in ("b", "c", "d"):
        client.post(f"/rakortek/tindak-lanjut/{first.pk}/", {"status": "in_progress", "note": note})
    with CaptureQueriesContext(connection) as list_five:
        response = client.get("/rakortek/tindak-lanjut/")
    assert len(response.context["page"].items) == 5
    with CaptureQueriesContext(connection) as page_four_updates:
        response = client.get(f"/rakortek/tindak-lanjut/{first.pk}/")
    assert len(response.context["history"]) == 4
    assert len(list_five) == len(list_one)
    assert len(page_four_updates) == len(page_one)

"""Termination and aftercare: the schedule from the configured intervals, recording follow-ups,
overdue follow-ups on the task list and case page, the daily reminder job, closing the case."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.notifications.models import Notification
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    AftercareInterval,
    AuditAction,
    Case,
    FollowUp,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.services.aftercare import add_months
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

TERMINATED_ON = dt.date(2026, 1, 31)


def _in_aftercare(units, people, terminated_on=TERMINATED_ON):
    case = admit(units.upt_a, social_worker=people.worker_a, admitted_on=dt.date(2025, 6, 1))
    case = services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="terminasi"),
        reason="Data lama",
        termination_reason=TerminationReason.objects.get(code="kembali-ke-keluarga"),
        termination_on=terminated_on,
        destination_address="Rumah keluarga, Dusun Krajan",
    )
    case = services.case_approve_stage(
        actor=people.head_a, case=case, expected_version=case.version
    )
    return services.case_advance(actor=people.worker_a, case=case, expected_version=case.version)


def _record(follow_up, actor, done_on=dt.date(2026, 3, 1)):
    return services.follow_up_record(
        actor=actor,
        follow_up=follow_up,
        done_on=done_on,
        method=FollowUp.Method.VISIT,
        condition="Sehat, tinggal bersama anak",
        outcome="Stabil",
    )


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


# --- Services --------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 12) == dt.date(2027, 1, 31)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_entering_aftercare_schedules_follow_ups_at_the_configured_intervals(units, people):
    assert list(AftercareInterval.objects.order_by("months").values_list("months", flat=True)) == [
        1,
        3,
        6,
        12,
    ]
    case = _in_aftercare(units, people)
    assert case.stage.code == "bimbingan-lanjut"
    rows = list(FollowUp.objects.filter(case=case).values_list("number", "months", "due_on"))
    assert rows == [
        (1, 1, dt.date(2026, 2, 28)),
        (2, 3, dt.date(2026, 4, 30)),
        (3, 6, dt.date(2026, 7, 31)),
        (4, 12, dt.date(2027, 1, 31)),
    ]


def test_the_schedule_follows_the_interval_data_not_code(units, people):
    AftercareInterval.objects.filter(months=6).update(is_active=False)
    AftercareInterval.objects.create(
        code="bulan-24",
        number=5,
        name="24 bulan",
        months=24,
        source="uji",
        effective_from=dt.date(2026, 1, 1),
    )
    case = _in_aftercare(units, people)
    months = list(FollowUp.objects.filter(case=case).values_list("months", flat=True))
    assert months == [1, 3, 12, 24]


def test_termination_date_outside_the_stay_is_refused(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a, admitted_on=dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError) as error:
        services.case_advance(
            actor=None,
            case=case,
            expected_version=case.version,
            to_stage=Stage.objects.get(code="terminasi"),
            reason="x",
            termination_reason=TerminationReason.objects.get(code="kembali-ke-keluarga"),
            termination_on=dt.date(2025, 12, 31),
            destination_address="Rumah",
        )
    assert error.value.code == "termination_on_invalid"
    assert Case.objects.get(pk=case.pk).stage.code == "pendekatan-awal"


def test_recording_a_follow_up_saves_it_and_audits_it(units, people):
    case = _in_aftercare(units, people)
    first = FollowUp.objects.get(case=case, number=1)
    saved = _record(first, people.worker_a)
    saved.refresh_from_db()
    assert (saved.done_on, saved.method, saved.outcome, saved.recorded_by) == (
        dt.date(2026, 3, 1),
        "visit",
        "Stabil",
        people.worker_a,
    )
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_RECORDED).count() == 1


def test_a_follow_up_needs_method_condition_and_outcome_and_a_past_date(units, people):
    case = _in_aftercare(units, people)
    first = FollowUp.objects.get(case=case, number=1)
    with pytest.raises(ApplicationError) as error:
        services.follow_up_record(
            actor=people.worker_a,
            follow_up=first,
            done_on=dt.date(2026, 3, 1),
            method="",
            condition="",
            outcome="",
        )
    assert set(error.value.field_errors) == {"method", "condition", "outcome"}
    with pytest.raises(ApplicationError) as error:
        _record(first, people.worker_a, done_on=dt.date(2099, 1, 1))
    assert set(error.value.field_errors) == {"done_on"}
    with pytest.raises(ApplicationError) as error:
        _record(first, people.worker_b)
    assert error.value.code == "not_assigned"
    assert FollowUp.objects.get(pk=first.pk).done_on is None


def test_overdue_follow_ups_are_on_the_worker_task_list(units, people):
    case = _in_aftercare(units, people)
    tasks = selectors.worker_tasks(viewer=people.worker_a, today=dt.date(2026, 5, 1))
    assert [f.months for f in tasks.follow_ups_due] == [1, 3]
    _record(FollowUp.objects.get(case=case, number=1), people.worker_a)
    tasks = selectors.worker_tasks(viewer=people.worker_a, today=dt.date(2026, 5, 1))
    assert [f.months for f in tasks.follow_ups_due] == [3]
    assert selectors.worker_tasks(viewer=people.worker_a2).follow_ups_due == []


def test_closing_needs_every_follow_up_recorded(units, people):
    case = _in_aftercare(units, people)
    with pytest.raises(ApplicationError) as error:
        services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    assert error.value.code == "follow_ups_pending"
    for follow_up in FollowUp.objects.filter(case=case):
        _record(follow_up, people.worker_a)
    case = services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    assert case.status == Case.Status.CLOSED
    assert case.closed_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CLOSED).count() == 1


def _closed(units, people):
    case = _in_aftercare(units, people)
    for follow_up in FollowUp.objects.filter(case=case):
        _record(follow_up, people.worker_a)
    return services.case_close(actor=people.worker_a, case=case, expected_version=case.version)


def _follow_up_rows(case):
    return list(
        FollowUp.objects.filter(case=case)
        .order_by("number")
        .values_list("done_on", "method", "condition", "outcome", "recorded_at")
    )


def test_a_follow_up_of_a_closed_case_cannot_be_changed(units, people):
    case = _closed(units, people)
    before = _follow_up_rows(case)
    first = FollowUp.objects.get(case=case, number=1)
    for actor in [people.worker_a, people.head_a, None]:
        with pytest.raises(ApplicationError) as error:
            _record(first, actor, done_on=dt.date(2026, 4, 1))
        assert error.value.code == "case_closed"
        assert "follow-ups can no longer change" in error.value.message
    assert _follow_up_rows(case) == before
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_RECORDED).count() == 4


def test_the_follow_up_page_of_a_closed_case_sends_back_to_the_case(units, people):
    case = _closed(units, people)
    before = _follow_up_rows(case)
    first = FollowUp.objects.get(case=case, number=1)
    url = reverse("rehabilitation:follow_up_record", args=[case.pk, first.pk])
    client = _http(people.worker_a)
    data = {"done_on": "2026-04-01", "method": "phone", "condition": "Baik", "outcome": "Lain"}
    for response in [client.get(url), client.post(url, data)]:
        assert response.status_code == 302
        assert response["Location"] == reverse("rehabilitation:case_detail", args=[case.pk])
    page = client.get(reverse("rehabilitation:case_detail", args=[case.pk])).content.decode()
    assert url not in page  # no "Change" link on the follow-ups of a closed case
    panel = client.get(reverse("rehabilitation:case_panels", args=[case.pk]))
    assert "bimbingan lanjut dikunci, hanya dapat dibaca" in panel.content.decode()
    assert _follow_up_rows(case) == before


def test_the_api_refuses_a_follow_up_of_a_closed_case(units, people):
    from sinergi.api.testing import assert_error, bearer_headers

    case = _closed(units, people)
    before = _follow_up_rows(case)
    response = HttpClient().post(
        f"/api/v1/rehabilitation/cases/{case.pk}/follow-ups/1",
        {"done_on": "2026-04-01", "method": "phone", "condition": "Baik", "outcome": "Lain"},
        content_type="application/json",
        **bearer_headers(people.worker_a),
    )
    assert_error(response, 400, "case_closed")
    assert _follow_up_rows(case) == before


def test_a_case_outside_aftercare_cannot_be_closed(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    with pytest.raises(ApplicationError) as error:
        services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    assert error.value.code == "not_in_aftercare"


# --- The daily job ---------------------------------------------------------------------------


def test_the_job_notifies_the_worker_once_per_due_follow_up(units, people):
    case = _in_aftercare(units, people)
    assert services.follow_ups_notify_due(today=dt.date(2026, 4, 30)) == 2
    assert services.follow_ups_notify_due(today=dt.date(2026, 4, 30)) == 0
    notes = Notification.objects.filter(recipient=people.worker_a)
    assert notes.count() == 2
    assert {n.url for n in notes} == {reverse("rehabilitation:case_detail", args=[case.pk])}
    _record(FollowUp.objects.get(case=case, number=3), people.worker_a)
    assert services.follow_ups_notify_due(today=dt.date(2026, 8, 1)) == 0


def test_the_job_is_registered_daily():
    from sinergi.scheduling.registry import _jobs

    job = _jobs["rehabilitation.follow_ups_due"]
    assert job.call == "sinergi.rehabilitation.services.follow_ups_notify_due"


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def aftercare_case(units, people):
    return _in_aftercare(units, people)


def test_follow_up_page_authorization(people, aftercare_case):
    follow_up = FollowUp.objects.get(case=aftercare_case, number=1)
    url = reverse("rehabilitation:follow_up_record", args=[aftercare_case.pk, follow_up.pk])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 200),
            Expect("head of the UPT", people.head_a, 200),
        ],
    )
    data = {
        "done_on": "2026-03-01",
        "method": "phone",
        "condition": "Baik",
        "outcome": "Stabil",
    }
    assert_authorization(
        url=url,
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker not assigned", people.worker_a2, 403),
        ],
    )
    assert FollowUp.objects.get(pk=follow_up.pk).done_on is None
    response = _http(people.worker_a).post(url, data)
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=follow_up.pk).method == "phone"


def test_follow_up_of_another_case_is_not_found(units, people, aftercare_case):
    other = admit(units.upt_a, social_worker=people.worker_a, name="Lain")
    follow_up = FollowUp.objects.get(case=aftercare_case, number=1)
    url = reverse("rehabilitation:follow_up_record", args=[other.pk, follow_up.pk])
    assert _http(people.worker_a).get(url).status_code == 404


def test_close_authorization_and_closing(people, aftercare_case):
    url = reverse("rehabilitation:case_close", args=[aftercare_case.pk])
    data = {"version": aftercare_case.version}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker not assigned", people.worker_a2, 403),
        ],
    )
    FollowUp.objects.filter(case=aftercare_case).update(
        done_on=dt.date(2026, 3, 1), method="visit", condition="Baik", outcome="Stabil"
    )
    response = _http(people.worker_a).post(url, data)
    assert response.status_code == 302
    assert Case.objects.get(pk=aftercare_case.pk).status == Case.Status.CLOSED


def test_case_page_shows_termination_and_overdue_follow_ups(people, aftercare_case):
    response = _http(people.worker_a).get(
        reverse("rehabilitation:case_detail", args=[aftercare_case.pk])
    )
    body = response.content.decode()
    assert "Rumah keluarga, Dusun Krajan" in body
    assert body.count('data-testid="follow-up-overdue"') == len(
        [
            f
            for f in selectors.case_follow_ups(case=aftercare_case)
            if f.due_on <= timezone.localdate()
        ]
    )


def _query_count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_task_list_and_case_page_query_counts_do_not_grow_with_follow_ups(
    units, people, aftercare_case
):
    client = _http(people.worker_a)
    task_url = reverse("rehabilitation:task_list")
    case_url = reverse("rehabilitation:case_detail", args=[aftercare_case.pk])
    before = [_query_count(client, task_url), _query_count(client, case_url)]
    for i in range(3):
        case = admit(
            units.upt_a,
            social_worker=people.worker_a,
            admitted_on=dt.date(2025, 6, 1),
            name=f"Klien {i}",
            birth_on=dt.date(1951, 1, 1 + i),
        )
        FollowUp.objects.create(case=case, number=1, months=1, due_on=dt.date(2026, 1, 1))
        FollowUp.objects.create(
            case=aftercare_case, number=10 + i, months=24, due_on=dt.date(2026, 1, 1)
        )
    assert [_query_count(client, task_url), _query_count(client, case_url)] == before
    due = FollowUp.objects.filter(done_on__isnull=True, due_on__lte=timezone.localdate())
    tasks = client.get(task_url).context["tasks"]
    assert len(tasks.follow_ups_due) == due.count()


def test_the_stage_form_records_termination_date_and_destination(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a, admitted_on=dt.date(2025, 6, 1))
    case = services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="resosialisasi"),
        reason="Data lama",
    )
    client = _http(people.worker_a)
    page = client.get(reverse("rehabilitation:case_detail", args=[case.pk])).content.decode()
    assert 'name="termination_on"' in page
    assert 'name="destination_address"' in page
    url = reverse("rehabilitation:case_advance", args=[case.pk])
    reason = TerminationReason.objects.get(code="kembali-ke-keluarga")
    data = {"version": case.version, "termination_reason": reason.pk}
    response = client.post(url, data)
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).stage.code == "resosialisasi"
    data |= {"termination_on": "2026-01-31", "destination_address": "Rumah keluarga"}
    assert client.post(url, data).status_code == 302
    saved = Case.objects.get(pk=case.pk)
    assert (saved.stage.code, saved.termination_on, saved.destination_address) == (
        "terminasi",
        dt.date(2026, 1, 31),
        "Rumah keluarga",
    )
    page = client.get(reverse("rehabilitation:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="termination"' in page

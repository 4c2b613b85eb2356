"""Casework rules: the plan (drafted in the plan stage, approved with it, revised after approval,
optimistic version), the service log and group sessions, progress notes, case conferences, the lock
of a closed case; bad input saves nothing and every write leaves exactly its audit event."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    Case,
    CaseConference,
    GroupSession,
    InterventionPlan,
    PlanGoal,
    PlannedService,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
)
from sinergi.rehabilitation.selectors import casework as casework_selectors
from sinergi.rehabilitation.testing import admit, draft_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 2)


def _type(code="FISIK"):
    return ServiceType.objects.get(code=code)


def _to_stage(case, code, actor=None):
    return services.case_advance(
        actor=actor,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code=code),
        reason="lompat untuk uji",
    )


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


@pytest.fixture
def planning_case(case_a):
    return _to_stage(case_a, "rencana")


def _goal(n=1):
    return {"problem": f"Masalah {n}", "goal": f"Tujuan {n}", "indicator": f"Indikator {n}"}


def _service(**overrides):
    row = {
        "service_type": _type(),
        "times": 2,
        "period": "week",
        "start_on": DAY,
        "target_on": DAY + dt.timedelta(days=90),
    }
    row.update(overrides)
    return row


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- Reference flags -------------------------------------------------------------------------


def test_the_plan_stage_and_goal_reached_reasons_are_reference_flags(reference):
    assert [s.code for s in Stage.objects.filter(records_plan=True)] == ["rencana"]
    assert services.plan_stage().code == "rencana"
    from sinergi.rehabilitation.models import TerminationReason

    assert sorted(
        TerminationReason.objects.filter(goal_reached=True).values_list("code", flat=True)
    ) == [
        "disalurkan-kerja",
        "tujuan-tercapai",
    ]


# --- Plan ------------------------------------------------------------------------------------


def test_worker_drafts_a_plan_with_goals_and_services(people, planning_case):
    plan = services.plan_save(
        actor=people.worker_a,
        case=planning_case,
        expected_version=None,
        goals=[_goal(1), _goal(2), {"problem": "", "goal": "", "indicator": ""}],
        services=[
            _service(responsible=people.worker_a),
            _service(service_type=_type("MENTAL_SPIRIT"), period="month", times=4),
        ],
        summary="Rencana awal",
        client_agreed=True,
    )
    assert (plan.revision, plan.status, plan.version, plan.client_agreed) == (1, "draft", 1, True)
    assert [g.goal for g in plan.goals.order_by("number")] == ["Tujuan 1", "Tujuan 2"]
    assert plan.planned_services.count() == 2
    event = AuditEvent.objects.get(action="rehabilitation.plan_saved")
    assert event.changes["goals"] == [0, 2]
    assert event.target_id == str(planning_case.pk)


def test_plan_cannot_be_drafted_before_the_plan_stage(people, case_a):
    with pytest.raises(ApplicationError) as error:
        services.plan_save(
            actor=people.worker_a, case=case_a, expected_version=None, goals=[_goal()], services=[]
        )
    assert error.value.code == "plan_too_early"
    assert InterventionPlan.objects.count() == 0


def test_incomplete_goal_or_service_saves_nothing(people, planning_case):
    with pytest.raises(ApplicationError) as error:
        services.plan_save(
            actor=people.worker_a,
            case=planning_case,
            expected_version=None,
            goals=[{"problem": "Tidak mandiri", "goal": "", "indicator": "x"}],
            services=[],
        )
    assert error.value.code == "goal_incomplete"
    assert "goals.1.goal" in error.value.field_errors
    with pytest.raises(ApplicationError) as error:
        services.plan_save(
            actor=people.worker_a,
            case=planning_case,
            expected_version=None,
            goals=[_goal()],
            services=[_service(target_on=DAY - dt.timedelta(days=1))],
        )
    assert error.value.code == "service_incomplete"
    assert "services.1.target_on" in error.value.field_errors
    assert (InterventionPlan.objects.count(), PlanGoal.objects.count()) == (0, 0)
    assert PlannedService.objects.count() == 0
    assert _events("rehabilitation.plan_saved") == 0


def test_only_the_assigned_worker_or_head_drafts_the_plan(people, planning_case):
    with pytest.raises(ApplicationError) as error:
        services.plan_save(
            actor=people.worker_a2, case=planning_case, expected_version=None, goals=[], services=[]
        )
    assert error.value.code == "not_assigned"
    services.plan_save(
        actor=people.head_a, case=planning_case, expected_version=None, goals=[], services=[]
    )


def test_a_stale_plan_save_is_told_to_reload(people, planning_case):
    plan = services.plan_save(
        actor=people.worker_a,
        case=planning_case,
        expected_version=None,
        goals=[_goal()],
        services=[],
    )
    services.plan_save(
        actor=people.head_a,
        case=planning_case,
        expected_version=plan.version,
        goals=[_goal(), _goal(2)],
        services=[],
    )
    with pytest.raises(services.StalePlan) as error:
        services.plan_save(
            actor=people.worker_a,
            case=planning_case,
            expected_version=plan.version,
            goals=[_goal(3)],
            services=[],
        )
    assert error.value.code == "stale"
    assert "Reload the page" in error.value.message
    current = InterventionPlan.objects.get()
    assert [g.goal for g in current.goals.order_by("number")] == ["Tujuan 1", "Tujuan 2"]
    # a second "first save" is stale too: someone else created the plan meanwhile
    with pytest.raises(services.StalePlan):
        services.plan_save(
            actor=people.worker_a, case=planning_case, expected_version=None, goals=[], services=[]
        )


def test_the_plan_stage_cannot_be_approved_without_a_plan_or_without_goals(people, planning_case):
    with pytest.raises(ApplicationError) as error:
        services.case_approve_stage(
            actor=people.head_a, case=planning_case, expected_version=planning_case.version
        )
    assert error.value.code == "plan_missing"
    services.plan_save(
        actor=people.worker_a, case=planning_case, expected_version=None, goals=[], services=[]
    )
    with pytest.raises(ApplicationError) as error:
        services.case_approve_stage(
            actor=people.head_a, case=planning_case, expected_version=planning_case.version
        )
    assert error.value.code == "plan_without_goals"
    planning_case.refresh_from_db()
    assert planning_case.stage_approved_at is None
    assert InterventionPlan.objects.get().status == "draft"
    assert _events("rehabilitation.case_stage_approved") == 0


def test_approving_the_plan_stage_approves_the_plan(people, planning_case):
    draft_plan(planning_case, actor=people.worker_a, goals=2)
    case = services.case_approve_stage(
        actor=people.head_a, case=planning_case, expected_version=planning_case.version
    )
    plan = InterventionPlan.objects.get()
    assert (plan.status, plan.approved_by, case.stage_approved_by) == (
        "approved",
        people.head_a,
        people.head_a,
    )
    assert _events("rehabilitation.plan_approved") == 1
    assert _events("rehabilitation.case_stage_approved") == 1


def test_plan_approve_in_the_plan_stage_is_the_stage_approval(people, planning_case):
    plan = draft_plan(planning_case, actor=people.worker_a)
    with pytest.raises(ApplicationError) as error:
        services.plan_approve(actor=people.worker_a, plan=plan, expected_version=plan.version)
    assert error.value.code == "not_approver"
    plan = services.plan_approve(actor=people.head_a, plan=plan, expected_version=plan.version)
    assert plan.status == "approved"
    planning_case.refresh_from_db()
    assert planning_case.stage_approved_by == people.head_a


def test_changing_an_approved_plan_makes_a_revision_that_needs_approval_again(
    people, planning_case
):
    draft_plan(planning_case, actor=people.worker_a)
    case = services.case_approve_stage(
        actor=people.head_a, case=planning_case, expected_version=planning_case.version
    )
    case = services.case_advance(actor=people.worker_a, case=case, expected_version=case.version)
    assert case.stage.code == "pemecahan-masalah"
    first = InterventionPlan.objects.get()
    second = services.plan_save(
        actor=people.worker_a,
        case=case,
        expected_version=first.version,
        goals=[_goal(1), _goal(2)],
        services=[_service()],
    )
    first.refresh_from_db()
    assert (first.status, first.goals.count()) == ("superseded", 1)  # kept as it was
    assert (second.revision, second.status) == (2, "draft")
    assert _events("rehabilitation.plan_revised") == 1
    with pytest.raises(services.StalePlan):
        services.plan_approve(actor=people.head_a, plan=second, expected_version=second.version + 1)
    second = services.plan_approve(
        actor=people.head_a, plan=second, expected_version=second.version
    )
    assert second.status == "approved"
    assert [p.revision for p in casework_selectors.plan_revisions(case=case)] == [2, 1]


def test_a_revision_in_the_plan_stage_withdraws_the_stage_approval(people, planning_case):
    plan = draft_plan(planning_case, actor=people.worker_a)
    case = services.case_approve_stage(
        actor=people.head_a, case=planning_case, expected_version=planning_case.version
    )
    plan.refresh_from_db()
    draft_plan(case, actor=people.worker_a, goals=2)
    case.refresh_from_db()
    assert case.stage_approved_at is None
    with pytest.raises(ApplicationError) as error:
        services.case_advance(actor=people.worker_a, case=case, expected_version=case.version)
    assert error.value.code == "approval_required"


# --- Service log -----------------------------------------------------------------------------


def test_service_is_logged_with_staff_or_external_provider(people, case_a):
    entry = services.service_record(
        actor=people.worker_a,
        case=case_a,
        service_type=_type(),
        given_on=DAY,
        provider=people.worker_a,
        duration_minutes=45,
        notes="Senam pagi",
    )
    external = services.service_record(
        actor=people.worker_a,
        case=case_a,
        service_type=_type("MENTAL_SPIRIT"),
        given_on=DAY,
        provider_name="Ustadz Rahmat (relawan)",
        attendance="excused",
        duration_minutes=60,
    )
    assert (entry.provider_label, external.provider_label) == (
        people.worker_a.get_full_name(),
        "Ustadz Rahmat (relawan)",
    )
    assert _events("rehabilitation.service_recorded") == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_on": timezone.localdate() + dt.timedelta(days=1)}, "given_on"),
        ({"given_on": dt.date(2025, 12, 31)}, "given_on"),
        ({"provider": None, "provider_name": ""}, "provider"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"attendance": "late"}, "attendance"),
    ],
)
def test_bad_service_input_saves_nothing(people, case_a, changes, field):
    values = {
        "service_type": _type(),
        "given_on": DAY,
        "provider": people.worker_a,
        "duration_minutes": 30,
        **changes,
    }
    with pytest.raises(ApplicationError) as error:
        services.service_record(actor=people.worker_a, case=case_a, **values)
    assert field in error.value.field_errors
    assert ServiceEntry.objects.count() == 0
    assert _events("rehabilitation.service_recorded") == 0


def test_provider_must_be_staff_of_the_upt(people, case_a):
    with pytest.raises(ApplicationError) as error:
        services.service_record(
            actor=people.worker_a,
            case=case_a,
            service_type=_type(),
            given_on=DAY,
            provider=people.worker_b,
            duration_minutes=30,
        )
    assert "provider" in error.value.field_errors
    assert ServiceEntry.objects.count() == 0


def test_group_session_writes_one_entry_per_client_and_one_audit_event(people, units, case_a):
    others = [
        admit(
            units.upt_a,
            social_worker=people.worker_a2,
            name=f"Warga {i}",
            nik=None,
            no_nik_reason="razia",
        )
        for i in range(3)
    ]
    outside = admit(units.upt_b, social_worker=people.worker_b, name="Warga B")
    attendance = {case_a.pk: "present", others[0].pk: "absent", others[1].pk: "excused"}
    session = services.group_session_record(
        actor=people.worker_a,
        unit=units.upt_a,
        service_type=_type(),
        given_on=DAY,
        topic="Senam lansia",
        provider=people.worker_a,
        duration_minutes=30,
        attendance=attendance,
    )
    entries = ServiceEntry.objects.filter(group_session=session)
    assert sorted(entries.values_list("attendance", flat=True)) == ["absent", "excused", "present"]
    assert set(entries.values_list("case__unit", flat=True)) == {units.upt_a.pk}
    assert _events("rehabilitation.group_session_recorded") == 1
    assert _events("rehabilitation.service_recorded") == 0
    event = AuditEvent.objects.get(action="rehabilitation.group_session_recorded")
    assert event.extra["clients"] == 3
    # a client of another UPT cannot be put into the session: nothing is saved
    with pytest.raises(ApplicationError) as error:
        services.group_session_record(
            actor=people.worker_a,
            unit=units.upt_a,
            service_type=_type(),
            given_on=DAY,
            topic="Senam",
            provider=people.worker_a,
            duration_minutes=30,
            attendance={case_a.pk: "present", outside.pk: "present"},
        )
    assert error.value.code == "cases_not_open"
    assert (GroupSession.objects.count(), ServiceEntry.objects.count()) == (1, 3)


def test_group_session_needs_staff_of_the_upt(people, units, case_a):
    with pytest.raises(ApplicationError) as error:
        services.group_session_record(
            actor=people.worker_b,
            unit=units.upt_a,
            service_type=_type(),
            given_on=DAY,
            topic="Senam",
            provider_name="Instruktur",
            duration_minutes=30,
            attendance={case_a.pk: "present"},
        )
    assert error.value.code == "not_in_unit"
    with pytest.raises(ApplicationError) as error:
        services.group_session_record(
            actor=people.worker_a,
            unit=units.upt_a,
            service_type=_type(),
            given_on=dt.date(2026, 1, 1),
            topic="Senam",
            provider_name="Instruktur",
            duration_minutes=30,
            attendance={case_a.pk: "present"},
        )
    assert error.value.code == "admitted_after_session"
    assert GroupSession.objects.count() == 0


# --- Notes and conferences -------------------------------------------------------------------


def test_progress_note_and_conference(people, case_a):
    note = services.progress_note_add(
        actor=people.worker_a, case=case_a, written_on=DAY, text="  Mulai mau makan sendiri. "
    )
    assert (note.text, note.author) == ("Mulai mau makan sendiri.", people.worker_a)
    conference = services.conference_record(
        actor=people.head_a,
        case=case_a,
        held_on=DAY,
        participants="Peksos, psikolog, keluarga",
        discussion="Kemajuan ADL",
        decisions="Lanjutkan bimbingan fisik",
    )
    assert conference.recorded_by == people.head_a
    assert _events("rehabilitation.progress_note_added") == 1
    assert _events("rehabilitation.conference_recorded") == 1
    with pytest.raises(ApplicationError):
        services.progress_note_add(actor=people.worker_a, case=case_a, written_on=DAY, text=" ")
    with pytest.raises(ApplicationError) as error:
        services.conference_record(
            actor=people.worker_a,
            case=case_a,
            held_on=DAY,
            participants="",
            discussion="x",
            decisions="",
        )
    assert set(error.value.field_errors) == {"participants", "decisions"}
    assert (ProgressNote.objects.count(), CaseConference.objects.count()) == (1, 1)


def test_a_closed_case_is_locked(people, case_a):
    Case.objects.filter(pk=case_a.pk).update(status=Case.Status.CLOSED)
    case_a.refresh_from_db()
    attempts = [
        lambda: services.progress_note_add(
            actor=people.worker_a, case=case_a, written_on=DAY, text="x"
        ),
        lambda: services.service_record(
            actor=people.worker_a,
            case=case_a,
            service_type=_type(),
            given_on=DAY,
            provider_name="x",
            duration_minutes=5,
        ),
        lambda: services.conference_record(
            actor=people.head_a,
            case=case_a,
            held_on=DAY,
            participants="a",
            discussion="b",
            decisions="c",
        ),
        lambda: services.plan_save(
            actor=people.worker_a, case=case_a, expected_version=None, goals=[], services=[]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as error:
            attempt()
        assert error.value.code == "case_closed"
        assert "closed" in error.value.message
    assert ProgressNote.objects.count() + ServiceEntry.objects.count() == 0
    with pytest.raises(ApplicationError) as error:
        services.group_session_record(
            actor=people.worker_a,
            unit=case_a.unit,
            service_type=_type(),
            given_on=DAY,
            topic="Senam",
            provider_name="x",
            duration_minutes=5,
            attendance={case_a.pk: "present"},
        )
    assert error.value.code == "cases_not_open"


# --- Timeline and task list ------------------------------------------------------------------


def test_casework_appears_on_the_client_timeline(people, planning_case):
    draft_plan(planning_case, actor=people.worker_a)
    services.service_record(
        actor=people.worker_a,
        case=planning_case,
        service_type=_type(),
        given_on=DAY,
        provider=people.worker_a,
        duration_minutes=30,
    )
    services.progress_note_add(
        actor=people.worker_a, case=planning_case, written_on=DAY, text="Baik"
    )
    services.conference_record(
        actor=people.worker_a,
        case=planning_case,
        held_on=DAY,
        participants="a",
        discussion="b",
        decisions="Lanjut",
    )
    cases = selectors.client_cases(viewer=people.worker_a, client=planning_case.client)
    kinds = {e.kind for e in selectors.client_timeline(viewer=people.worker_a, cases=cases)}
    assert {"plan", "service", "note", "conference"} <= kinds


def test_task_list_shows_services_given_too_rarely_and_passed_target_dates(people, planning_case):
    today = timezone.localdate()
    plan = services.plan_save(
        actor=people.worker_a,
        case=planning_case,
        expected_version=None,
        goals=[_goal()],
        services=[
            _service(
                start_on=today - dt.timedelta(days=40), target_on=today + dt.timedelta(days=40)
            ),
            _service(
                service_type=_type("VOKASI"),
                times=1,
                start_on=today - dt.timedelta(days=40),
                target_on=today + dt.timedelta(days=40),
            ),
            _service(
                service_type=_type("RUJUKAN"),
                period="month",
                times=1,
                start_on=today - dt.timedelta(days=60),
                target_on=today - dt.timedelta(days=1),
            ),
        ],
    )
    services.case_approve_stage(
        actor=people.head_a, case=planning_case, expected_version=planning_case.version
    )
    services.service_record(
        actor=people.worker_a,
        case=planning_case,
        service_type=_type("VOKASI"),
        given_on=today - dt.timedelta(days=2),
        provider=people.worker_a,
        duration_minutes=30,
    )
    services.service_record(
        actor=people.worker_a,
        case=planning_case,
        service_type=_type(),
        given_on=today - dt.timedelta(days=3),
        provider=people.worker_a,
        duration_minutes=30,
    )
    tasks = selectors.worker_tasks(viewer=people.worker_a)
    overdue = [(o.planned.service_type.code, o.given) for o in tasks.casework.services]
    assert overdue == [("FISIK", 1)]  # 1 of 2 this week; VOKASI (1 of 1) is on track
    assert [p.service_type.code for p in tasks.casework.targets_passed] == ["RUJUKAN"]
    assert plan.planned_services.count() == 3
    # another worker's task list stays empty
    assert not selectors.worker_tasks(viewer=people.worker_a2).casework

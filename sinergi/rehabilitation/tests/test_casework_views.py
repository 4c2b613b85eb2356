"""Casework pages: the authorization matrix of every page (denied POSTs change nothing), what the
case page and the task list show, the lock of a closed case, and query counts that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.rehabilitation import services
from sinergi.rehabilitation.models import (
    Case,
    CaseConference,
    InterventionPlan,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
)
from sinergi.rehabilitation.testing import admit, draft_plan, own_queries

pytestmark = pytest.mark.django_db

DAY = "2026-02-02"


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _counts():
    return [
        InterventionPlan.objects.count(),
        ServiceEntry.objects.count(),
        ProgressNote.objects.count(),
        CaseConference.objects.count(),
        list(InterventionPlan.objects.values_list("status", "version")),
    ]


def _queries(client, url):
    client.get(url)  # warm-up: the idle-timeout middleware writes the session on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _own_queries(client, url):
    """The page's own queries (without the shell's) of one GET of `url`, after a warm-up GET."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return own_queries(captured)


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


@pytest.fixture
def planning_case(case_a):
    return services.case_advance(
        actor=None,
        case=case_a,
        expected_version=case_a.version,
        to_stage=Stage.objects.get(code="rencana"),
        reason="uji",
    )


def _service_data(**extra):
    return {
        "service_type": ServiceType.objects.get(code="FISIK").pk,
        "given_on": DAY,
        "attendance": "present",
        "duration_minutes": 30,
        "provider_name": "Relawan",
        **extra,
    }


def _form_cases(people, *, own_status):
    return [
        Expect("anonymous", None, 302),
        Expect("finance officer", people.finance, 403),
        Expect("head of office (reads only)", people.office, 403),
        Expect("social worker of another UPT", people.worker_b, 404),
        Expect("another social worker of the UPT (not assigned)", people.worker_a2, 403),
        Expect("assigned social worker", people.worker_a, own_status),
    ]


# --- Authorization matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["plan_edit", "service_create", "note_create", "conference_create"]
)
def test_casework_forms_authorization_get(people, planning_case, name):
    assert_authorization(
        url=reverse(f"rehabilitation:{name}", args=[planning_case.pk]),
        cases=_form_cases(people, own_status=200),
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("service_create", _service_data),
        ("note_create", lambda: {"written_on": DAY, "text": "Membaik"}),
        (
            "conference_create",
            lambda: {"held_on": DAY, "participants": "a", "discussion": "b", "decisions": "c"},
        ),
        (
            "plan_edit",
            lambda: {
                "goals-TOTAL_FORMS": "1",
                "goals-INITIAL_FORMS": "0",
                "goals-0-problem": "p",
                "goals-0-goal": "g",
                "goals-0-indicator": "i",
                "services-TOTAL_FORMS": "0",
                "services-INITIAL_FORMS": "0",
            },
        ),
    ],
)
def test_casework_forms_authorization_post(people, planning_case, name, data):
    assert_authorization(
        url=reverse(f"rehabilitation:{name}", args=[planning_case.pk]),
        method="post",
        data=data(),
        state=_counts,
        cases=_form_cases(people, own_status=302),
    )
    assert _counts()[:4] != [0, 0, 0, 0]


def test_plan_approve_authorization(people, planning_case):
    plan = draft_plan(planning_case, actor=people.worker_a)
    url = reverse("rehabilitation:plan_approve", args=[planning_case.pk])
    assert_authorization(
        url=url,
        method="post",
        data={"version": plan.version},
        state=_counts,
        cases=[
            Expect("anonymous", None, 302),
            Expect("assigned social worker", people.worker_a, 403),
            Expect("head of office", people.office, 403),
            Expect("head of another UPT", people.head_b, 404),
        ],
    )
    response = _http(people.head_a).post(url, {"version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_service_log_authorization(people, case_a):
    assert_authorization(
        url=reverse("rehabilitation:service_log", args=[case_a.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of office", people.office, 200),
        ],
    )


def test_group_session_authorization(people, units, case_a):
    url = reverse("rehabilitation:group_session_create")
    data = {
        "service_type": ServiceType.objects.get(code="FISIK").pk,
        "given_on": DAY,
        "topic": "Senam",
        "provider_name": "Instruktur",
        "duration_minutes": 30,
        f"case_{case_a.pk}": "present",
    }
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker", people.worker_a, 200),
        ],
    )
    assert_authorization(
        url=f"{url}?upt={units.upt_a.pk}",
        method="post",
        data=data,
        state=_counts,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of the division (reads only)", people.division, 403),
            # another UPT's worker gets their own UPT's form: the case is not one of its residents
            Expect("social worker of another UPT", people.worker_b, 200),
            Expect("social worker of the UPT", people.worker_a2, 302),
        ],
    )
    assert ServiceEntry.objects.get().case == case_a


# --- Behaviour -------------------------------------------------------------------------------


def test_case_page_shows_the_plan_services_notes_and_conferences(people, planning_case):
    client = _http(people.worker_a)
    url = reverse("rehabilitation:plan_edit", args=[planning_case.pk])
    response = client.post(
        url,
        {
            "summary": "Rencana",
            "goals-TOTAL_FORMS": "2",
            "goals-INITIAL_FORMS": "0",
            "goals-0-problem": "Tidak bisa berjalan sendiri",
            "goals-0-goal": "Berjalan dengan tongkat",
            "goals-0-indicator": "Berjalan 20 meter",
            "goals-1-problem": "Menarik diri",
            "goals-1-goal": "Ikut kegiatan kelompok",
            "goals-1-indicator": "Hadir 3x seminggu",
            "services-TOTAL_FORMS": "1",
            "services-INITIAL_FORMS": "0",
            "services-0-service_type": ServiceType.objects.get(code="FISIK").pk,
            "services-0-times": "3",
            "services-0-period": "week",
            "services-0-responsible": people.worker_a.pk,
            "services-0-start_on": DAY,
            "services-0-target_on": "2026-06-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(
        reverse("rehabilitation:service_create", args=[planning_case.pk]),
        _service_data(notes="Latihan berjalan"),
    )
    client.post(
        reverse("rehabilitation:note_create", args=[planning_case.pk]),
        {"written_on": DAY, "text": "Semangat mengikuti latihan"},
    )
    client.post(
        reverse("rehabilitation:conference_create", args=[planning_case.pk]),
        {"held_on": DAY, "participants": "Peksos", "discussion": "b", "decisions": "Tambah sesi"},
    )
    page = client.get(reverse("rehabilitation:case_panels", args=[planning_case.pk]))
    text = page.content.decode()
    for expected in [
        "Berjalan dengan tongkat",
        "Ikut kegiatan kelompok",
        "Latihan berjalan",
        "Semangat mengikuti latihan",
        "Tambah sesi",
        'data-testid="plan-edit"',
    ]:
        assert expected in text, expected


def test_plan_form_errors_keep_the_input_and_save_nothing(people, planning_case):
    response = _http(people.worker_a).post(
        reverse("rehabilitation:plan_edit", args=[planning_case.pk]),
        {
            "goals-TOTAL_FORMS": "1",
            "goals-INITIAL_FORMS": "0",
            "goals-0-problem": "Masalah",
            "goals-0-goal": "",
            "goals-0-indicator": "",
            "services-TOTAL_FORMS": "0",
            "services-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()
    assert InterventionPlan.objects.count() == 0


def test_stale_plan_form_is_told_to_reload(people, planning_case):
    plan = draft_plan(planning_case, actor=people.worker_a)
    draft_plan(planning_case, actor=people.head_a, goals=2)
    response = _http(people.worker_a).post(
        reverse("rehabilitation:plan_edit", args=[planning_case.pk]),
        {
            "version": plan.version,
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "services-TOTAL_FORMS": "0",
            "services-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "Reload the page" in response.content.decode() or "Muat ulang" in response.content.decode()
    )
    assert InterventionPlan.objects.get().goals.count() == 2


def test_closed_case_shows_the_casework_read_only_with_a_message(people, case_a):
    Case.objects.filter(pk=case_a.pk).update(status=Case.Status.CLOSED)
    client = _http(people.worker_a)
    text = client.get(reverse("rehabilitation:case_panels", args=[case_a.pk])).content.decode()
    assert 'data-testid="casework-locked"' in text
    assert 'data-testid="service-add"' not in text
    response = client.get(reverse("rehabilitation:note_create", args=[case_a.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("rehabilitation:note_create", args=[case_a.pk]), {"written_on": DAY, "text": "x"}
    )
    assert response.status_code == 302
    assert ProgressNote.objects.count() == 0


def test_task_list_shows_the_overdue_casework(people, planning_case):
    today = timezone.localdate()
    services.plan_save(
        actor=people.worker_a,
        case=planning_case,
        expected_version=None,
        goals=[{"problem": "a", "goal": "b", "indicator": "c"}],
        services=[
            {
                "service_type": ServiceType.objects.get(code="FISIK"),
                "times": 2,
                "period": "week",
                "start_on": today - dt.timedelta(days=30),
                "target_on": today + dt.timedelta(days=30),
            },
            {
                "service_type": ServiceType.objects.get(code="VOKASI"),
                "times": 1,
                "period": "month",
                "start_on": today - dt.timedelta(days=30),
                "target_on": today - dt.timedelta(days=2),
            },
        ],
    )
    services.case_approve_stage(
        actor=people.head_a, case=planning_case, expected_version=planning_case.version
    )
    text = _http(people.worker_a).get(reverse("rehabilitation:task_list")).content.decode()
    assert 'data-testid="tasks-services-overdue"' in text
    assert 'data-testid="tasks-plan-targets"' in text


# --- Query counts ----------------------------------------------------------------------------


def _add_rows(case, worker, n):
    day = dt.date(2026, 2, 1)
    for i in range(n):
        services.service_record(
            actor=worker,
            case=case,
            service_type=ServiceType.objects.get(code="FISIK"),
            given_on=day + dt.timedelta(days=i),
            provider=worker,
            duration_minutes=30,
        )
        services.progress_note_add(
            actor=worker, case=case, written_on=day + dt.timedelta(days=i), text=f"Catatan {i}"
        )
        services.conference_record(
            actor=worker,
            case=case,
            held_on=day + dt.timedelta(days=i),
            participants="a",
            discussion="b",
            decisions="c",
        )


def test_case_page_service_log_and_task_list_queries_do_not_grow(people, planning_case):
    draft_plan(planning_case, actor=people.worker_a, goals=2)
    client = _http(people.worker_a)
    urls = [
        reverse("rehabilitation:case_detail", args=[planning_case.pk]),
        reverse("rehabilitation:case_panels", args=[planning_case.pk]),
        reverse("rehabilitation:service_log", args=[planning_case.pk]),
        reverse("rehabilitation:task_list"),
        reverse("rehabilitation:client_detail", args=[planning_case.client_id]),
        reverse("rehabilitation:plan_edit", args=[planning_case.pk]),
    ]
    _add_rows(planning_case, people.worker_a, 2)
    before = [_own_queries(client, url) for url in urls]
    _add_rows(planning_case, people.worker_a, 25)
    draft_plan(planning_case, actor=people.worker_a, goals=5)
    after = [_own_queries(client, url) for url in urls]
    assert after == before
    # pinned, without the shell's queries: the case page (case, its read logged, assessments;
    # stages cached, no follow-ups before the termination), its panels (case; bed, waiting entry
    # and transfers; plan with goals and services, services, notes, conferences; events), the
    # service log page, the task list, the client page, the plan editor
    assert before == [4, 13, 3, 6, 14, 8]


def test_group_session_form_queries_do_not_grow(people, units, case_a):
    client = _http(people.worker_a)
    url = reverse("rehabilitation:group_session_create") + f"?upt={units.upt_a.pk}"
    before = _queries(client, url)
    for i in range(5):
        admit(units.upt_a, social_worker=people.worker_a, name=f"Warga {i}")
    assert _queries(client, url) == before

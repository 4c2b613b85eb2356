"""API writes and casework endpoints: the authorization matrix of each (anonymous 401, wrong role
403, other UPT 404, own 200/201; denied calls change nothing), behaviour, and pinned query counts."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect
from sinergi.api.testing import assert_error, bearer_headers
from sinergi.audit.models import AuditEvent
from sinergi.rehabilitation import services
from sinergi.rehabilitation.models import (
    Assessment,
    Case,
    FollowUp,
    GroupSession,
    InterventionPlan,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.testing import admit, draft_plan

pytestmark = pytest.mark.django_db

BASE = "/api/v1/rehabilitation"
FULL = [
    {"item": i, "score": s}
    for i, s in {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}.items()
]


def _call(user, method, url, body=None):
    client = HttpClient()
    headers = bearer_headers(user) if user is not None else {}
    if method == "get":
        return client.get(url, body or {}, **headers)
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def _state():
    return [
        Assessment.objects.count(),
        ServiceEntry.objects.count(),
        GroupSession.objects.count(),
        ProgressNote.objects.count(),
        list(Case.objects.order_by("pk").values_list("stage_id", "version")),
        list(FollowUp.objects.order_by("pk").values_list("done_on", flat=True)),
    ]


def _matrix(url, cases, *, method="get", body=None):
    """Each case's status; denied calls (401/403/404) leave the data as it was."""
    for case in cases:
        before = _state()
        response = _call(case.user, method, url, body() if callable(body) else body)
        assert response.status_code == case.status, (
            f"{case.who}: {method.upper()} {url} gave {response.status_code}, expected "
            f"{case.status}: {response.content[:300]!r}"
        )
        if case.status in {401, 403, 404}:
            assert _state() == before, f"{case.who}: a denied call changed data"


def _denied(people, *, wrong_role=None):
    return [
        Expect("anonymous", None, 401),
        Expect("finance officer", wrong_role or people.finance, 403),
        Expect("social worker of another UPT", people.worker_b, 404),
    ]


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


def _service_body(case, **extra):
    return {
        "case_id": str(case.pk),
        "service_type": "FISIK",
        "given_on": "2026-02-02",
        "provider_name": "Relawan",
        "duration_minutes": 30,
        **extra,
    }


# --- Client search -------------------------------------------------------------------------------


def test_client_search_takes_nik_and_name_in_a_json_body(people, units, case_a):
    admit(units.upt_b, name="Sumarni", birth_on=dt.date(1948, 5, 2))
    url = f"{BASE}/clients/search"
    _matrix(
        url,
        [
            Expect("anonymous", None, 401),
            Expect("finance officer", people.finance, 403),
            Expect("social worker", people.worker_a, 200),
        ],
        method="post",
        body={"name": "siti"},
    )
    body = _call(people.worker_a, "post", url, {"nik": case_a.client.nik}).json()
    assert [c["id"] for c in body["items"]] == [str(case_a.client_id)]
    # another UPT's client is not found, by name or NIK
    assert _call(people.worker_a, "post", url, {"name": "Sumarni"}).json()["items"] == []
    assert _call(people.worker_b, "post", url, {"nik": case_a.client.nik}).json()["items"] == []
    # the GET list takes no NIK or name: such parameters are ignored, never used for searching
    listed = _call(people.worker_a, "get", f"{BASE}/clients", {"name": "zzz"}).json()
    assert len(listed["items"]) == 1


def test_client_search_pages_with_a_cursor(people, units, case_a):
    admit(units.upt_a, name="Bambang", birth_on=dt.date(1955, 1, 1), sex="L")
    url = f"{BASE}/clients/search"
    first = _call(people.worker_a, "post", url, {"limit": 1}).json()
    second = _call(
        people.worker_a, "post", url, {"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert [first["items"][0]["name"], second["items"][0]["name"]] == ["Bambang", "Siti Aminah"]
    assert second["next_cursor"] is None


# --- Assessments ---------------------------------------------------------------------------------


def test_assessment_create_authorization_and_validation(people, case_a):
    url = f"{BASE}/assessments"
    body = {"case_id": str(case_a.pk), "assessed_on": "2026-02-02", "scores": FULL}
    _matrix(
        url,
        [
            *_denied(people, wrong_role=people.office),
            Expect("social worker of the UPT, not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 201),
        ],
        method="post",
        body=body,
    )
    created = _call(people.head_a, "post", url, body).json()
    assert (created["total_score"], created["band"], len(created["answers"])) == (20, "Mandiri", 10)
    missing = _call(people.worker_a, "post", url, {**body, "scores": FULL[:9]})
    assert assert_error(missing, 400, "missing_item")
    assert Assessment.objects.count() == 2


# --- Service log ---------------------------------------------------------------------------------


def test_service_create_and_list(people, case_a):
    url = f"{BASE}/services"
    _matrix(
        url,
        [
            *_denied(people, wrong_role=people.office),
            Expect("social worker of the UPT, not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 201),
        ],
        method="post",
        body=_service_body(case_a),
    )
    entry = _call(
        people.worker_a, "post", url, _service_body(case_a, provider_id=people.worker_a.pk)
    ).json()
    assert (entry["provider_id"], entry["service_type"]["code"]) == (people.worker_a.pk, "FISIK")
    bad = _call(people.worker_a, "post", url, _service_body(case_a, service_type="NOPE"))
    assert_error(bad, 400, "validation_error")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert_error(
        _call(people.worker_a, "post", url, _service_body(case_a, given_on=future)), 400, "invalid"
    )
    assert ServiceEntry.objects.count() == 2
    list_url = f"{BASE}/cases/{case_a.pk}/services"
    _matrix(
        list_url,
        [*_denied(people), Expect("social worker of the UPT", people.worker_a2, 200)],
    )
    page = _call(people.worker_a, "get", list_url, {"limit": 1}).json()
    assert len(page["items"]) == 1
    assert page["next_cursor"]


def test_group_session(people, units, case_a):
    other = admit(units.upt_a, social_worker=people.worker_a2, name="Warga Dua")
    url = f"{BASE}/services/group"

    def body():
        return {
            "unit": units.upt_a.pk,
            "service_type": "FISIK",
            "given_on": "2026-02-02",
            "topic": "Senam pagi",
            "provider_name": "Instruktur",
            "duration_minutes": 30,
            "participants": [
                {"case_id": str(case_a.pk)},
                {"case_id": str(other.pk), "attendance": "absent"},
            ],
        }

    _matrix(
        url,
        [
            *_denied(people, wrong_role=people.division),
            Expect("social worker", people.worker_a2, 201),
        ],
        method="post",
        body=body,
    )
    assert sorted(ServiceEntry.objects.values_list("attendance", flat=True)) == [
        "absent",
        "present",
    ]
    assert AuditEvent.objects.filter(action="rehabilitation.group_session_recorded").count() == 1


# --- Progress notes ------------------------------------------------------------------------------


def test_progress_notes(people, case_a):
    _matrix(
        f"{BASE}/progress-notes",
        [
            *_denied(people, wrong_role=people.office),
            Expect("assigned social worker", people.worker_a, 201),
        ],
        method="post",
        body={"case_id": str(case_a.pk), "written_on": "2026-02-02", "text": "Membaik"},
    )
    list_url = f"{BASE}/cases/{case_a.pk}/progress-notes"
    _matrix(list_url, [*_denied(people), Expect("head of office", people.office, 200)])
    [note] = _call(people.office, "get", list_url).json()["items"]
    assert (note["text"], note["author"]) == ("Membaik", people.worker_a.username)


# --- Plan ----------------------------------------------------------------------------------------


def test_plan_read(people, planning_case):
    url = f"{BASE}/cases/{planning_case.pk}/plan"
    assert_error(_call(people.worker_a, "get", url), 404, "not_found")
    draft_plan(planning_case, actor=people.worker_a, goals=2)
    _matrix(url, [*_denied(people), Expect("social worker of the UPT", people.worker_a2, 200)])
    plan = _call(people.worker_a, "get", url).json()
    assert (plan["revision"], plan["status"], len(plan["goals"]), len(plan["services"])) == (
        1,
        "draft",
        2,
        1,
    )


# --- Follow-ups and stage advance ----------------------------------------------------------------


def _in_aftercare(case, people):
    case = services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="terminasi"),
        reason="uji",
        termination_reason=TerminationReason.objects.get(code="tujuan-tercapai"),
        termination_on=dt.date(2026, 3, 1),
        destination_address="Rumah keluarga",
    )
    case = services.case_approve_stage(
        actor=people.head_a, case=case, expected_version=case.version
    )
    return services.case_advance(actor=None, case=case, expected_version=case.version)


def test_follow_ups_list_and_record(people, case_a):
    case = _in_aftercare(case_a, people)
    list_url = f"{BASE}/cases/{case.pk}/follow-ups"
    _matrix(list_url, [*_denied(people), Expect("head of office", people.office, 200)])
    items = _call(people.worker_a, "get", list_url).json()["items"]
    assert [f["months"] for f in items] == [1, 3, 6, 12]
    url = f"{BASE}/cases/{case.pk}/follow-ups/1"
    body = {"done_on": "2026-04-02", "method": "visit", "condition": "Sehat", "outcome": "Baik"}
    _matrix(
        url,
        [
            *_denied(people, wrong_role=people.office),
            Expect("social worker of the UPT, not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 200),
        ],
        method="post",
        body=body,
    )
    assert FollowUp.objects.get(case=case, number=1).outcome == "Baik"
    assert_error(
        _call(people.worker_a, "post", f"{BASE}/cases/{case.pk}/follow-ups/9", body),
        404,
        "not_found",
    )


def test_case_advance(people, case_a):
    url = f"{BASE}/cases/{case_a.pk}/advance"
    _matrix(
        url,
        [
            *_denied(people, wrong_role=people.office),
            Expect("social worker of the UPT, not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 200),
        ],
        method="post",
        body=lambda: {"version": Case.objects.get(pk=case_a.pk).version},
    )
    case_a.refresh_from_db()
    assert case_a.stage.code == "asesmen"
    stale = _call(people.worker_a, "post", url, {"version": case_a.version - 1})
    assert_error(stale, 409, "stale")
    skip = _call(
        people.worker_a, "post", url, {"version": case_a.version, "to_stage": "resosialisasi"}
    )
    assert_error(skip, 400, "skip_without_reason")
    case_a.refresh_from_db()
    assert case_a.stage.code == "asesmen"
    moved = _call(people.worker_a, "post", url, {"version": case_a.version}).json()
    assert (moved["stage"]["code"], moved["version"]) == ("rencana", case_a.version + 1)
    # the plan stage needs the plan approved before the case moves on
    blocked = _call(people.worker_a, "post", url, {"version": moved["version"]})
    assert_error(blocked, 400, "approval_required")


def test_closed_case_is_locked_in_the_api(people, case_a):
    Case.objects.filter(pk=case_a.pk).update(status=Case.Status.CLOSED)
    response = _call(people.worker_a, "post", f"{BASE}/services", _service_body(case_a))
    assert_error(response, 400, "case_closed")
    response = _call(
        people.worker_a,
        "post",
        f"{BASE}/progress-notes",
        {"case_id": str(case_a.pk), "written_on": "2026-02-02", "text": "x"},
    )
    assert_error(response, 400, "case_closed")
    assert ServiceEntry.objects.count() + ProgressNote.objects.count() == 0


# --- Query counts --------------------------------------------------------------------------------


def _count(user, method, url, body=None):
    headers = bearer_headers(user)
    client = HttpClient()
    call = (
        (lambda: client.get(url, body or {}, **headers))
        if method == "get"
        else (
            lambda: client.post(url, json.dumps(body), content_type="application/json", **headers)
        )
    )
    call()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code in {200, 201}, response.content[:300]
    return len(captured)


def test_query_counts_do_not_grow_with_rows(people, units, planning_case):
    draft_plan(planning_case, actor=people.worker_a)
    reads = [
        ("get", f"{BASE}/cases/{planning_case.pk}/services", None),
        ("get", f"{BASE}/cases/{planning_case.pk}/progress-notes", None),
        ("get", f"{BASE}/cases/{planning_case.pk}/plan", None),
        ("get", f"{BASE}/cases/{planning_case.pk}/follow-ups", None),
        ("post", f"{BASE}/clients/search", {"name": "a"}),
    ]
    writes = [
        ("post", f"{BASE}/services", _service_body(planning_case)),
        (
            "post",
            f"{BASE}/progress-notes",
            {"case_id": str(planning_case.pk), "written_on": "2026-02-02", "text": "x"},
        ),
    ]

    def counts():
        return [_count(people.worker_a, m, u, b) for m, u, b in [*reads, *writes]]

    before = counts()
    for i in range(6):
        admit(units.upt_a, social_worker=people.worker_a, name=f"Anita {i}")
        services.service_record(
            actor=people.worker_a,
            case=planning_case,
            service_type=ServiceType.objects.get(code="VOKASI"),
            given_on=dt.date(2026, 2, 3),
            provider=people.worker_a,
            duration_minutes=20,
        )
    draft_plan(planning_case, actor=people.worker_a, goals=4)
    assert counts() == before
    assert max(before[: len(reads)]) <= 12, before


def test_group_session_writes_are_set_based(people, units, case_a):
    cases = [case_a, *[admit(units.upt_a, name=f"Warga {i}") for i in range(10)]]

    def body(n):
        return {
            "unit": units.upt_a.pk,
            "service_type": "FISIK",
            "given_on": "2026-02-02",
            "topic": "Senam",
            "provider_name": "Instruktur",
            "duration_minutes": 30,
            "participants": [{"case_id": str(c.pk)} for c in cases[:n]],
        }

    small = _count(people.worker_a, "post", f"{BASE}/services/group", body(2))
    large = _count(people.worker_a, "post", f"{BASE}/services/group", body(11))
    assert large == small
    assert InterventionPlan.objects.count() == 0

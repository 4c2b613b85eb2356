"""Pages and API of the residential side and transfers: the authorization matrix (denied writes
change nothing), what the pages show, exports, and query counts that do not grow with rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.rehabilitation.models import (
    Bed,
    MovementType,
    Residence,
    ResidenceEvent,
    Room,
    Transfer,
    WaitingListEntry,
)
from sinergi.rehabilitation.services import residential as services
from sinergi.rehabilitation.services import transfers as transfer_services
from sinergi.rehabilitation.testing import admit, own_queries

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 10)
API = "/api/v1/rehabilitation"


@pytest.fixture(autouse=True)
def movement_types(reference):
    services.movement_types_load(actor=None)


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _state():
    return (
        Room.objects.count(),
        list(Bed.objects.order_by("pk").values_list("is_active", flat=True)),
        list(Residence.objects.order_by("pk").values_list("bed_id", "ended_on", "is_away")),
        ResidenceEvent.objects.count(),
        list(WaitingListEntry.objects.order_by("pk").values_list("status", flat=True)),
        list(Transfer.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.fixture
def setup(units, people):
    room = services.room_create(actor=None, unit=units.upt_a, wisma="Wisma A", name="K1", beds=3)
    services.room_create(actor=None, unit=units.upt_b, wisma="Wisma B", name="K1", beds=2)
    case = admit(units.upt_a, social_worker=people.worker_a)
    beds = list(room.beds.order_by("label"))
    residence = services.resident_admit(actor=None, case=case, bed=beds[0], admitted_on=DAY)
    waiting_case = admit(units.upt_a, name="Menunggu", birth_on=dt.date(1950, 6, 6))
    entry = services.waiting_add(actor=None, case=waiting_case, requested_on=DAY, priority=2)
    return {"case": case, "beds": beds, "residence": residence, "entry": entry, "room": room}


def _readers(people, own_status=200):
    return [
        Expect("anonymous", None, 302),
        Expect("finance officer", people.finance, 403),
        Expect("social worker of another UPT", people.worker_b, 404),
        Expect("social worker of the UPT", people.worker_a, own_status),
        Expect("head of the division", people.division, 200),
    ]


# --- Authorization matrix: pages -------------------------------------------------------------


def test_occupancy_summary_authorization(people, setup):
    assert_authorization(
        url=reverse("rehabilitation:occupancy"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("no role", people.no_role, 403),
            Expect("finance officer", people.finance, 403),
            Expect("social worker", people.worker_a, 200),
            Expect("head of office", people.office, 200),
            Expect("auditor-like reader: division", people.division, 200),
        ],
    )


@pytest.mark.parametrize("name", ["occupancy_unit", "roster", "roster_xlsx", "roster_pdf"])
def test_unit_pages_authorization(units, people, setup, name):
    assert_authorization(
        url=reverse(f"rehabilitation:{name}", args=[units.upt_a.pk]), cases=_readers(people)
    )


def test_resident_page_and_case_panel_authorization(people, setup):
    assert_authorization(
        url=reverse("rehabilitation:resident", args=[setup["residence"].pk]),
        cases=_readers(people),
    )
    assert_authorization(
        url=reverse("rehabilitation:residence_panel", args=[setup["case"].pk]),
        cases=[*_readers(people), Expect("head of another UPT", people.head_b, 404)],
    )


def test_admit_page_authorization(people, setup):
    case = setup["entry"].case
    assert_authorization(
        url=reverse("rehabilitation:admit", args=[case.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of the division (reads only)", people.division, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("another social worker of the UPT", people.worker_a2, 200),
        ],
    )


def test_waiting_cancel_page_authorization(people, setup):
    assert_authorization(
        url=reverse("rehabilitation:waiting_cancel", args=[setup["entry"].pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of the UPT", people.head_a, 200),
        ],
    )


def test_denied_writes_change_nothing(units, people, setup):
    residence = setup["residence"]
    home_leave = MovementType.objects.get(code="cuti-pulang")
    posts = [
        (
            reverse("rehabilitation:admit", args=[setup["entry"].case_id]),
            {"bed": setup["beds"][1].pk, "admitted_on": "2026-01-11"},
        ),
        (
            reverse("rehabilitation:waiting_add", args=[setup["case"].pk]),
            {"requested_on": "2026-01-11", "priority": 3},
        ),
        (reverse("rehabilitation:waiting_cancel", args=[setup["entry"].pk]), {"reason": "x"}),
        (
            reverse("rehabilitation:movement_record", args=[residence.pk]),
            {"movement_type": home_leave.pk, "occurred_on": "2026-01-12"},
        ),
        (
            reverse("rehabilitation:resident_move", args=[residence.pk]),
            {"bed": setup["beds"][2].pk, "moved_on": "2026-01-12"},
        ),
        (
            reverse("rehabilitation:resident_leave", args=[residence.pk]),
            {"ended_on": "2026-01-12"},
        ),
    ]
    for url, data in posts:
        assert_authorization(
            url=url,
            method="post",
            data=data,
            state=_state,
            cases=[
                Expect("anonymous", None, 302),
                Expect("head of office (reads only)", people.office, 403),
                Expect("head of the division (reads only)", people.division, 403),
                Expect("social worker of another UPT", people.worker_b, 404),
            ],
        )
    for url, data in [
        (
            reverse("rehabilitation:room_create", args=[units.upt_a.pk]),
            {"wisma": "W", "name": "N", "beds": 2},
        ),
        (reverse("rehabilitation:bed_toggle", args=[setup["beds"][2].pk]), {}),
    ]:
        assert_authorization(
            url=url,
            method="post",
            data=data,
            state=_state,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker of the UPT", people.worker_a, 403),
                Expect("head of another UPT", people.head_b, 404),
            ],
        )


def test_allowed_writes_through_the_pages(units, people, setup):
    worker = _http(people.worker_a2)
    residence = setup["residence"]
    home_leave = MovementType.objects.get(code="cuti-pulang")
    response = worker.post(
        reverse("rehabilitation:movement_record", args=[residence.pk]),
        {"movement_type": home_leave.pk, "occurred_on": "2026-01-12", "note": "Lebaran"},
    )
    assert response.status_code == 302
    residence.refresh_from_db()
    assert residence.is_away
    response = worker.post(
        reverse("rehabilitation:admit", args=[setup["entry"].case_id]),
        {"bed": setup["beds"][1].pk, "admitted_on": "2026-01-11"},
    )
    assert response.status_code == 302
    head = _http(people.head_a)
    response = head.post(
        reverse("rehabilitation:room_create", args=[units.upt_a.pk]),
        {"wisma": "Wisma Baru", "name": "K2", "beds": 2},
    )
    assert response.status_code == 302
    assert Room.objects.filter(unit=units.upt_a).count() == 2


def test_a_full_upt_shows_the_indonesian_message_and_saves_nothing(units, people, setup):
    for i, bed in enumerate(setup["beds"][1:]):
        case = admit(units.upt_a, name=f"Isi {i}", birth_on=dt.date(1949, 1, 1 + i))
        services.resident_admit(actor=None, case=case, bed=bed, admitted_on=DAY)
    newcomer = admit(units.upt_a, name="Baru", birth_on=dt.date(1948, 1, 1))
    before = _state()
    with translation.override("id"):
        response = _http(people.worker_a).post(
            reverse("rehabilitation:admit", args=[newcomer.pk]),
            {"bed": setup["beds"][0].pk, "admitted_on": "2026-01-11"},
            HTTP_ACCEPT_LANGUAGE="id",
        )
    assert response.status_code == 400
    assert "penuh: 3 dari 3 tempat tidur terisi" in response.content.decode()
    assert _state() == before


# --- Transfers: pages ------------------------------------------------------------------------


@pytest.fixture
def transfer(units, people, setup):
    return transfer_services.transfer_request(
        actor=people.worker_a,
        case=setup["case"],
        to_unit=units.upt_b,
        reason="Perlu layanan lansia",
        requested_on=DAY,
    )


def test_transfer_pages_authorization(people, transfer, make_user, units):
    outsider = make_user("social_worker", units.empowerment_division)
    assert_authorization(
        url=reverse("rehabilitation:transfer_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker", people.worker_a, 200),
        ],
    )
    assert_authorization(
        url=reverse("rehabilitation:transfer_detail", args=[transfer.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("a unit that is neither sender nor receiver", outsider, 404),
            Expect("sender", people.worker_a, 200),
            Expect("receiver", people.head_b, 200),
        ],
    )
    assert_authorization(
        url=reverse("rehabilitation:transfer_create", args=[transfer.case_id]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("worker not assigned", people.worker_a2, 403),
            Expect("worker of another UPT", people.worker_b, 404),
            Expect("assigned worker", people.worker_a, 200),
        ],
    )


def test_a_transfer_request_is_denied_to_others_and_saves_nothing(people, units, setup):
    url = reverse("rehabilitation:transfer_create", args=[setup["case"].pk])
    data = {
        "kind": "upt",
        "to_unit": units.upt_b.pk,
        "requested_on": "2026-01-12",
        "reason": "Perlu layanan lansia",
    }
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of office (reads only)", people.office, 403),
            Expect("worker of the UPT, not assigned", people.worker_a2, 403),
            Expect("worker of another UPT", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
        ],
    )
    response = _http(people.worker_a).post(url, data)
    assert response.status_code == 302
    assert list(Transfer.objects.values_list("case_id", "to_unit_id", "status")) == [
        (setup["case"].pk, units.upt_b.pk, "pending")
    ]


def test_api_transfer_writes_authorization(units, people, setup):
    payload = {"case_id": str(setup["case"].pk), "to_unit_id": units.upt_b.pk, "reason": "Lansia"}
    denied = [
        Expect("anonymous", None, 401),
        Expect("finance officer", people.finance, 403),
        Expect("head of office (reads only)", people.office, 403),
        Expect("worker of the UPT, not assigned", people.worker_a2, 403),
        Expect("worker of another UPT", people.worker_b, 404),
    ]
    assert_authorization(
        url=f"{API}/transfers",
        method="post",
        data=payload,
        content_type="application/json",
        state=_state,
        cases=denied,
    )
    created = _http(people.worker_a).post(
        f"{API}/transfers", payload, content_type="application/json"
    )
    assert created.status_code == 201
    assert_authorization(
        url=f"{API}/transfers/{created.json()['id']}/answer",
        method="post",
        data={"accept": True},
        content_type="application/json",
        state=_state,
        cases=[
            Expect("anonymous", None, 401),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of the receiving UPT", people.worker_b, 403),
            Expect("head of the sending UPT", people.head_a, 403),
        ],
    )
    assert Transfer.objects.get().status == "pending"


def test_transfer_answer_and_withdrawal_are_denied_to_others(people, transfer):
    answer = reverse("rehabilitation:transfer_acknowledge", args=[transfer.pk])
    assert_authorization(
        url=answer,
        method="post",
        data={"decision": "accept", "accepted_on": "2026-01-12"},
        state=_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of the receiving UPT", people.worker_b, 403),
            Expect("head of the sending UPT", people.head_a, 403),
        ],
    )
    assert_authorization(
        url=reverse("rehabilitation:transfer_cancel", args=[transfer.pk]),
        method="post",
        state=_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people.office, 403),
            Expect("social worker of the receiving UPT", people.worker_b, 403),
        ],
    )


def test_the_receiving_head_accepts_through_the_page(people, transfer):
    response = _http(people.head_b).post(
        reverse("rehabilitation:transfer_acknowledge", args=[transfer.pk]),
        {"decision": "accept", "accepted_on": "2026-01-12", "social_worker": people.worker_b.pk},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "accepted"
    assert transfer.new_case.social_worker == people.worker_b
    # the sender still opens its own case page, not the new one
    sender = _http(people.worker_a)
    old = sender.get(reverse("rehabilitation:case_detail", args=[transfer.case_id]))
    assert old.status_code == 200
    new = sender.get(reverse("rehabilitation:case_detail", args=[transfer.new_case_id]))
    assert new.status_code == 404
    page = sender.get(reverse("rehabilitation:transfer_detail", args=[transfer.pk]))
    assert 'data-testid="new-case-link"' not in page.content.decode()


def test_a_decline_without_reason_is_refused_on_the_page(people, transfer):
    response = _http(people.head_b).post(
        reverse("rehabilitation:transfer_acknowledge", args=[transfer.pk]),
        {"decision": "decline", "accepted_on": "2026-01-12"},
    )
    assert response.status_code == 400
    transfer.refresh_from_db()
    assert transfer.status == "pending"


# --- Exports -----------------------------------------------------------------------------------


def test_the_roster_exports_to_xlsx_and_is_audited(units, people, setup):
    response = _http(people.worker_a).get(
        reverse("rehabilitation:roster_xlsx", args=[units.upt_a.pk]), {"tanggal": "2026-01-10"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "presensi-upt-rsbd-pasuruan-2026-01-10.xlsx" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="core.data_exported").count() == 1


# --- API -------------------------------------------------------------------------------------


def test_api_authorization_and_scope(units, people, setup, transfer):
    for url in [f"{API}/occupancy", f"{API}/transfers"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("finance officer", people.finance, 403),
                Expect("social worker", people.worker_a, 200),
            ],
        )
    for suffix in ["beds", "waiting", "movements"]:
        assert_authorization(
            url=f"{API}/occupancy/{units.upt_a.pk}/{suffix}",
            cases=[
                Expect("anonymous", None, 401),
                Expect("finance officer", people.finance, 403),
                Expect("social worker of another UPT", people.worker_b, 404),
                Expect("social worker of the UPT", people.worker_a, 200),
            ],
        )
    rows = _http(people.worker_b).get(f"{API}/occupancy").json()
    assert [(r["unit_code"], r["beds"], r["occupied"]) for r in rows] == [
        ("upt-pstw-magetan", 2, 0)
    ]
    rows = _http(people.division).get(f"{API}/occupancy").json()
    assert {r["unit_code"]: (r["occupied"], r["waiting"]) for r in rows} == {
        "upt-rsbd-pasuruan": (1, 1),
        "upt-pstw-magetan": (0, 0),
    }


def test_api_transfer_create_and_answer(units, people, setup):
    other = admit(
        units.upt_a, social_worker=people.worker_a, name="Kirim", birth_on=dt.date(1951, 1, 1)
    )
    payload = {"case_id": str(other.pk), "to_unit_id": units.upt_b.pk, "reason": "Lansia"}
    denied = _http(people.worker_a2).post(
        f"{API}/transfers", payload, content_type="application/json"
    )
    assert denied.status_code == 403
    assert Transfer.objects.count() == 0
    created = _http(people.worker_a).post(
        f"{API}/transfers", payload, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    transfer_id = created.json()["id"]
    url = f"{API}/transfers/{transfer_id}/answer"
    body = {"accept": True}
    assert (
        _http(people.worker_b).post(url, body, content_type="application/json").status_code == 403
    )
    answered = _http(people.head_b).post(url, body, content_type="application/json")
    assert answered.status_code == 200
    assert answered.json()["status"] == "accepted"
    assert answered.json()["new_case_id"] is not None
    seen_by_sender = _http(people.worker_a).get(f"{API}/transfers").json()["items"]
    assert seen_by_sender[0]["new_case_id"] is None


# --- Query counts ----------------------------------------------------------------------------


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return own_queries(captured)


# Exact queries of one GET of each page and endpoint (P11), without the shell's (session, user,
# roles, notifications: testing.own_queries): the same with one row and with several. The head of
# UPT A reads them; its residents are in beds, one waits, one transfer is pending.
PINNED = {
    "occupancy": 5,  # units, filter options (one query), figures (one statement), transfers in
    "occupancy_unit": 9,  # the UPT's figures in one statement (they were three)
    "roster": 3,
    "roster_xlsx": 4,
    "roster_pdf": 4,
    "admit": 7,
    "waiting_cancel": 2,
    "resident": 7,
    "residence_panel": 6,
    "transfer_list": 2,
    "transfer_create": 3,
    "transfer_detail": 5,
    "api_occupancy": 3,
    "api_beds": 5,
    "api_waiting": 3,
    "api_movements": 3,
    "api_transfers": 2,
}


def _pinned_urls(units, setup, transfer):
    upt = units.upt_a.pk
    return {
        "occupancy": reverse("rehabilitation:occupancy"),
        "occupancy_unit": reverse("rehabilitation:occupancy_unit", args=[upt]),
        "roster": reverse("rehabilitation:roster", args=[upt]) + "?tanggal=2026-01-20",
        "roster_xlsx": reverse("rehabilitation:roster_xlsx", args=[upt]) + "?tanggal=2026-01-20",
        "roster_pdf": reverse("rehabilitation:roster_pdf", args=[upt]) + "?tanggal=2026-01-20",
        "admit": reverse("rehabilitation:admit", args=[setup["entry"].case_id]),
        "waiting_cancel": reverse("rehabilitation:waiting_cancel", args=[setup["entry"].pk]),
        "resident": reverse("rehabilitation:resident", args=[setup["residence"].pk]),
        "residence_panel": reverse("rehabilitation:residence_panel", args=[setup["case"].pk]),
        "transfer_list": reverse("rehabilitation:transfer_list"),
        "transfer_create": reverse("rehabilitation:transfer_create", args=[setup["entry"].case_id]),
        "transfer_detail": reverse("rehabilitation:transfer_detail", args=[transfer.pk]),
        "api_occupancy": f"{API}/occupancy",
        "api_beds": f"{API}/occupancy/{upt}/beds",
        "api_waiting": f"{API}/occupancy/{upt}/waiting",
        "api_movements": f"{API}/occupancy/{upt}/movements",
        "api_transfers": f"{API}/transfers",
    }


def _more_rows(units, setup):
    """Four more residents (in hospital, with a pending transfer each) and four more waiting."""
    room = services.room_create(actor=None, unit=units.upt_a, wisma="Wisma C", name="K9", beds=4)
    for i, bed in enumerate(room.beds.all()):
        case = admit(units.upt_a, name=f"Tambah {i}", birth_on=dt.date(1947, 1, 1 + i))
        residence = services.resident_admit(actor=None, case=case, bed=bed, admitted_on=DAY)
        services.movement_record(
            actor=None,
            residence=residence,
            movement_type=MovementType.objects.get(code="rawat-inap"),
            occurred_on=DAY + dt.timedelta(days=1),
        )
        waiting = admit(units.upt_a, name=f"Tunggu {i}", birth_on=dt.date(1946, 1, 1 + i))
        services.waiting_add(actor=None, case=waiting, requested_on=DAY, priority=3)
        transfer_services.transfer_request(
            actor=None, case=case, to_unit=units.upt_b, reason="x", requested_on=DAY
        )
    # more history for the resident of the pinned pages
    for code, day in (("cuti-pulang", 11), ("kembali", 12), ("rawat-inap", 13), ("kembali", 14)):
        services.movement_record(
            actor=None,
            residence=setup["residence"],
            movement_type=MovementType.objects.get(code=code),
            occurred_on=dt.date(2026, 1, day),
        )


def test_page_and_endpoint_query_counts_are_pinned(units, people, setup, transfer):
    client = _http(people.head_a)
    urls = _pinned_urls(units, setup, transfer)
    one = {name: _count(client, url) for name, url in urls.items()}
    _more_rows(units, setup)
    several = {name: _count(client, url) for name, url in urls.items()}
    assert one == PINNED
    assert several == PINNED

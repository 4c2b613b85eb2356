import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error, bearer_headers
from sinergi.pillars import services
from sinergi.pillars.models import Batch, Cycle
from sinergi.pillars.testing import make_member, make_scheme, result_csv

pytestmark = pytest.mark.django_db
BASE = "/api/v1/pillars"


@pytest.fixture
def world(regions, units, officer):
    for i in range(3):
        make_member(unit=units.empowerment_division, name=f"Anggota {i}")
    scheme = make_scheme()
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    return {"cycle": cycle, "batch": cycle.batches.get()}


@pytest.fixture
def people(make_user, units, officer, finance):
    return {
        "worker": make_user("social_worker", units.upt_a),
        "officer": officer,
        "upt_officer": make_user("pillar_officer", units.upt_b),
        "finance": finance,
        "head": make_user("head_of_office", units.office),
    }


def test_read_endpoints_authorization(world, people):
    member = world["batch"].entitlements.first().member
    for url in [
        f"{BASE}/members",
        f"{BASE}/members/{member.pk}",
        f"{BASE}/schemes",
        f"{BASE}/cycles",
        f"{BASE}/cycles/{world['cycle'].pk}",
        f"{BASE}/batches/{world['batch'].pk}/entitlements",
    ]:
        cases = [
            Expect("anonymous", None, 401),
            Expect("social worker", people["worker"], 403),
            Expect("head of office", people["head"], 200),
            Expect("pillar officer", people["officer"], 200),
        ]
        if "/members/" in url or "/cycles/" in url or "/batches/" in url:
            cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
        assert_authorization(url=url, cases=cases)


def test_members_are_scoped_and_paged(world, people):
    assert api_get(people["upt_officer"], f"{BASE}/members").json()["items"] == []
    page = api_get(people["officer"], f"{BASE}/members", limit=2).json()
    assert [m["name"] for m in page["items"]] == ["Anggota 0", "Anggota 1"]
    rest = api_get(people["officer"], f"{BASE}/members", limit=2, cursor=page["next_cursor"])
    assert [m["name"] for m in rest.json()["items"]] == ["Anggota 2"]


def test_generate_approve_and_reconcile_through_the_api(world, people, units, make_user):
    officer = make_user("pillar_officer", units.empowerment_division)
    created = Client().post(
        f"{BASE}/cycles", {"scheme": "bantuan-operasional-pilar", "year": 2025, "quarter": 2},
        content_type="application/json", **bearer_headers(officer),
    )  # fmt: skip
    assert created.status_code == 201, created.content
    batch_id = created.json()["batches"][0]["id"]
    own = Client().post(f"{BASE}/batches/{batch_id}/approve", **bearer_headers(officer))
    assert own.status_code == 403
    approved = Client().post(
        f"{BASE}/batches/{batch_id}/approve", **bearer_headers(people["finance"])
    )
    assert approved.json()["status"] == "approved"
    again = Client().post(f"{BASE}/batches/{batch_id}/approve", **bearer_headers(people["finance"]))
    assert_error(again, 409, "conflict")
    batch = Batch.objects.get(pk=batch_id)
    rows = [(e.reference, "berhasil", e.amount, "") for e in batch.entitlements.order_by("id")]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post(
        f"{BASE}/batches/{batch_id}/reconciliation",
        {
            "file": SimpleUploadedFile("h.csv", result_csv(rows)),
            "paid_on": dt.date.today().isoformat(),
        },
        **bearer_headers(people["finance"]),
    )
    assert response.status_code == 200, response.content
    assert response.json()["paid_count"] == 3
    bad = Client().post(
        f"{BASE}/batches/{world['batch'].pk}/reconciliation",
        {"file": SimpleUploadedFile("h.csv", result_csv([("X", "berhasil", 1, "")])),
         "paid_on": dt.date.today().isoformat()},
        **bearer_headers(people["finance"]),
    )  # fmt: skip
    error = assert_error(bad, 400, "not_sent")
    assert error["message"]
    assert Cycle.objects.count() == 2


def test_list_query_counts_are_pinned(world, people, units):
    client = Client(**bearer_headers(people["officer"]))
    client.get(f"{BASE}/members")

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [f"{BASE}/members", f"{BASE}/batches/{world['batch'].pk}/entitlements", f"{BASE}/cycles"]
    before = [count(u) for u in urls]
    for i in range(4):
        make_member(unit=units.empowerment_division, name=f"Lagi {i}")
    assert [count(u) for u in urls] == before == [5, 6, 5]

"""The API /api/v1/pillars/: the authorization matrix of every endpoint (denied writes change
nothing), the flow from generation to reconciliation, and pinned query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error, bearer_headers
from sinergi.audit.models import AuditEvent
from sinergi.pillars import services
from sinergi.pillars.models import Batch, Cycle, Entitlement
from sinergi.pillars.testing import approve_and_send, make_member, result_csv, result_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/pillars"


def test_read_endpoints_authorization(world, people):
    member = world["tksk"]
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
            Expect("auditor", people["auditor"], 200),
            Expect("finance", people["finance"], 200),
            Expect("pillar officer", people["officer"], 200),
        ]
        if "/members/" in url or "/cycles/" in url or "/batches/" in url:
            cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
        assert_authorization(url=url, cases=cases)


def _state():
    return (
        list(Cycle.objects.order_by("id").values_list("year", "quarter")),
        list(Batch.objects.order_by("id").values_list("status", "approved_by")),
        list(Entitlement.objects.order_by("id").values_list("status", "paid_on")),
    )


def test_write_endpoints_authorization_and_denied_calls_change_nothing(world, people):
    generate = {"scheme": "bantuan-operasional-pilar", "year": 2025, "quarter": 2}
    for who, user, status in [
        ("anonymous", None, 401),
        ("finance", people["finance"], 403),
        ("head of office", people["head"], 403),
        ("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url=f"{BASE}/cycles",
            method="post",
            data=generate,
            content_type="application/json",
            cases=[Expect(who, user, status)],
            state=_state,
        )
    batch = world["batch"]
    for who, user, status in [
        ("anonymous", None, 401),
        ("pillar officer (the maker)", people["officer"], 403),
        ("head of office", people["head"], 403),
        ("pillar officer of another unit", people["upt_officer"], 403),
    ]:
        assert_authorization(
            url=f"{BASE}/batches/{batch.pk}/approve",
            method="post",
            cases=[Expect(who, user, status)],
            state=_state,
        )
    approve_and_send(batch, people["finance"])
    content = result_for(batch)
    for who, user, status in [
        ("anonymous", None, 401),
        ("pillar officer", people["officer"], 403),
        ("head of office", people["head"], 403),
        ("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url=f"{BASE}/batches/{batch.pk}/reconciliation",
            method="post",
            data={"file": SimpleUploadedFile("h.csv", content), "paid_on": "2025-01-20"},
            cases=[Expect(who, user, status)],
            state=_state,
        )
    assert set(batch.entitlements.values_list("status", flat=True)) == {"pending"}


def test_members_are_scoped_and_paged_by_id_cursors(world, people):
    assert api_get(people["upt_officer"], f"{BASE}/members").json()["items"] == []
    page = api_get(people["officer"], f"{BASE}/members", limit=2).json()
    assert [m["name"] for m in page["items"]] == ["Anggota 0", "Anggota 1"]
    assert page["next_cursor"] == str(page["items"][-1]["id"])
    rest = api_get(people["officer"], f"{BASE}/members", limit=2, cursor=page["next_cursor"])
    assert [m["name"] for m in rest.json()["items"]] == ["Anggota 2", "Siti TKSK"]
    tksk = api_get(people["officer"], f"{BASE}/members", pillar_type="tksk").json()["items"]
    assert [(m["name"], m["pillar_type"], m["district_code"]) for m in tksk] == [
        ("Siti TKSK", "tksk", "35.78.01")
    ]
    error = assert_error(
        api_get(people["officer"], f"{BASE}/members", pillar_type="x"), 400, "invalid"
    )
    assert "tksk" in error["fields"]["pillar_type"][0]


def test_a_member_read_through_the_api_is_logged(world, people):
    member = world["tksk"]
    body = api_get(people["head"], f"{BASE}/members/{member.pk}").json()
    assert (body["nik"], body["account_number"], body["employee_nip"]) == (
        member.nik,
        member.account_number,
        None,
    )
    assert AuditEvent.objects.filter(
        action="pillars.member_viewed", target_id=str(member.pk)
    ).exists()


def test_generate_approve_and_reconcile_through_the_api(world, people, units, make_user):
    officer = make_user("pillar_officer", units.empowerment_division)
    created = Client().post(
        f"{BASE}/cycles", {"scheme": "bantuan-operasional-pilar", "year": 2025, "quarter": 2},
        content_type="application/json", **bearer_headers(officer),
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["batches"][0]["entitlement_count"] == 4
    again = Client().post(
        f"{BASE}/cycles", {"scheme": "bantuan-operasional-pilar", "year": 2025, "quarter": 2},
        content_type="application/json", **bearer_headers(officer),
    )  # fmt: skip
    assert_error(again, 409, "conflict")
    batch_id = created.json()["batches"][0]["id"]
    own = Client().post(f"{BASE}/batches/{batch_id}/approve", **bearer_headers(officer))
    assert own.status_code == 403
    approved = Client().post(
        f"{BASE}/batches/{batch_id}/approve", **bearer_headers(people["finance"])
    )
    assert approved.json()["status"] == "approved"
    twice = Client().post(f"{BASE}/batches/{batch_id}/approve", **bearer_headers(people["finance"]))
    assert_error(twice, 409, "conflict")
    batch = Batch.objects.get(pk=batch_id)
    rows = [(e.reference, "berhasil", e.amount, "") for e in batch.entitlements.order_by("id")]
    response = Client().post(
        f"{BASE}/batches/{batch_id}/reconciliation",
        {"file": SimpleUploadedFile("h.csv", result_csv(rows)),
         "paid_on": dt.date.today().isoformat()},
        **bearer_headers(people["finance"]),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert (response.json()["paid_count"], response.json()["paid_amount"]) == (4, "3750000.00")
    not_sent = Client().post(
        f"{BASE}/batches/{world['batch'].pk}/reconciliation",
        {"file": SimpleUploadedFile("h.csv", result_csv([("X", "berhasil", 1, "")])),
         "paid_on": dt.date.today().isoformat()},
        **bearer_headers(people["finance"]),
    )  # fmt: skip
    assert assert_error(not_sent, 400, "not_sent")["message"]
    assert Cycle.objects.count() == 2


def test_a_bad_result_file_lists_each_row_problem_and_changes_nothing(world, people):
    batch = world["batch"]
    approve_and_send(batch, people["finance"])
    first = batch.entitlements.order_by("id").first()
    bad = Client().post(
        f"{BASE}/batches/{batch.pk}/reconciliation",
        {"file": SimpleUploadedFile("h.csv", result_csv(
            [(first.reference, "berhasil", 1, ""), ("P99", "berhasil", 1, "")])),
         "paid_on": "2025-01-20"},
        **bearer_headers(people["finance"]),
    )  # fmt: skip
    error = assert_error(bad, 400, "result_rejected")
    assert sorted(error["fields"]) == ["row 2", "row 3"]
    assert "berbeda" in error["fields"]["row 2"][0]
    assert set(batch.entitlements.values_list("status", flat=True)) == {"pending"}


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_are_pinned(world, people, units, officer):
    client = Client(**bearer_headers(people["officer"]))
    client.get(f"{BASE}/members")
    urls = [
        f"{BASE}/members",
        f"{BASE}/members?pillar_type=tagana&regency=35.78&status=active",
        f"{BASE}/members/{world['tksk'].pk}",
        f"{BASE}/schemes",
        f"{BASE}/cycles",
        f"{BASE}/cycles/{world['cycle'].pk}",
        f"{BASE}/batches/{world['batch'].pk}/entitlements",
    ]
    before = [_count(client, u) for u in urls]
    for i in range(4):
        make_member(unit=units.empowerment_division, name=f"Lagi {i}")
    services.cycle_generate(actor=officer, scheme=world["scheme"].scheme, year=2025, quarter=2)
    assert [_count(client, u) for u in urls] == before == [5, 5, 5, 5, 4, 5, 5]


def test_every_endpoint_is_in_the_openapi_schema(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/members", "get"),
        ("/members/{member_id}", "get"),
        ("/schemes", "get"),
        ("/cycles", "get"),
        ("/cycles", "post"),
        ("/cycles/{cycle_id}", "get"),
        ("/batches/{batch_id}/approve", "post"),
        ("/batches/{batch_id}/entitlements", "get"),
        ("/batches/{batch_id}/reconciliation", "post"),
    ]:
        assert method in paths[f"{BASE}{path}"], path

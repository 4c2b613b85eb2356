"""API: authorization matrix, scoping, pagination and the OpenAPI schema."""

import datetime as dt

import pytest
from django.test import Client as HttpClient

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import bearer_headers
from sinergi.audit.models import AuditEvent
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/rehabilitation"
FULL = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}


def _get(user, url, **params):
    return HttpClient().get(url, params, **bearer_headers(user))


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


def test_client_endpoints_authorization(people, case_a):
    assert_authorization(
        url=f"{BASE}/clients/{case_a.client_id}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a, 200),
            Expect("head of office", people.office, 200),
        ],
    )
    for url in [f"{BASE}/clients", f"{BASE}/cases", f"{BASE}/assessments"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("no role", people.no_role, 403),
                Expect("social worker", people.worker_a, 200),
            ],
        )


def test_case_detail_authorization(people, case_a):
    assert_authorization(
        url=f"{BASE}/cases/{case_a.pk}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("no role", people.no_role, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("head of the UPT", people.head_a, 200),
        ],
    )


def test_client_list_is_scoped_masked_and_paginated(people, units, case_a):
    admit(units.upt_a, name="Bambang", birth_on=dt.date(1955, 1, 1), sex="L")
    admit(units.upt_b, name="Sumarni", birth_on=dt.date(1948, 5, 2))
    first = _get(people.worker_a, f"{BASE}/clients", limit=1).json()
    assert [c["name"] for c in first["items"]] == ["Bambang"]
    assert first["items"][0]["nik_masked"].endswith("••••••••••")
    second = _get(people.worker_a, f"{BASE}/clients", limit=1, cursor=first["next_cursor"]).json()
    assert [c["name"] for c in second["items"]] == ["Siti Aminah"]
    assert second["next_cursor"] is None
    assert second["items"][0]["cases"][0]["stage"]["code"] == "pendekatan-awal"


def test_client_detail_logs_the_read(people, case_a):
    body = _get(people.worker_a, f"{BASE}/clients/{case_a.client_id}").json()
    assert body["nik"] == case_a.client.nik
    event = AuditEvent.objects.filter(kind="read").latest("id")
    assert (event.action, event.target_id) == (
        "rehabilitation.client_viewed",
        str(case_a.client_id),
    )


def test_assessments_list_item_scores(people, case_a):
    services.assessment_record(
        actor=None,
        case=case_a,
        instrument=selectors.instrument_current(),
        assessed_on=dt.date(2026, 1, 10),
        scores=FULL,
    )
    body = _get(people.worker_a, f"{BASE}/assessments", case=str(case_a.pk)).json()
    [item] = body["items"]
    assert (item["instrument"], item["instrument_version"], item["total_score"], item["band"]) == (
        "barthel",
        "0-20",
        20,
        "Mandiri",
    )
    assert len(item["answers"]) == 10
    assert _get(people.worker_b, f"{BASE}/assessments").json()["items"] == []


def test_endpoints_are_in_the_openapi_schema(people):
    schema = _get(people.worker_a, "/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        f"{BASE}/clients",
        f"{BASE}/clients/{{client_id}}",
        f"{BASE}/cases",
        f"{BASE}/cases/{{case_id}}",
        f"{BASE}/assessments",
        f"{BASE}/clients/search",
        f"{BASE}/cases/{{case_id}}/services",
        f"{BASE}/services",
        f"{BASE}/occupancy",
        f"{BASE}/occupancy/{{unit_id}}/beds",
    } <= paths
    # personal data never in an address: the list takes codes only, the search a JSON body
    list_params = {p["name"] for p in schema["paths"][f"{BASE}/clients"]["get"]["parameters"]}
    assert list_params == {"cursor", "limit", "unit", "category", "stage"}
    search = schema["paths"][f"{BASE}/clients/search"]
    assert set(search) == {"post"}
    assert not [p for p in search["post"].get("parameters", []) if p["in"] == "query"]
    body = search["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert {"nik", "name"} <= set(schema["components"]["schemas"][ref]["properties"])

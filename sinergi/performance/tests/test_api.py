import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error, bearer_headers
from sinergi.performance import services
from sinergi.performance.models import Realisation, Target
from sinergi.performance.testing import make_indicator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/performance"


def _entered(plan, value="40"):
    return services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value=value,
        evidence_text="Register",
    )


def test_every_read_endpoint_requires_sign_in_and_the_read_permission(plan, people):
    _entered(plan)
    for url in [
        f"{BASE}/plan?year=2026",
        f"{BASE}/indicators?year=2026",
        f"{BASE}/indicators/{plan.iku.pk}",
        f"{BASE}/indicators/{plan.iku.pk}/targets",
        f"{BASE}/realisations",
        f"{BASE}/achievements?year=2026",
        f"{BASE}/spm?year=2026",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("social worker", people["worker"], 403),
                Expect("head of office", people["head"], 200),
            ],
        )


def test_an_indicator_of_another_unit_answers_404(plan, people):
    for url in [
        f"{BASE}/indicators/{plan.upt_a_served.pk}",
        f"{BASE}/indicators/{plan.upt_a_served.pk}/targets",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("head of another UPT", people["head_b"], 404),
                Expect("head of that UPT", people["head_a"], 200),
            ],
        )


def test_lists_are_scoped_to_the_caller(plan, people):
    _entered(plan)
    codes = [
        i["code"] for i in api_get(people["head_b"], f"{BASE}/indicators?year=2026").json()["items"]
    ]
    assert codes == ["UPT-B-1"]
    assert api_get(people["head_b"], f"{BASE}/realisations").json()["items"] == []
    assert len(api_get(people["head_a"], f"{BASE}/realisations").json()["items"]) == 1


def test_achievements_give_exact_figures(plan, people):
    _entered(plan, value="45")
    rows = api_get(people["head_a"], f"{BASE}/achievements?year=2026&quarter=1").json()
    served = next(r for r in rows if r["code"] == "UPT-A-1")
    assert Decimal(served["achievement"]) == Decimal("90.00")
    assert served["band"] == "Baik"
    assert served["automatic"] is False
    assert served["verified"] is False


def test_achievements_query_count_does_not_grow(plan, people, units):
    headers = bearer_headers(people["head"])
    client = Client()
    client.get(f"{BASE}/achievements?year=2026", **headers)
    with CaptureQueriesContext(connection) as first:
        client.get(f"{BASE}/achievements?year=2026", **headers)
    for n in range(5):
        make_indicator(plan.period, units.upt_b, f"X-{n}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(f"{BASE}/achievements?year=2026", **headers)
    assert len(response.json()) == 9
    assert len(second) == len(first)


def test_indicator_list_query_count_does_not_grow(plan, people, units):
    headers = bearer_headers(people["head"])
    client = Client()
    client.get(f"{BASE}/indicators?year=2026", **headers)
    with CaptureQueriesContext(connection) as first:
        client.get(f"{BASE}/indicators?year=2026", **headers)
    for n in range(5):
        make_indicator(plan.period, units.upt_b, f"Y-{n}")
    with CaptureQueriesContext(connection) as second:
        client.get(f"{BASE}/indicators?year=2026", **headers)
    assert len(second) == len(first)


def _post(user, url, payload):
    return Client().post(
        url, data=json.dumps(payload), content_type="application/json", **bearer_headers(user)
    )


def test_realisation_create_authorization_and_refusals(plan, people):
    payload = {
        "indicator_id": plan.upt_a_served.pk,
        "year": 2026,
        "quarter": 1,
        "value": "30",
        "evidence_text": "Register",
    }
    assert _post(people["worker"], f"{BASE}/realisations", payload).status_code == 403
    assert _post(people["head"], f"{BASE}/realisations", payload).status_code == 403
    assert _post(people["head_b"], f"{BASE}/realisations", payload).status_code == 404
    assert not Realisation.objects.exists()
    created = _post(people["head_a"], f"{BASE}/realisations", payload)
    assert created.status_code == 201
    assert created.json()["value"] == "30.0000"
    services.period_lock(actor=None, year=2026, quarter=2)
    locked = _post(people["head_a"], f"{BASE}/realisations", {**payload, "quarter": 2})
    error = assert_error(locked, 400, "period_locked")
    assert "ditutup" in error["message"]
    assert Realisation.objects.count() == 1


def test_verify_endpoint(plan, people):
    realisation = _entered(plan)
    url = f"{BASE}/realisations/{realisation.pk}/verify"
    assert _post(people["head_a"], url, {}).status_code == 403
    ok = _post(people["planner"], url, {"note": "sesuai register"})
    assert ok.status_code == 200
    assert ok.json()["verified"] is True
    assert_error(_post(people["planner"], url, {}), 400, "already_verified")


def test_target_put_refuses_a_zero_target_of_a_ratio(plan, people):
    url = f"{BASE}/indicators/{plan.upt_a_served.pk}/targets"
    headers = bearer_headers(people["planner"])
    before = list(Target.objects.values_list("pk", "value"))
    zero = Client().put(
        url,
        data=json.dumps({"year": 2026, "quarter": 2, "value": "0"}),
        content_type="application/json",
        **headers,
    )
    assert_error(zero, 400, "target_not_positive")
    assert list(Target.objects.values_list("pk", "value")) == before
    denied = Client().put(
        url,
        data=json.dumps({"year": 2026, "quarter": 2, "value": "75"}),
        content_type="application/json",
        **bearer_headers(people["head_a"]),
    )
    assert denied.status_code == 403
    ok = Client().put(
        url,
        data=json.dumps({"year": 2026, "quarter": 2, "value": "75"}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200
    assert Target.objects.get(indicator=plan.upt_a_served, year=2026, quarter=2).value == 75


def test_openapi_lists_the_performance_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in [
        "/api/v1/performance/plan",
        "/api/v1/performance/indicators",
        "/api/v1/performance/realisations",
        "/api/v1/performance/realisations/{realisation_id}/verify",
        "/api/v1/performance/achievements",
        "/api/v1/performance/spm",
    ]:
        assert path in paths

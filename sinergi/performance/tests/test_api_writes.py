"""The API's writes and the rest of its reads: denied calls change nothing, refusals carry a code
and an Indonesian message, query counts do not grow with the rows."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error, bearer_headers
from sinergi.audit.models import AuditEvent
from sinergi.performance import services
from sinergi.performance.models import Realisation, SpmService, Target
from sinergi.performance.testing import make_indicator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/performance"


def _post(user, url, payload):
    headers = bearer_headers(user) if user is not None else {}
    return Client().post(url, data=json.dumps(payload), content_type="application/json", **headers)


def _realisations():
    return list(Realisation.objects.order_by("pk").values_list("quarter", "value", "verified"))


def test_writes_need_a_token_and_the_right_permission(plan, people):
    realisation = services.realisation_enter(
        actor=None, indicator=plan.upt_a_served, year=2026, quarter=1, value="40", evidence_text="x"
    )
    payload = {"indicator_id": plan.upt_a_served.pk, "year": 2026, "quarter": 2, "value": "60"}
    before = _realisations()
    assert _post(None, f"{BASE}/realisations", payload).status_code == 401
    assert _post(people["auditor"], f"{BASE}/realisations", payload).status_code == 403
    assert _post(people["division"], f"{BASE}/realisations", payload).status_code == 403
    verify = f"{BASE}/realisations/{realisation.pk}/verify"
    assert _post(None, verify, {}).status_code == 401
    assert _post(people["head_a"], verify, {}).status_code == 403
    assert _post(people["head"], verify, {}).status_code == 403
    assert _realisations() == before
    headers = {}
    put = Client().put(
        f"{BASE}/indicators/{plan.upt_a_served.pk}/targets",
        data=json.dumps({"year": 2026, "quarter": 2, "value": "75"}),
        content_type="application/json",
        **headers,
    )
    assert put.status_code == 401
    assert not Target.objects.filter(quarter=2).exists()


def test_evidence_is_required_and_a_binary_figure_is_0_or_1(plan, people, units):
    no_evidence = _post(
        people["head_a"],
        f"{BASE}/realisations",
        {"indicator_id": plan.upt_a_served.pk, "year": 2026, "quarter": 1, "value": "10"},
    )
    error = assert_error(no_evidence, 400, "evidence_missing")
    assert error["message"] == "Sertakan bukti dukung realisasi: uraian, berkas, atau tautan."
    yes_no = make_indicator(plan.period, units.upt_a, "UPT-A-YN", polarity="binary")
    wrong = _post(
        people["head_a"],
        f"{BASE}/realisations",
        {"indicator_id": yes_no.pk, "year": 2026, "quarter": 1, "value": "2", "evidence_text": "x"},
    )
    assert_error(wrong, 400, "binary_value")
    outside = _post(
        people["head_a"],
        f"{BASE}/realisations",
        {"indicator_id": yes_no.pk, "year": 2031, "quarter": 1, "value": "1", "evidence_text": "x"},
    )
    assert_error(outside, 400, "year_outside_period")
    assert _realisations() == []


def test_verified_entries_are_locked_and_unlocking_is_audited(plan, people):
    realisation = services.realisation_enter(
        actor=None, indicator=plan.upt_a_served, year=2026, quarter=1, value="40", evidence_text="x"
    )
    assert (
        _post(people["planner"], f"{BASE}/realisations/{realisation.pk}/verify", {}).status_code
        == 200
    )
    change = {
        "indicator_id": plan.upt_a_served.pk,
        "year": 2026,
        "quarter": 1,
        "value": "44",
        "evidence_text": "Koreksi",
    }
    assert_error(_post(people["head_a"], f"{BASE}/realisations", change), 400, "realisation_locked")
    unlock = f"{BASE}/realisations/{realisation.pk}/unlock"
    assert _post(people["head_a"], unlock, {"reason": "Salah ketik"}).status_code == 403
    assert _post(people["planner"], unlock, {"reason": ""}).status_code == 400
    assert _realisations() == [(1, Decimal("40.0000"), True)]
    opened = _post(people["planner"], unlock, {"reason": "Salah ketik angka"})
    assert opened.status_code == 200
    assert opened.json()["verified"] is False
    assert AuditEvent.objects.get(action="performance.realisation_unlocked").extra == {
        "reason": "Salah ketik angka"
    }
    assert _post(people["head_a"], f"{BASE}/realisations", change).status_code == 201
    assert _realisations() == [(1, Decimal("44.0000"), False)]


def test_an_achievement_filter_on_another_unit_is_404(plan, people, units):
    assert_authorization(
        url=f"{BASE}/achievements?year=2026&unit={units.upt_b.pk}",
        cases=[
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
        ],
    )
    rows = api_get(people["head_b"], f"{BASE}/achievements", year=2026, unit=units.upt_b.pk).json()
    (row,) = rows
    assert (row["code"], row["target_low"], row["target_high"]) == ("UPT-B-1", "80.0000", "95.0000")


def test_spm_endpoint_gives_the_figures_and_their_source(plan, people):
    disaster = SpmService.objects.get(code="korban-bencana")
    services.spm_figure_save(actor=None, service=disaster, year=2026, needing=400, served=310)
    rows = {r["service_code"]: r for r in api_get(people["head"], f"{BASE}/spm", year=2026).json()}
    assert rows["korban-bencana"] == {
        "service_code": "korban-bencana",
        "service": disaster.name,
        "year": 2026,
        "needing": 400,
        "served": 310,
        "served_automatic": False,
        "percent": "77.50",
        "band": "Tuntas Madya",
    }
    assert rows["lansia-telantar"]["needing"] is None


def test_read_endpoints_keep_their_query_count_when_the_rows_grow(plan, people, units):
    client = Client()
    headers = bearer_headers(people["planner"])
    urls = [
        f"{BASE}/plan?year=2026",
        f"{BASE}/indicators/{plan.iku.pk}",
        f"{BASE}/indicators/{plan.iku.pk}/targets",
        f"{BASE}/realisations?year=2026",
        f"{BASE}/spm?year=2026",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, **headers).status_code == 200, url
            found.append(len(ctx))
        return found

    counts()
    first = counts()
    for n in range(4):
        goal = services.goal_save(actor=None, period=plan.period, code=f"T{n + 5}", statement="T")
        objective = services.objective_save(actor=None, goal=goal, code=f"S{n + 5}", statement="S")
        indicator = make_indicator(plan.period, units.upt_b, f"Z-{n}", objective=objective)
        services.target_set(actor=None, indicator=plan.iku, year=2027 + n % 3, quarter=n, value="5")
        services.realisation_enter(
            actor=None, indicator=indicator, year=2026, quarter=1, value="1", evidence_text="x"
        )
    assert counts() == first


def test_openapi_lists_the_unlock_endpoint(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/performance/realisations/{realisation_id}/unlock"]
    assert "put" in paths["/api/v1/performance/indicators/{indicator_id}/targets"]

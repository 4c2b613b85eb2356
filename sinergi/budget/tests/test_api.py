import pytest

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get

pytestmark = pytest.mark.django_db
BASE = "/api/v1/budget"


def test_every_endpoint_requires_sign_in_and_the_budget_permission(budget, people):
    for url in [
        f"{BASE}/lines",
        f"{BASE}/realisations",
        f"{BASE}/absorption?month=3",
        f"{BASE}/rankings?month=3",
        f"{BASE}/lines/{budget.line_b.pk}/cash-plan",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("social worker", people["worker"], 403),
                Expect("head of office", people["head"], 200),
            ],
        )


def test_a_line_of_another_unit_answers_404(budget, people):
    assert_authorization(
        url=f"{BASE}/lines/{budget.line_b.pk}/cash-plan",
        cases=[
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
        ],
    )


def test_lines_are_scoped_to_the_caller(budget, people):
    response = api_get(people["head_a"], f"{BASE}/lines")
    assert [item["account_code"] for item in response.json()["items"]] == ["5.1.02.01.01.0024"]


def test_realisations_are_scoped_to_the_caller(budget, people):
    numbers = [
        i["sp2d_number"] for i in api_get(people["head_b"], f"{BASE}/realisations").json()["items"]
    ]
    assert numbers == ["SP2D-003", "SP2D-002"]


def test_absorption_summary_gives_exact_figures(budget, people):
    data = api_get(people["head"], f"{BASE}/absorption", year=2026, month=3, group="program").json()
    assert data["total"]["absorption"] == "25.00"
    assert {r["code"]: r["absorption"] for r in data["rows"]} == {
        "1.06.02": "0.00",
        "1.06.04": "33.33",
    }


def test_rankings_list_units_in_order(budget, people):
    data = api_get(people["head"], f"{BASE}/rankings", month=3).json()
    assert [(u["rank"], u["code"]) for u in data["units"]] == [
        (1, "upt-rsbd-pasuruan"),
        (2, "upt-pstw-magetan"),
        (3, "bidang-dayasos"),
    ]
    assert data["provincial_rank"] is None


def test_cash_plan_flags_a_plan_that_does_not_add_up(budget, people):
    data = api_get(people["head"], f"{BASE}/lines/{budget.line_c.pk}/cash-plan").json()
    assert (data["plan_total"], data["plan_matches_pagu"]) == ("900000.00", False)
    assert len(data["months"]) == 12


def test_every_endpoint_is_in_the_openapi_schema():
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/budget/lines",
        "/api/v1/budget/lines/{line_id}/cash-plan",
        "/api/v1/budget/realisations",
        "/api/v1/budget/absorption",
        "/api/v1/budget/rankings",
    } <= set(paths)


def _queries(user, url, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.api import services as api_services

    _token, key = api_services.token_issue(actor=user, user=user, name="count")
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {key}"})
    client.get(url, params)  # warm up (token last-used stamp, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params", "pinned"),
    [
        (f"{BASE}/lines", {}, 6),
        (f"{BASE}/lines/{{line}}/cash-plan", {}, 6),
        (f"{BASE}/realisations", {}, 6),
        (f"{BASE}/absorption", {"month": 3}, 7),
        (f"{BASE}/absorption", {"month": 3, "group": "account_class"}, 8),
        (f"{BASE}/rankings", {"month": 3}, 7),
    ],
)
def test_endpoints_take_a_fixed_number_of_queries(budget, people, units, url, params, pinned):
    from sinergi.budget.testing import grow_budget

    url = url.format(line=budget.line_b.pk)
    before = _queries(people["head_b"], url, **params)
    grow_budget(budget.year, units.upt_b, 4, also_charge=budget.line_b)
    assert (before, _queries(people["head_b"], url, **params)) == (pinned, pinned)

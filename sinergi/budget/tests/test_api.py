import pytest

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get

pytestmark = pytest.mark.django_db
BASE = "/api/v1/budget"


@pytest.fixture
def people(make_user, units):
    return {
        "worker": make_user("social_worker", units.upt_b),
        "head_a": make_user("head_of_upt", units.upt_a),
        "head_b": make_user("head_of_upt", units.upt_b),
        "head": make_user("head_of_office", units.office),
    }


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

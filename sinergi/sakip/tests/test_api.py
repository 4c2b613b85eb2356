import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get
from sinergi.sakip import services
from sinergi.sakip.testing import answer_all, make_evaluation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/performance/sakip"


def test_endpoints_need_sign_in_and_the_read_permission(people, units):
    evaluation = make_evaluation(units.upt_b)
    for url in [
        f"{BASE}/evaluations",
        f"{BASE}/recommendations",
        f"{BASE}/evaluations/{evaluation.pk}",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("social worker", people["worker"], 403),
                Expect("auditor", people["auditor"], 200),
            ],
        )
    assert api_get(people["head_a"], f"{BASE}/evaluations/{evaluation.pk}").status_code == 404
    assert api_get(people["head_b"], f"{BASE}/evaluations/{evaluation.pk}").status_code == 200


def test_evaluations_are_scoped_and_carry_score_and_grade(people, units):
    done = make_evaluation(units.upt_a, previous_score=55)
    answer_all(done)
    services.evaluation_finalise(actor=None, evaluation=done)
    make_evaluation(units.upt_b)
    items = api_get(people["head_a"], f"{BASE}/evaluations").json()["items"]
    assert [(i["unit_code"], i["score"], i["grade"], i["previous_score"]) for i in items] == [
        ("upt-rsbd-pasuruan", "100.00", "AA", "55.00")
    ]
    assert len(api_get(people["planner"], f"{BASE}/evaluations", year=2025).json()["items"]) == 2


def test_worksheet_endpoint_gives_points_per_criterion(people, units):
    evaluation = make_evaluation(units.upt_b)
    answer_all(evaluation, grade="C", review=False)
    data = api_get(people["head_b"], f"{BASE}/evaluations/{evaluation.pk}").json()
    assert (data["score"], data["grade"], data["answered"], data["total"]) == (
        "60.00",
        "CC",
        24,
        24,
    )
    first = data["components"][0]["criteria"][0]
    assert (first["code"], first["points"], first["answer"], first["earned"]) == (
        "1.a.1",
        "3.00",
        "Y",
        "3.00",
    )


def test_list_query_counts_do_not_grow(people, units):
    evaluation = make_evaluation(units.office)
    services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="a",
        owner_unit=units.upt_a,
        due_on=dt.date(2026, 1, 1),
    )
    api_get(people["planner"], f"{BASE}/recommendations")
    with CaptureQueriesContext(connection) as one:
        api_get(people["planner"], f"{BASE}/recommendations")
    for n in range(4):
        services.recommendation_create(
            actor=None,
            evaluation=evaluation,
            text=f"{n}",
            owner_unit=units.upt_b,
            due_on=dt.date(2026, 1, 2),
        )
    with CaptureQueriesContext(connection) as five:
        response = api_get(people["planner"], f"{BASE}/recommendations")
    assert len(response.json()["items"]) == 5
    assert len(five) == len(one)


def test_openapi_lists_the_sakip_endpoints(db):
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/evaluations" in paths
    assert f"{BASE}/recommendations" in paths

import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api import services
from sinergi.api.testing import assert_error, bearer_headers
from sinergi.organisation import services as org_services
from sinergi.organisation.models import Region, Unit, UnitType

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/organisation/units"
REGIONS = "/api/v1/organisation/regions"


def _codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def _get(user, url, **params):
    return Client().get(url, params, **bearer_headers(user))


# --- Units ---------------------------------------------------------------------------------------


def test_unit_endpoints_authorization_matrix(make_user, units):
    worker_a = make_user("social_worker", units.upt_a)
    no_role = make_user(None, units.upt_a)
    assert_authorization(
        url=f"{UNITS}/{units.upt_b.code}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("user without a role", no_role, 403),
            Expect("social worker of another UPT", worker_a, 404),
            Expect("social worker of that UPT", make_user("social_worker", units.upt_b), 200),
            Expect(
                "head of the division above",
                make_user("head_of_division", units.rehab_division),
                200,
            ),
        ],
    )
    assert_authorization(
        url=UNITS,
        cases=[
            Expect("anonymous", None, 401),
            Expect("user without a role", no_role, 403),
            Expect("social worker", worker_a, 200),
        ],
    )


def test_a_forbidden_answer_uses_the_error_format(make_user, units):
    response = _get(make_user(None, units.upt_a), UNITS)
    error = assert_error(response, 403, "permission_denied")
    assert "administrator sistem" in error["message"]


def test_unit_list_is_scoped_to_the_callers_subtree(make_user, units):
    assert _codes(_get(make_user("social_worker", units.upt_a), UNITS)) == ["upt-rsbd-pasuruan"]
    assert _codes(_get(make_user("head_of_division", units.rehab_division), UNITS)) == [
        "bidang-rehsos",
        "upt-rsbd-pasuruan",
        "upt-pstw-magetan",
    ]
    assert len(_codes(_get(make_user("auditor", units.upt_a), UNITS))) == 6


def test_unit_list_filters_by_name_type_and_active(make_user, units):
    auditor = make_user("auditor", units.office)
    Unit.objects.filter(pk=units.upt_b.pk).update(is_active=False)
    assert _codes(_get(auditor, UNITS, q="pasuruan")) == ["upt-rsbd-pasuruan"]
    assert _codes(_get(auditor, UNITS, type="upt")) == ["upt-rsbd-pasuruan", "upt-pstw-magetan"]
    assert _codes(_get(auditor, UNITS, type="upt", active="true")) == ["upt-rsbd-pasuruan"]
    assert _codes(_get(auditor, UNITS, active="false")) == ["upt-pstw-magetan"]
    assert len(_codes(_get(auditor, UNITS))) == 6


def test_unit_detail_shows_the_unit_without_internal_fields(make_user, units):
    body = _get(make_user("auditor", units.office), f"{UNITS}/{units.upt_a.code}").json()
    assert body == {
        "code": "upt-rsbd-pasuruan",
        "name": "UPT RSBD Pasuruan",
        "short_name": "",
        "unit_type": {"code": "upt", "name": "UPT"},
        "upt_type": {"code": "RSBD", "name": "Rehabilitasi Sosial Bina Daksa"},
        "parent_code": "bidang-rehsos",
        "depth": 2,
        "regency": None,
        "is_active": True,
        "address": "",
        "phone": "",
        "email": "",
        "capacity": None,
    }


def test_unit_list_query_count_does_not_grow_with_the_number_of_units(
    make_user, units, django_assert_num_queries
):
    auditor = make_user("auditor", units.office)
    _token, key = services.token_issue(actor=auditor, user=auditor)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Client().get(UNITS, **headers)  # first use writes last_used_at
    # token+user+unit, permissions (one query), scope check, the page
    with django_assert_num_queries(4):
        assert len(Client().get(UNITS, **headers).json()["items"]) == 6
    kind = UnitType.objects.get(code="upt")
    for i in range(30):
        org_services.unit_create(
            actor=None,
            code=f"upt-extra-{i}",
            name=f"UPT Tambahan {i}",
            unit_type=kind,
            parent=units.rehab_division,
        )
    with django_assert_num_queries(4):
        assert len(Client().get(UNITS, **headers).json()["items"]) == 36


# --- Regions -------------------------------------------------------------------------------------


@pytest.fixture
def regions(db):
    rows = [
        ("35", "JAWA TIMUR", 1, None),
        ("35.01", "KABUPATEN PACITAN", 2, "35"),
        ("35.78", "KOTA SURABAYA", 2, "35"),
        ("35.78.01", "KARANG PILANG", 3, "35.78"),
        ("35.78.02", "JAMBANGAN", 3, "35.78"),
        ("35.78.01.1001", "WARU GUNUNG", 4, "35.78.01"),
        ("36", "BANTEN", 1, None),
    ]
    for code, name, level, parent in rows:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)


def test_region_list_filters_by_parent_level_and_name(make_user, units, regions):
    worker = make_user("social_worker", units.upt_a)
    assert _codes(_get(worker, REGIONS, level=1)) == ["35", "36"]
    assert _codes(_get(worker, REGIONS, parent="35")) == ["35.01", "35.78"]
    assert _codes(_get(worker, REGIONS, parent="35.78", q="jamb")) == ["35.78.02"]
    assert _codes(_get(worker, REGIONS, q="35.78.01")) == ["35.78.01", "35.78.01.1001"]


def test_region_list_pages_by_code(make_user, units, regions):
    worker = make_user("social_worker", units.upt_a)
    first = _get(worker, REGIONS, limit=3).json()
    assert [r["code"] for r in first["items"]] == ["35", "35.01", "35.78"]
    second = _get(worker, REGIONS, limit=3, cursor=first["next_cursor"]).json()
    assert [r["code"] for r in second["items"]] == ["35.78.01", "35.78.01.1001", "35.78.02"]
    third = _get(worker, REGIONS, limit=3, cursor=second["next_cursor"]).json()
    assert [r["code"] for r in third["items"]] == ["36"]
    assert third["next_cursor"] is None


def test_region_detail_has_ancestors_and_children_count(make_user, units, regions):
    body = _get(make_user("social_worker", units.upt_a), f"{REGIONS}/35.78.01").json()
    assert body == {
        "code": "35.78.01",
        "name": "KARANG PILANG",
        "level": 3,
        "parent_code": "35.78",
        "ancestors": [
            {"code": "35", "name": "JAWA TIMUR", "level": 1},
            {"code": "35.78", "name": "KOTA SURABAYA", "level": 2},
        ],
        "children_count": 1,
    }


def test_region_endpoints_authorization(make_user, units, regions):
    cases = [
        Expect("anonymous", None, 401),
        Expect("user without a role", make_user(None, units.upt_a), 403),
        Expect("social worker", make_user("social_worker", units.upt_a), 200),
    ]
    assert_authorization(url=REGIONS, cases=cases)
    assert_authorization(url=f"{REGIONS}/35.78", cases=cases)
    response = _get(make_user("social_worker", units.upt_a), f"{REGIONS}/99.99")
    assert_error(response, 404, "not_found")


def test_region_list_query_count_is_constant(make_user, units, regions, django_assert_num_queries):
    worker = make_user("social_worker", units.upt_a)
    _token, key = services.token_issue(actor=worker, user=worker)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Client().get(REGIONS, **headers)
    # token+user+unit, permissions (one query), the page
    with django_assert_num_queries(3):
        Client().get(REGIONS, {"parent": "35"}, **headers)
    for i in range(20):
        Region.objects.create(code=f"35.{10 + i}", name=f"KAB {i}", level=2, parent_id="35")
    with django_assert_num_queries(3):
        assert len(Client().get(REGIONS, {"parent": "35"}, **headers).json()["items"]) == 22

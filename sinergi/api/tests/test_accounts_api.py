import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api import services
from sinergi.api.testing import bearer_headers

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


def test_me_shows_the_account_its_unit_roles_and_permissions(make_user, units):
    user = make_user("auditor", units.office, full_name="Siti Aminah")
    body = Client().get(ME, **bearer_headers(user)).json()
    assert body["username"] == user.username
    assert body["full_name"] == "Siti Aminah"
    assert body["unit"] == {"code": "dinsos", "name": "Dinas Sosial Provinsi Jawa Timur"}
    assert body["roles"] == [{"code": "auditor", "name": user.roles.get().name}]
    assert "audit.view_auditevent" in body["permissions"]
    assert body["permissions"] == sorted(user.get_all_permissions())
    assert set(body) == {"username", "full_name", "unit", "roles", "permissions"}


def test_me_works_for_a_user_without_unit_or_role(make_user, units):
    body = Client().get(ME, **bearer_headers(make_user(None, None))).json()
    assert (body["unit"], body["roles"], body["permissions"]) == (None, [], [])


def test_me_authorization(make_user, units):
    assert_authorization(
        url=ME,
        cases=[
            Expect("anonymous", None, 401),
            Expect("signed-in browser session", make_user("social_worker", units.upt_a), 200),
        ],
    )


def test_me_query_count(make_user, units, django_assert_num_queries):
    user = make_user("head_of_upt", units.upt_a)
    _token, key = services.token_issue(actor=user, user=user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Client().get(ME, **headers)
    # token+user+unit, roles, permissions (one query)
    with django_assert_num_queries(3):
        assert Client().get(ME, **headers).status_code == 200

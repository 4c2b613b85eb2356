from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_the_database_vendor_to_anonymous_callers(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"status": "ok", "vendor": connection.vendor},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_not_redirected_for_a_signed_in_user_without_two_factor(make_user, units):
    client = Client()
    client.force_login(make_user("system_admin", units.office))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_fails():
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": {"status": "error", "vendor": connection.vendor, "error": "OperationalError"},
    }

"""Every failure of the API answers in one format: {"error": {"code", "message", "fields"}}."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory

from sinergi.api.api import api
from sinergi.api.testing import assert_error, bearer_headers
from sinergi.core import request_context
from sinergi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _handle(exc):
    request = RequestFactory().get("/api/v1/x")
    response = api.on_exception(request, exc)
    return response


def test_validation_errors_name_each_field_in_indonesian_by_default(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    response = Client().get(
        "/api/v1/audit/events", {"limit": 900, "date_from": "31-01-2025", "kind": "x"}, **headers
    )
    error = assert_error(response, 400, "validation_error")
    assert error["message"] == (
        "Ada isian yang kosong atau tidak valid. Perbaiki isian yang disebutkan, lalu coba lagi."
    )
    assert error["fields"] == {
        "limit": ["Masukkan nilai paling besar 200."],
        "date_from": ["Masukkan tanggal dengan format TTTT-BB-HH (mis. 2025-01-31)."],
        "kind": ["Pilih salah satu dari: 'change', 'read', 'security'."],
    }


def test_messages_follow_the_request_language(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    response = Client().get(
        "/api/v1/audit/events", {"limit": 0}, HTTP_ACCEPT_LANGUAGE="en", **headers
    )
    error = assert_error(response, 400, "validation_error")
    assert error["fields"] == {"limit": ["Enter a value of at least 1."]}
    assert error["message"].startswith("Some values are missing")


def test_anonymous_calls_get_401_with_a_bearer_challenge(db):
    response = Client().get("/api/v1/accounts/me")
    error = assert_error(response, 401, "not_authenticated")
    assert "Authorization: Bearer" in error["message"]
    assert response["WWW-Authenticate"] == 'Bearer realm="sinergi"'


def test_unknown_addresses_and_the_api_root_answer_404_in_the_error_format(db):
    assert_error(Client().get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(Client().get("/api/v1/"), 404, "not_found")
    assert_error(Client().post("/api/v1/organisation/nothing/here"), 404, "not_found")


def test_a_wrong_method_answers_405_with_the_allowed_methods(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    response = Client().put("/api/v1/accounts/me", **headers)
    error = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert "GET" in error["message"]


def test_an_invalid_cursor_is_an_application_error_with_400(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    response = Client().get("/api/v1/organisation/units", {"cursor": "not-a-cursor"}, **headers)
    assert_error(response, 400, "invalid_cursor")


def test_application_errors_map_to_400_and_conflicts_to_409(db):
    plain = _handle(ApplicationError("Salah.", field_errors={"name": ["Wajib."]}))
    assert plain.status_code == 400
    assert json.loads(plain.content) == {
        "error": {"code": "invalid", "message": "Salah.", "fields": {"name": ["Wajib."]}}
    }
    conflict = _handle(ApplicationError("Sudah ada.", code="conflict"))
    assert conflict.status_code == 409
    assert json.loads(conflict.content)["error"]["code"] == "conflict"


def test_permission_denied_and_http404_use_the_error_format(db):
    assert_error(_handle(PermissionDenied()), 403, "permission_denied")
    assert_error(_handle(Http404("secret detail")), 404, "not_found")
    assert b"secret detail" not in _handle(Http404("secret detail")).content


def test_an_unexpected_exception_answers_500_with_the_request_id_and_no_details(db, caplog):
    token = request_context.set_current(request_context.RequestContext(request_id="req-123"))
    try:
        response = _handle(RuntimeError("database password is hunter2"))
    finally:
        request_context.reset(token)
    error = assert_error(response, 500, "server_error")
    assert "req-123" in error["message"]
    assert b"hunter2" not in response.content
    assert "req-123" in caplog.text


def test_a_session_write_without_the_csrf_token_is_refused(make_user, units):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("social_worker", units.upt_a))
    assert_error(client.delete("/api/v1/auth/token"), 403, "csrf_failed")


def test_a_session_write_with_the_csrf_token_passes_the_check(make_user, units):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("social_worker", units.upt_a))
    client.get("/api/v1/docs")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    # It passes CSRF and reaches the endpoint, which says there is no token to revoke.
    assert_error(client.delete("/api/v1/auth/token", HTTP_X_CSRFTOKEN=csrf), 400, "no_token")


def test_a_session_of_a_two_factor_role_must_have_passed_two_factor(make_user, units):
    client = Client()
    client.force_login(make_user("system_admin", units.office))
    error = assert_error(client.get("/api/v1/accounts/me"), 401, "two_factor_required")
    assert "dua langkah" in error["message"]


def test_a_bearer_header_of_another_scheme_is_not_accepted(make_user, units):
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert_error(response, 401, "not_authenticated")

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.testing import PASSWORD
from sinergi.api import services
from sinergi.api.models import ApiToken
from sinergi.api.testing import assert_error
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def _post_token(client=None, **body):
    return (client or Client()).post(TOKEN_URL, json.dumps(body), content_type="application/json")


def test_right_password_issues_a_token_that_authenticates_as_bearer(make_user, units):
    user = make_user("social_worker", units.upt_a)
    response = _post_token(username=user.username, password=PASSWORD, name="laptop")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at", "name", "key_prefix"}
    assert body["token"].startswith("sng_")
    assert body["name"] == "laptop"
    assert body["key_prefix"] == body["token"][:12]
    token = ApiToken.objects.get(user=user)
    # Only the hash is stored, never the key itself.
    assert token.key_hash == ApiToken.hash_key(body["token"])
    assert body["token"] not in {token.key_hash, token.key_prefix, token.name}
    expected_expiry = timezone.now() + dt.timedelta(days=30)
    assert abs((token.expires_at - expected_expiry).total_seconds()) < 60
    me = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


def test_issuing_a_token_is_audited_as_a_security_event_without_the_key(make_user, units):
    user = make_user("social_worker", units.upt_a)
    key = _post_token(username=user.username, password=PASSWORD).json()["token"]
    event = AuditEvent.objects.get(action="api.token_created")
    assert event.kind == "security"
    assert event.actor_username == user.username
    assert event.target_type == "api.apitoken"
    assert key not in json.dumps([event.changes, event.extra, event.target_label])


def test_wrong_password_is_refused_with_401_in_the_error_format(make_user, units):
    user = make_user("social_worker", units.upt_a)
    response = _post_token(username=user.username, password="wrong-password")
    error = assert_error(response, 401, "invalid_credentials")
    assert (
        error["message"] == "Nama pengguna atau kata sandi salah. Periksa kembali, lalu coba lagi."
    )
    assert ApiToken.objects.count() == 0


def test_unknown_user_and_inactive_user_are_refused_alike(make_user, units):
    inactive = make_user("social_worker", units.upt_a, is_active=False)
    assert_error(_post_token(username="nobody", password=PASSWORD), 401, "invalid_credentials")
    assert_error(
        _post_token(username=inactive.username, password=PASSWORD), 401, "invalid_credentials"
    )
    assert ApiToken.objects.count() == 0


def test_five_failed_passwords_lock_the_account_out_even_for_the_right_password(make_user, units):
    user = make_user("social_worker", units.upt_a)
    statuses = [
        _post_token(username=user.username, password=f"wrong-{i}").status_code for i in range(4)
    ]
    assert statuses == [401, 401, 401, 401]
    fifth = _post_token(username=user.username, password="wrong-5")
    error = assert_error(fifth, 429, "locked_out")
    assert "15 menit" in error["message"]
    right = _post_token(username=user.username, password=PASSWORD)
    assert_error(right, 429, "locked_out")
    assert ApiToken.objects.count() == 0


def test_a_successful_token_request_resets_the_failure_count(make_user, units):
    user = make_user("social_worker", units.upt_a)
    for i in range(4):
        _post_token(username=user.username, password=f"wrong-{i}")
    assert _post_token(username=user.username, password=PASSWORD).status_code == 201
    for i in range(4):
        assert _post_token(username=user.username, password=f"again-{i}").status_code == 401
    assert _post_token(username=user.username, password=PASSWORD).status_code == 201


def test_missing_fields_give_a_validation_error_naming_each_field(db):
    error = assert_error(_post_token(), 400, "validation_error")
    assert error["fields"] == {
        "username": ["Isian ini wajib diisi."],
        "password": ["Isian ini wajib diisi."],
    }


def test_a_body_that_is_not_json_gives_400_bad_request(db):
    response = Client().post(TOKEN_URL, "username=x", content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_token_requests_are_throttled_per_address(db):
    statuses = [_post_token(username=f"nobody-{i}", password="x").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    response = _post_token(username="nobody-x", password="x")
    error = assert_error(response, 429, "throttled")
    assert "detik" in error["message"]
    assert int(response["Retry-After"]) >= 1


# --- Roles with two-factor login -----------------------------------------------------------------


def _confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def test_two_factor_role_without_a_device_is_told_to_set_it_up_first(make_user, units):
    admin = make_user("system_admin", units.office)
    response = _post_token(username=admin.username, password=PASSWORD)
    assert_error(response, 403, "two_factor_setup_required")
    assert ApiToken.objects.count() == 0


def test_two_factor_role_must_send_a_code(make_user, units):
    admin = make_user("system_admin", units.office)
    _confirmed_device(admin)
    error = assert_error(
        _post_token(username=admin.username, password=PASSWORD), 400, "otp_required"
    )
    assert list(error["fields"]) == ["otp"]
    assert ApiToken.objects.count() == 0


def test_two_factor_role_with_a_wrong_code_is_refused_and_the_failure_audited(make_user, units):
    admin = make_user("system_admin", units.office)
    device = _confirmed_device(admin)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = _post_token(username=admin.username, password=PASSWORD, otp=wrong)
    assert_error(response, 401, "invalid_otp")
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.filter(action="accounts.two_factor_failed").count() == 1


def test_two_factor_role_with_the_current_code_gets_a_token(make_user, units):
    admin = make_user("system_admin", units.office)
    device = _confirmed_device(admin)
    code = f"{totp(device.bin_key):06d}"
    response = _post_token(username=admin.username, password=PASSWORD, otp=code)
    assert response.status_code == 201
    me = Client().get(
        "/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}"
    )
    assert me.status_code == 200


# --- Using and revoking tokens -------------------------------------------------------------------


def test_delete_revokes_the_token_of_the_request_and_audits_it(make_user, units):
    user = make_user("social_worker", units.upt_a)
    token, key = services.token_issue(actor=user, user=user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = Client().delete(TOKEN_URL, **headers)
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert (event.kind, event.actor_username, event.target_id) == (
        "security",
        user.username,
        str(token.pk),
    )
    assert_error(Client().get("/api/v1/accounts/me", **headers), 401, "not_authenticated")


def test_delete_without_a_bearer_token_is_refused(make_user, units):
    client = Client()
    client.force_login(make_user("social_worker", units.upt_a))
    assert_error(client.delete(TOKEN_URL), 400, "no_token")
    assert_error(Client().delete(TOKEN_URL), 401, "not_authenticated")


def test_expired_revoked_and_malformed_tokens_are_refused(make_user, units):
    user = make_user("social_worker", units.upt_a)
    expired, expired_key = services.token_issue(actor=user, user=user)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    revoked, revoked_key = services.token_issue(actor=user, user=user)
    services.token_revoke(actor=user, token=revoked)
    for header in (f"Bearer {expired_key}", f"Bearer {revoked_key}", "Bearer nonsense", "Token x"):
        response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "not_authenticated")


def test_a_token_of_a_deactivated_user_stops_working(make_user, units):
    user = make_user("social_worker", units.upt_a)
    _token, key = services.token_issue(actor=user, user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_error(response, 401, "not_authenticated")


def test_last_used_at_is_written_at_most_once_a_minute(make_user, units):
    user = make_user("social_worker", units.upt_a)
    token, key = services.token_issue(actor=user, user=user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Client().get("/api/v1/accounts/me", **headers)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    Client().get("/api/v1/accounts/me", **headers)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    Client().get("/api/v1/accounts/me", **headers)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_repeated_wrong_codes_are_throttled(make_user, units):
    admin = make_user("system_admin", units.office)
    device = _confirmed_device(admin)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    assert_error(
        _post_token(username=admin.username, password=PASSWORD, otp=wrong), 401, "invalid_otp"
    )
    right = f"{totp(device.bin_key):06d}"
    response = _post_token(username=admin.username, password=PASSWORD, otp=right)
    assert_error(response, 429, "otp_throttled")
    assert ApiToken.objects.count() == 0

"""Login, wrong password, lockout by django-axes, logout and the session lifetime."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from sinergi.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/akun/masuk/"


def _post_login(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_login_page_speaks_indonesian():
    response = Client().get(LOGIN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Nama pengguna" in html
    assert "Kata sandi" in html
    assert "Lupa kata sandi?" in html


def test_right_password_logs_in_and_opens_the_dashboard(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()

    response = _post_login(client, "peksos", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_says_what_to_check_and_stays_on_the_login_page(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()

    response = _post_login(client, "peksos", "wrong-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in html
    assert "setelah 5 kali gagal, akun dikunci selama 15 menit" in html
    assert "_auth_user_id" not in client.session


def test_fifth_wrong_password_locks_the_account_with_the_lockout_page(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()

    statuses = [_post_login(client, "peksos", "wrong-password").status_code for _ in range(4)]
    locked = _post_login(client, "peksos", "wrong-password")

    assert statuses == [200, 200, 200, 200]
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert "Akun terkunci sementara" in locked.content.decode()


def test_locked_account_cannot_log_in_even_with_the_right_password(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "peksos", "wrong-password")

    response = _post_login(client, "peksos", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_so_other_users_still_log_in(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    make_user("social_worker", units.upt_a, username="rekan")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "peksos", "wrong-password")

    response = _post_login(client, "rekan", PASSWORD)

    assert response.status_code == 302


def test_successful_login_clears_earlier_failures(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()
    for _ in range(3):
        _post_login(client, "peksos", "wrong-password")

    _post_login(client, "peksos", PASSWORD)

    assert AccessAttempt.objects.filter(username="peksos").count() == 0


def test_inactive_user_cannot_log_in(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos", is_active=False)

    response = _post_login(Client(), "peksos", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_logout_is_a_post_and_ends_the_session(units, make_user):
    user = make_user("social_worker", units.upt_a)
    client = Client()
    client.force_login(user)

    response = client.post("/akun/keluar/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/"
    assert client.get("/").status_code == 302


def test_logout_by_get_is_refused(units, make_user):
    user = make_user("social_worker", units.upt_a)
    client = Client()
    client.force_login(user)

    response = client.get("/akun/keluar/")

    assert response.status_code == 405
    assert client.get("/").status_code == 200


def test_session_ends_when_the_browser_closes_and_after_eight_hours(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()

    response = _post_login(client, "peksos", PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert client.session.get_expire_at_browser_close() is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_login_page_sends_a_signed_in_user_to_the_dashboard(units, make_user):
    client = Client()
    client.force_login(make_user("social_worker", units.upt_a))

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_never_redirects_to_another_site(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")

    response = Client().post(
        f"{LOGIN_URL}?next=https://evil.example/", {"username": "peksos", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"

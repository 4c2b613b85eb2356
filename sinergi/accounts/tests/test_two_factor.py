"""TOTP two-factor login for roles that require it (system administrators)."""

import base64
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.testing import PASSWORD
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY_URL = "/akun/verifikasi/"


def _code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _login(client, username):
    return client.post("/akun/masuk/", {"username": username, "password": PASSWORD})


def _allow_next_try(device):
    """Skip the throttle delay that follows a wrong code (1 s after the first failure)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5)
    )


@pytest.fixture
def admin(units, make_user):
    return make_user("system_admin", units.office, username="admin")


def test_admin_is_sent_to_the_two_factor_page_before_any_other_page(admin):
    client = Client()
    _login(client, "admin")

    response = client.get("/akun/pengguna/")

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next=%2Fakun%2Fpengguna%2F"


def test_first_visit_shows_a_qr_code_and_the_secret_of_a_new_device(admin):
    client = Client()
    _login(client, "admin")

    response = client.get(VERIFY_URL)

    device = TOTPDevice.objects.get(user=admin)
    html = response.content.decode()
    assert response.status_code == 200
    assert device.confirmed is False
    assert 'src="data:image/svg+xml;base64,' in html
    assert base64.b32encode(device.bin_key).decode() in html
    assert "Pindai kode ini dengan aplikasi autentikator" in html


def test_reloading_the_setup_page_keeps_the_same_secret(admin):
    client = Client()
    _login(client, "admin")

    first = client.get(VERIFY_URL)
    second = client.get(VERIFY_URL)

    assert TOTPDevice.objects.filter(user=admin).count() == 1
    secret = base64.b32encode(TOTPDevice.objects.get(user=admin).bin_key).decode()
    assert secret in first.content.decode()
    assert secret in second.content.decode()


def test_wrong_code_is_refused_with_advice_and_leaves_the_device_unconfirmed(admin):
    client = Client()
    _login(client, "admin")
    client.get(VERIFY_URL)
    device = TOTPDevice.objects.get(user=admin)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY_URL, {"token": wrong})

    assert response.status_code == 200
    assert "Kode itu tidak berlaku. Periksa jam di telepon Anda" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/akun/pengguna/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.two_factor_failed").count() == 1


def test_a_right_code_straight_after_a_wrong_one_is_throttled_with_a_clear_message(admin):
    client = Client()
    _login(client, "admin")
    client.get(VERIFY_URL)
    device = TOTPDevice.objects.get(user=admin)
    client.post(VERIFY_URL, {"token": "000000" if _code(device) != "000000" else "111111"})

    response = client.post(VERIFY_URL, {"token": _code(device)})

    assert "Terlalu banyak kode salah berturut-turut" in response.content.decode()
    assert client.get("/akun/pengguna/").status_code == 302


def test_full_setup_flow_then_pages_open(admin):
    client = Client()
    _login(client, "admin")
    client.get(VERIFY_URL)
    device = TOTPDevice.objects.get(user=admin)
    client.post(VERIFY_URL, {"token": "abc"})  # not 6 digits: a form error, no attempt counted
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY_URL, {"token": wrong})
    _allow_next_try(device)

    response = client.post(
        f"{VERIFY_URL}?next=/akun/pengguna/", {"token": _code(device), "next": "/akun/pengguna/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/akun/pengguna/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/akun/pengguna/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor_enabled").count() == 1


def test_a_second_login_asks_for_a_code_again_without_a_new_qr_code(admin):
    client = Client()
    _login(client, "admin")
    client.get(VERIFY_URL)
    device = TOTPDevice.objects.get(user=admin)
    client.post(VERIFY_URL, {"token": _code(device)})
    client.post("/akun/keluar/")

    _login(client, "admin")
    redirected = client.get("/")
    page = client.get(VERIFY_URL)
    # The code just used cannot be replayed: the next time step's code is needed.
    replay = client.post(VERIFY_URL, {"token": _code(device)})
    _allow_next_try(device)
    accepted = client.post(VERIFY_URL, {"token": _code(device, drift=1)})

    assert redirected.status_code == 302
    assert redirected["Location"].startswith(VERIFY_URL)
    assert "data:image/svg+xml" not in page.content.decode()
    assert "Masukkan kode 6 angka dari aplikasi autentikator Anda." in page.content.decode()
    assert replay.status_code == 200
    assert accepted.status_code == 302
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_verify_page_never_redirects_to_another_site(admin):
    client = Client()
    _login(client, "admin")
    client.get(VERIFY_URL)
    device = TOTPDevice.objects.get(user=admin)

    response = client.post(VERIFY_URL, {"token": _code(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_users_without_a_two_factor_role_are_not_asked_for_a_code(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()
    _login(client, "peksos")

    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.count() == 0


def test_logout_stays_reachable_before_the_code_is_entered(admin):
    client = Client()
    _login(client, "admin")

    response = client.post("/akun/keluar/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/"


def test_anonymous_visitor_of_the_verify_page_is_sent_to_login():
    response = Client().get(VERIFY_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")

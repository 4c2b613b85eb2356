"""Browser tests of logging in: wrong and right password, lockout, two-factor setup (Chromium)."""

import base64
import re
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from sinergi.accounts.testing import PASSWORD


def _submit_login(live_server, page, username, password):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Masuk").click()


def _code(secret, drift=0):
    return f"{totp(base64.b32decode(secret), drift=drift):06d}"


@pytest.fixture
def worker(units, make_user):
    return make_user("social_worker", units.upt_a, username="peksos", full_name="Ani Peksos")


def test_wrong_password_then_right_password(live_server, page, worker):
    _submit_login(live_server, page, "peksos", "salah-sandi")

    expect(page.get_by_test_id("login-error")).to_contain_text(
        "Nama pengguna atau kata sandi salah."
    )
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))

    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Ani Peksos")


def test_five_wrong_passwords_lock_the_account(live_server, page, worker):
    for _ in range(4):
        _submit_login(live_server, page, "peksos", "salah-sandi")
        expect(page.get_by_test_id("login-error")).to_be_visible()

    _submit_login(live_server, page, "peksos", "salah-sandi")

    expect(page.get_by_test_id("locked-out")).to_contain_text("Tunggu 15 menit")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Akun terkunci sementara")

    _submit_login(live_server, page, "peksos", PASSWORD)
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def test_logout_returns_to_the_login_page(live_server, page, worker):
    _submit_login(live_server, page, "peksos", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/$"))


def test_two_factor_setup_flow_and_second_login(live_server, page, units, make_user):
    make_user("system_admin", units.office, username="admin", full_name="Admin Sistem")

    _submit_login(live_server, page, "admin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/akun/verifikasi/"))
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()

    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"
    page.fill("#id_token", wrong)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Kode itu tidak berlaku.")

    time.sleep(1.2)  # the throttle after one wrong code
    page.fill("#id_token", _code(secret))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#messages")).to_contain_text("Verifikasi dua langkah sekarang aktif")
    page.goto(f"{live_server.url}/akun/pengguna/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengguna")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    _submit_login(live_server, page, "admin", PASSWORD)

    expect(page).to_have_url(re.compile(r"/akun/verifikasi/"))
    expect(page.get_by_test_id("totp-secret")).to_have_count(0)
    page.fill("#id_token", _code(secret, drift=1))  # the code just used cannot be replayed
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{live_server.url}/")

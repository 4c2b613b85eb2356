"""The layout every page shares: navigation by role, unit, language, messages, error pages, CSP,
and the idle timeout."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from sinergi.accounts import middleware as account_middleware
from sinergi.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- navigation by role ------------------------------------------------------------------------


def test_sidebar_shows_the_users_menu_only_to_roles_that_may_see_users(units, make_user, roles):
    social_worker = _client(make_user("social_worker", units.upt_a)).get("/")
    head_of_office = _client(make_user("head_of_office", units.office)).get("/")

    assert 'href="/akun/pengguna/"' not in social_worker.content.decode()
    assert 'href="/akun/pengguna/"' in head_of_office.content.decode()
    assert "Pengguna" in [str(item.label) for item in head_of_office.context["admin_menu"]]
    assert "Pengguna" not in [str(item.label) for item in social_worker.context["admin_menu"]]


def test_every_menu_item_shown_is_one_the_user_may_open(units, make_user):
    user = make_user("social_worker", units.upt_a)

    response = _client(user).get("/")

    for section in ("main_menu", "admin_menu", "help_menu"):
        for item in response.context[section]:
            assert item.permission is None or user.has_perm(item.permission), item


def test_every_signed_in_user_gets_the_user_guide_under_help(units, make_user):
    response = _client(make_user(None, units.upt_a)).get("/")

    assert [str(item.label) for item in response.context["help_menu"]] == ["Panduan pengguna"]
    assert 'href="/bantuan/"' in response.content.decode()


def test_a_user_without_roles_is_told_to_ask_for_one(units, make_user):
    response = _client(make_user(None, units.upt_a)).get("/")

    assert "Akun Anda belum memiliki peran yang membuka modul." in response.content.decode()


def test_navbar_and_sidebar_show_the_users_unit(units, make_user):
    html = _client(make_user("social_worker", units.upt_a)).get("/").content.decode()

    assert re.search(r'data-testid="navbar-unit">· UPT RSBD Pasuruan<', html)
    assert re.search(
        r'data-testid="sidebar-unit"><i class="bi bi-building"></i> UPT RSBD Pasuruan<', html
    )


def test_anonymous_visitor_sees_no_menu(client):
    response = client.get("/akun/masuk/")

    assert 'id="sidebar"' not in response.content.decode()


# --- language ---------------------------------------------------------------------------------


def test_language_switch_to_english_persists_and_switches_back(units, make_user):
    client = _client(make_user("social_worker", units.upt_a))
    assert "Dasbor" in client.get("/").content.decode()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    other_page = client.get("/bantuan/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    back = client.get("/").content.decode()

    assert switched.status_code == 302
    assert switched["Location"] == "/"
    assert '<html lang="en">' in english
    assert "Dashboard" in english
    assert "User guide" in other_page
    assert '<html lang="id">' in back
    assert "Dasbor" in back


def test_language_choice_survives_logout_and_login(units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})

    client.post("/akun/masuk/", {"username": "peksos", "password": PASSWORD})
    client.post("/akun/keluar/")
    login_page = client.get("/akun/masuk/").content.decode()

    assert '<html lang="en">' in login_page
    assert "Forgot your password?" in login_page


def test_language_switch_offers_the_other_language_only(client):
    html = client.get("/akun/masuk/").content.decode()

    assert 'data-testid="language-en"' in html
    assert 'data-testid="language-id"' not in html


# --- messages -------------------------------------------------------------------------------------


def test_messages_are_shown_once_after_a_redirect(units, make_user):
    user = make_user("social_worker", units.upt_a)
    client = _client(user)

    response = client.post(
        "/akun/profil/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "kopi-pagi-di-taman-5",
            "new_password2": "kopi-pagi-di-taman-5",
        },
        follow=True,
    )
    again = client.get("/akun/profil/")

    assert "Kata sandi Anda sudah diganti." in response.content.decode()
    assert "Kata sandi Anda sudah diganti." not in again.content.decode()


def test_password_change_page_uses_the_office_words(units, make_user):
    html = (
        _client(make_user("social_worker", units.upt_a))
        .get("/akun/profil/kata-sandi/")
        .content.decode()
    )

    assert "Kata sandi sekarang" in html
    assert "Ulangi kata sandi baru" in html


# --- error pages (DEBUG off) -------------------------------------------------------------------


def test_404_page_is_in_indonesian_for_visitors_and_users(settings, units, make_user):
    settings.DEBUG = False

    anonymous = Client().get("/tidak-ada/")
    signed_in = _client(make_user("social_worker", units.upt_a)).get("/tidak-ada/")

    for response in (anonymous, signed_in):
        assert response.status_code == 404
        html = response.content.decode()
        assert "Halaman tidak ditemukan" in html
        assert "Periksa alamatnya" in html


def test_403_page_is_in_indonesian_and_says_whom_to_ask(settings, units, make_user):
    settings.DEBUG = False

    response = _client(make_user("social_worker", units.upt_a)).get("/akun/pengguna/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Anda tidak memiliki akses ke halaman ini" in html
    assert "mintalah administrator sistem" in html


@pytest.mark.urls("sinergi.accounts.tests.urls_with_errors")
def test_500_page_is_in_indonesian_and_self_contained(settings, units, make_user):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user("social_worker", units.upt_a))

    response = client.get("/rusak/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan di sistem kami" in html
    assert "Tidak ada isian Anda yang tersimpan setengah jalan" in html
    assert "deliberate failure" not in html
    assert 'id="sidebar"' not in html


@pytest.mark.urls("sinergi.accounts.tests.urls_with_errors")
def test_403_raised_by_a_view_uses_the_403_page(settings, units, make_user):
    settings.DEBUG = False

    response = _client(make_user("social_worker", units.upt_a)).get("/terlarang/")

    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


# --- Content-Security-Policy --------------------------------------------------------------------


class _InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts/styles without the nonce, style and
    on* attributes, javascript: URLs."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "script" and "src" not in attributes and attributes.get("nonce") != self.nonce:
            self.problems.append("<script> inline without the nonce")
        if tag == "style" and attributes.get("nonce") != self.nonce:
            self.problems.append("<style> without the nonce")


def _csp_problems(response):
    policy = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", policy)
    finder = _InlineFinder(match.group(1) if match else "")
    finder.feed(response.content.decode())
    return finder.problems


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/akun/masuk/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy)
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.urls("sinergi.accounts.tests.urls_with_errors")
def test_shell_pages_have_nothing_the_policy_would_block(
    settings, units, make_user, admin_without_two_factor
):
    settings.DEBUG = False
    admin = make_user("system_admin", units.office)
    worker = make_user("social_worker", units.upt_a)
    client = Client(raise_request_exception=False)
    pages = {"login": client.get("/akun/masuk/")}
    client.force_login(admin)
    for url in [
        "/",
        "/akun/profil/",
        "/akun/profil/kata-sandi/",
        "/akun/pengguna/",
        "/akun/pengguna/baru/",
        f"/akun/pengguna/{worker.pk}/",
        f"/akun/pengguna/{worker.pk}/ubah/",
        f"/akun/pengguna/{worker.pk}/kata-sandi/",
        "/notifikasi/",
        "/bantuan/",
        "/bantuan/masuk/",
        "/bantuan/peran/",
        "/tidak-ada/",
        "/terlarang/",
        "/rusak/",
    ]:
        pages[url] = client.get(url)

    problems = {url: _csp_problems(r) for url, r in pages.items() if _csp_problems(r)}
    assert problems == {}
    assert {url: r.status_code for url, r in pages.items() if r.status_code not in (200,)} == {
        "/tidak-ada/": 404,
        "/terlarang/": 403,
        "/rusak/": 500,
    }


# --- idle timeout -------------------------------------------------------------------------------


@pytest.fixture
def idle_timeout(settings):
    """The idle-timeout middleware in place, right after the messages middleware."""
    middleware = list(settings.MIDDLEWARE)
    position = middleware.index("django.contrib.messages.middleware.MessageMiddleware") + 1
    if "sinergi.accounts.middleware.IdleTimeoutMiddleware" not in middleware:
        middleware.insert(position, "sinergi.accounts.middleware.IdleTimeoutMiddleware")
    settings.MIDDLEWARE = middleware
    return settings


class _Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock(1_800_000_000.0)
    monkeypatch.setattr(account_middleware.time, "time", fake.time)
    return fake


def test_idle_for_more_than_sixty_minutes_logs_out_with_a_message(
    idle_timeout, clock, units, make_user
):
    client = _client(make_user("social_worker", units.upt_a))
    assert client.get("/").status_code == 200

    clock.now += 60 * 60 + 1
    response = client.get("/bantuan/?bab=1")
    login_page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/bantuan/%3Fbab%3D1"
    assert "tidak ada kegiatan selama 60 menit" in login_page.content.decode()
    assert client.get("/").status_code == 302


def test_activity_within_the_hour_keeps_the_session(idle_timeout, clock, units, make_user):
    client = _client(make_user("social_worker", units.upt_a))
    client.get("/")

    for _ in range(3):
        clock.now += 50 * 60
        assert client.get("/").status_code == 200


def test_last_activity_is_written_at_most_once_a_minute(idle_timeout, clock, units, make_user):
    client = _client(make_user("social_worker", units.upt_a))
    client.get("/")
    first = client.session[account_middleware.LAST_ACTIVITY_KEY]

    clock.now += 30
    client.get("/")
    after_half_a_minute = client.session[account_middleware.LAST_ACTIVITY_KEY]
    clock.now += 31
    client.get("/")
    after_a_minute = client.session[account_middleware.LAST_ACTIVITY_KEY]

    assert after_half_a_minute == first
    assert after_a_minute == first + 61


def test_idle_timeout_follows_the_setting(idle_timeout, clock, units, make_user):
    idle_timeout.SINERGI = {**idle_timeout.SINERGI, "IDLE_TIMEOUT_MINUTES": 5}
    client = _client(make_user("social_worker", units.upt_a))
    client.get("/")

    clock.now += 5 * 60 + 1

    assert client.get("/").status_code == 302


def test_idle_htmx_request_is_redirected_by_htmx_to_the_login_page(
    idle_timeout, clock, units, make_user
):
    client = _client(make_user("social_worker", units.upt_a))
    client.get("/")
    clock.now += 2 * 60 * 60

    response = client.get("/notifikasi/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/akun/masuk/?next=%2Fnotifikasi%2F"


def test_idle_timeout_default_is_sixty_minutes(settings):
    sinergi = dict(settings.SINERGI)
    sinergi.pop("IDLE_TIMEOUT_MINUTES", None)
    settings.SINERGI = sinergi

    assert account_middleware.idle_timeout_seconds() == 60 * 60

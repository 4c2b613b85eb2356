"""Browser tests of the layout: language switch, notification bell, guide, phone menu, CSP."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.accounts.testing import PASSWORD
from sinergi.notifications import services as notifications


def _sign_in(live_server, page, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


@pytest.fixture
def console_errors(page):
    """Console errors (a Content-Security-Policy violation is reported there) and failed loads."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return errors


@pytest.fixture
def worker(units, make_user):
    return make_user("social_worker", units.upt_a, username="peksos", full_name="Ani Peksos")


def test_language_switch_to_english_and_back(live_server, page, worker, console_errors):
    _sign_in(live_server, page, "peksos")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Dasbor")).to_be_visible()

    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="User guide").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice persists

    page.get_by_test_id("language-id").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Panduan pengguna")).to_be_visible()
    assert console_errors == []


def test_notification_bell_count_and_mark_read(live_server, page, worker, console_errors):
    notifications.notify(recipient=worker, title="Rencana menunggu persetujuan", url="/bantuan/")
    notifications.notify(recipient=worker, title="Laporan bulan ini", body="Segera lengkapi.")
    _sign_in(live_server, page, "peksos")

    bell = page.get_by_test_id("notification-bell")
    expect(page.get_by_test_id("notification-count")).to_have_text("2")
    bell.click()

    expect(page).to_have_url(f"{live_server.url}/notifikasi/")
    items = page.get_by_test_id("notification-item")
    expect(items).to_have_count(2)
    first = items.filter(has_text="Laporan bulan ini")
    first.get_by_test_id("mark-read").click()

    # htmx swapped the item and the bell in place, without reloading the page
    expect(first.get_by_test_id("unread-badge")).to_have_count(0)
    expect(page.get_by_test_id("notification-count")).to_have_text("1")

    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    expect(page.get_by_test_id("unread-badge")).to_have_count(0)
    assert console_errors == []


def test_guide_page_renders_with_contents(live_server, page, worker, console_errors):
    _sign_in(live_server, page, "peksos")

    page.get_by_role("link", name="Panduan pengguna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panduan Pengguna Sinergi")
    page.get_by_test_id("guide-chapters").get_by_role("link", name="Peran dan hak akses").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Peran dan hak akses")
    expect(page.get_by_test_id("guide-toc")).to_contain_text("Sebelas peran")
    expect(page.get_by_role("cell", name="`kepala.rsbd.pasuruan`")).to_have_count(0)
    expect(page.get_by_role("cell", name="kepala.rsbd.pasuruan", exact=True)).to_be_visible()
    page.get_by_test_id("guide-toc").get_by_role("link", name="Pengguna demo").click()
    expect(page).to_have_url(re.compile(r"/bantuan/peran/#pengguna-demo$"))
    assert console_errors == []


def test_phone_menu_collapses_into_the_offcanvas_and_opens(live_server, browser, worker, units):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        _sign_in(live_server, page, "peksos")
        guide_link = (
            page.get_by_test_id("sidebar-menu")
            .locator("..")
            .get_by_role("link", name="Panduan pengguna")
        )
        expect(guide_link).to_be_hidden()

        page.get_by_role("button", name="Buka menu").click()

        expect(page.locator("#sidebar")).to_be_visible()
        expect(page.get_by_test_id("sidebar-unit")).to_contain_text("UPT RSBD Pasuruan")
        expect(guide_link).to_be_visible()
        guide_link.click()
        expect(page).to_have_url(f"{live_server.url}/bantuan/")
        expect(page.locator("#sidebar")).to_be_hidden()
    finally:
        context.close()


def test_pages_raise_no_content_security_policy_violation(
    live_server, page, units, make_user, console_errors
):
    from sinergi.accounts.models import Role

    Role.objects.filter(code="system_admin").update(requires_two_factor=False)
    make_user("system_admin", units.office, username="admin")
    target = make_user("social_worker", units.upt_a, username="target")
    _sign_in(live_server, page, "admin")

    for path in [
        "/",
        "/akun/profil/",
        "/akun/pengguna/",
        "/akun/pengguna/baru/",
        f"/akun/pengguna/{target.pk}/",
        f"/akun/pengguna/{target.pk}/ubah/",
        "/notifikasi/",
        "/bantuan/",
        "/bantuan/masuk/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main#content")).to_be_visible()

    # the user search uses htmx (a CSP-sensitive library) to reload the results
    page.goto(f"{live_server.url}/akun/pengguna/")
    page.fill("#id_q", "target")
    expect(page.get_by_test_id("user-table").get_by_role("row")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"q=target"))
    assert console_errors == []

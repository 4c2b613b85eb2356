"""Browser tests of the unit pages and the cascading region picker (Debian Chromium)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sinergi.organisation.models import Region, Unit
from sinergi.organisation.testing import grant_permissions


@pytest.fixture
def unit_editor(units, make_user):
    """An office-wide user who may create and change units, without a role that requires 2FA."""
    user = make_user("head_of_office", units.office, username="editor.unit")
    return grant_permissions(user, "organisation.add_unit", "organisation.change_unit")


@pytest.fixture
def jatim_regions(transactional_db):
    call_command("load_regions", "--province", "35", verbosity=0)
    jateng = Region.objects.create(code="33", name="Jawa Tengah", level=1)
    Region.objects.create(code="33.74", name="Kota Semarang", level=2, parent=jateng)


def _sign_in(login, page, username):
    login(username)
    # the login POST may still be on its way: wait for its redirect before going elsewhere
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


@pytest.fixture
def console_errors(page):
    """Console errors of the page (a CSP violation shows up here), except the missing favicon."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(  # failed loads, by address (the console message does not say which)
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


def test_an_editor_creates_a_unit_choosing_its_regency_with_the_cascading_picker_then_edits_it(
    live_server, login, page, units, unit_editor, jatim_regions, console_errors
):
    _sign_in(login, page, "editor.unit")
    page.goto(f"{live_server.url}/organisasi/unit/")
    page.get_by_test_id("unit-create").click()

    page.fill("#id_name", "UPT PSTW Jember")
    page.fill("#id_code", "upt-pstw-jember")
    page.select_option("#id_unit_type", label="UPT")
    page.select_option("#id_upt_type", label="PSTW (Pelayanan Sosial Tresna Werdha)")
    page.select_option("#id_parent", label="— Bidang Rehabilitasi Sosial")

    # The default province is preselected and its 38 kab/kota are listed.
    province, regency = page.locator("#id_regency_1"), page.locator("#id_regency_2")
    expect(province).to_have_value("35")
    expect(regency.locator("option")).to_have_count(39)

    # Another province reloads the kab/kota list (htmx), and back again.
    province.select_option("33")
    expect(regency.locator("option")).to_have_count(2)
    expect(regency.locator("option").nth(1)).to_have_text("Kota Semarang")
    province.select_option("35")
    expect(regency.locator("option")).to_have_count(39)

    # The search box above the kab/kota list filters it on the server.
    search = page.locator("#id_regency_2_search")
    expect(search).to_be_visible()
    search.fill("jember")
    expect(regency.locator("option")).to_have_count(2)
    regency.select_option(label="Kabupaten Jember")

    page.get_by_test_id("unit-save").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("UPT PSTW Jember")
    expect(page.get_by_test_id("unit-regency")).to_contain_text("Kabupaten Jember, Jawa Timur")
    unit = Unit.objects.get(code="upt-pstw-jember")
    assert unit.regency_id == "35.09"
    assert unit.parent == units.rehab_division

    # Edit: the picker opens on the saved regency; choose another one and rename.
    page.get_by_test_id("unit-edit").click()
    expect(page.locator("#id_regency_1")).to_have_value("35")
    expect(page.locator("#id_regency_2")).to_have_value("35.09")
    page.locator("#id_regency_2").select_option(label="Kota Surabaya")
    page.fill("#id_name", "UPT PSTW Surabaya")
    page.get_by_test_id("unit-save").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("UPT PSTW Surabaya")
    expect(page.get_by_test_id("unit-regency")).to_contain_text("Kota Surabaya")
    unit.refresh_from_db()
    assert (unit.name, unit.regency_id) == ("UPT PSTW Surabaya", "35.78")
    assert console_errors == []  # e.g. no Content-Security-Policy violation


def test_the_unit_list_fits_a_phone_screen(live_server, login, page, units, unit_editor):
    page.set_viewport_size({"width": 375, "height": 740})
    _sign_in(login, page, "editor.unit")
    page.goto(f"{live_server.url}/organisasi/unit/")
    table = page.get_by_test_id("unit-table")
    expect(table).to_be_visible()
    expect(table.get_by_role("link", name="UPT RSBD Pasuruan")).to_be_visible()
    # no sideways scrolling of the page itself, and the sidebar has become a menu button
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(
        page.locator("button[data-bs-toggle='offcanvas'][data-bs-target='#sidebar']")
    ).to_be_visible()
    expect(page.get_by_test_id("unit-create")).to_be_visible()

    # Searching updates the list in place.
    page.fill("#id_q", "magetan")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("UPT PSTW Magetan")

"""Browser test of performance: a UPT enters a quarter's realisation, planning verifies it, the
head of office sees the achievement with its band."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from sinergi.performance.models import Realisation
from sinergi.performance.testing import make_small_plan

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The achievement bands and SPM services of the data migration: a live-server test that ran
    before this one in the same worker flushed them."""
    from django.apps import apps

    importlib.import_module(
        "sinergi.performance.migrations.0002_reference_bands_spm_services"
    ).load(apps, None)


@pytest.fixture
def console_errors(page):
    """Console errors (a CSP violation shows up here) and failed loads, except the favicon."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


def _sign_in(login, page, username):
    page.context.clear_cookies()
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_unit_enters_planning_verifies_head_sees_the_band(
    live_server, login, page, units, make_user, console_errors
):
    plan = make_small_plan(units)
    make_user("head_of_upt", units.upt_a, username="kepala.upt")
    make_user("planning_officer", units.secretariat, username="perencanaan")
    make_user("head_of_office", units.office, username="kadinsos")

    # the head of the UPT enters quarter I
    _sign_in(login, page, "kepala.upt")
    page.goto(f"{live_server.url}/kinerja/unit/{units.upt_a.pk}/?tahun=2026&triwulan=1")
    expect(page.get_by_test_id("unit-name")).to_have_text("UPT RSBD Pasuruan")
    page.get_by_test_id("enter-UPT-A-1").click()
    expect(page.get_by_role("heading", name="Isi realisasi")).to_be_visible()
    page.get_by_label("Tahun", exact=True).fill("2026")
    page.get_by_label("Triwulan", exact=True).select_option("1")
    page.get_by_label("Realisasi", exact=True).fill("45")
    page.get_by_label("Bukti dukung (uraian)").fill("Register klien triwulan I")
    page.get_by_test_id("save-realisation").click()
    expect(page.get_by_text("Realisasi disimpan dan menunggu verifikasi.")).to_be_visible()
    expect(page.get_by_test_id("quarter-1")).to_contain_text("belum diverifikasi")
    assert Realisation.objects.get().entered_by.username == "kepala.upt"

    # planning verifies it from the queue
    _sign_in(login, page, "perencanaan")
    page.goto(f"{live_server.url}/kinerja/verifikasi/")
    queue = page.get_by_test_id("queue-table")
    expect(queue).to_contain_text("UPT-A-1")
    queue.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("Terverifikasi: realisasi kini terkunci.")).to_be_visible()
    expect(page.get_by_text("Tidak ada yang menunggu verifikasi.")).to_be_visible()

    # the head of office reads the achievement: 45 of 50 = 90 %, band "Baik"
    _sign_in(login, page, "kadinsos")
    page.goto(f"{live_server.url}/kinerja/?tahun=2026&triwulan=1")
    expect(page.get_by_role("heading", name="Capaian Kinerja")).to_be_visible()
    expect(page.get_by_test_id("iku-table")).to_contain_text(plan.iku.name)
    units_table = page.get_by_test_id("unit-table")
    expect(units_table).to_contain_text("UPT RSBD Pasuruan")
    units_table.get_by_role("link", name="UPT RSBD Pasuruan").click()
    row = page.get_by_test_id("indicator-table").get_by_role("row", name=re.compile("UPT-A-1"))
    expect(row).to_contain_text("90,00%")
    expect(row.get_by_test_id("band")).to_have_text("Baik")
    expect(row).to_contain_text("terverifikasi")
    row.get_by_role("link", name="UPT-A-1").click()
    expect(page.get_by_test_id("quarter-1")).to_contain_text("terverifikasi")
    assert console_errors == []

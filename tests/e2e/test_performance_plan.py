"""Browser test of the plan: the planning staff build a Renstra from nothing (period, tujuan,
sasaran, an indicator and its targets, a zero target refused with a message), enter an SPM figure,
and the head of office reads the SPM band."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from sinergi.performance.models import Goal, Indicator, Objective, RenstraPeriod, SpmFigure, Target

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The bands, SPM services and their sources of the data migrations (a live-server test that
    ran before this one in the same worker flushed them)."""
    from django.apps import apps

    for name in ["0002_reference_bands_spm_services", "0004_spm_served_from_rehabilitation"]:
        migration = importlib.import_module(f"sinergi.performance.migrations.{name}")
        (migration.load if hasattr(migration, "load") else migration.forwards)(apps, None)


def _sign_in(login, page, username):
    page.context.clear_cookies()
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_planning_staff_build_a_renstra_and_the_head_reads_spm(
    live_server, login, page, units, make_user
):
    make_user("planning_officer", units.secretariat, username="perencanaan")
    make_user("head_of_office", units.office, username="kadinsos")
    _sign_in(login, page, "perencanaan")

    page.goto(f"{live_server.url}/kinerja/rencana/?tahun=2030")
    expect(page.get_by_text("Belum ada rencana strategis untuk tahun ini.")).to_be_visible()
    page.get_by_test_id("add-period").click()
    page.get_by_label("Nama", exact=True).fill("Renstra Dinas Sosial 2030-2034")
    page.get_by_label("Tahun pertama rencana").fill("2030")
    page.get_by_label("Tahun terakhir rencana").fill("2029")
    page.get_by_test_id("save-renstra").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("lebih awal dari tahun pertamanya")
    page.get_by_label("Tahun terakhir rencana").fill("2034")
    page.get_by_test_id("save-renstra").click()
    expect(page.get_by_text("Periode Renstra disimpan.")).to_be_visible()
    expect(page.get_by_test_id("renstra-name")).to_contain_text("2030-2034")

    page.get_by_test_id("add-goal").click()
    page.get_by_label("Kode").fill("T1")
    page.get_by_label("Rumusan").fill("Meningkatnya kemandirian PPKS")
    page.get_by_test_id("save-renstra").click()
    expect(page.get_by_text("Tujuan disimpan.")).to_be_visible()
    page.get_by_test_id("add-objective-T1").click()
    page.get_by_label("Kode").fill("S1")
    page.get_by_label("Rumusan").fill("Meningkatnya layanan rehabilitasi sosial di panti")
    page.get_by_test_id("save-renstra").click()
    expect(page.get_by_test_id("goal-T1")).to_contain_text("Meningkatnya layanan rehabilitasi")

    page.get_by_test_id("add-indicator").click()
    page.get_by_label("Kode").fill("IKU-1")
    page.get_by_label("Indikator", exact=True).fill("Persentase PPKS mandiri setelah rehabilitasi")
    page.get_by_label("Tingkat").select_option("iku")
    page.get_by_label("Unit penanggung jawab").select_option(label=units.office.name)
    page.get_by_label("Sasaran", exact=True).select_option(
        label="S1 Meningkatnya layanan rehabilitasi sosial di panti"
    )
    page.get_by_label("Satuan").fill("%")
    page.get_by_test_id("save-indicator").click()
    expect(page.get_by_test_id("indicator-name")).to_contain_text("IKU-1")

    page.get_by_test_id("edit-targets").click()
    page.get_by_label("Tahun", exact=True).fill("0")
    page.get_by_test_id("save-targets").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Target 0 tidak dapat dipakai")
    assert not Target.objects.exists()
    page.get_by_label("Tahun", exact=True).fill("70")
    page.get_by_test_id("save-targets").click()
    expect(page.get_by_text("Target disimpan.")).to_be_visible()
    period = RenstraPeriod.objects.get(start_year=2030)
    assert Goal.objects.get(period=period).code == "T1"
    assert Objective.objects.get(goal__period=period).code == "S1"
    iku = Indicator.objects.get(period=period)
    assert list(iku.targets.values_list("year", "quarter", "value")) == [(2030, 0, 70)]

    # SPM: the disaster service is entered by hand
    page.goto(f"{live_server.url}/kinerja/spm/?tahun=2030")
    expect(page.get_by_test_id("spm-source-lansia-telantar")).to_contain_text("dihitung dari")
    page.get_by_test_id("spm-edit-korban-bencana").click()
    page.get_by_label("Jumlah yang membutuhkan layanan").fill("2600")
    page.get_by_label("Jumlah yang terlayani").fill("2080")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Data SPM disimpan.")).to_be_visible()
    assert SpmFigure.objects.get().served == 2080

    _sign_in(login, page, "kadinsos")
    page.goto(f"{live_server.url}/kinerja/spm/?tahun=2030")
    row = page.get_by_test_id("spm-korban-bencana")
    expect(row).to_contain_text("80,00%")
    expect(row).to_contain_text("Tuntas Utama")
    expect(page.get_by_test_id("spm-edit-korban-bencana")).to_have_count(0)

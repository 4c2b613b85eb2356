"""Browser tests of budget absorption: finance imports, the head's dashboard, a KPA's drill-down."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.budget.models import BudgetLine, Realisation
from sinergi.budget.testing import make_small_budget
from sinergi.core.tabular.testing import xlsx_bytes


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
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def _upload(page, tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("Siap diterapkan")
    page.get_by_test_id("apply-button").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("Sudah diterapkan")


def test_finance_officer_imports_a_dpa_and_realisations(
    live_server, login, page, units, make_user, tmp_path, console_errors
):
    make_user("finance_officer", units.secretariat, username="keuangan")
    _sign_in(login, page, "keuangan")
    page.goto(f"{live_server.url}/anggaran/")
    expect(page.get_by_test_id("budget-empty")).to_be_visible()
    page.get_by_role("link", name="Impor baris DPA").click()
    _upload(
        page,
        tmp_path,
        "dpa.xlsx",
        [
            ["tahun", "kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan",
             "kode_sub_kegiatan", "nama_sub_kegiatan", "kode_rekening", "nama_rekening",
             "kode_unit", "pptk", "pagu"],
            [2026, "1.06.04", "Program Rehabilitasi Sosial", "1.06.04.1.03", "Rehsos Lansia",
             "1.06.04.1.03.0001", "Penyediaan Permakanan", "5.1.02.01.01.0052", "Belanja Makan",
             units.upt_b.code, "Siti", 2000000],
        ],
    )  # fmt: skip
    page.goto(f"{live_server.url}/impor/budget.realisations/")
    _upload(
        page,
        tmp_path,
        "sp2d.xlsx",
        [
            ["tahun", "nomor_sp2d", "tanggal", "jenis", "kode_sub_kegiatan", "kode_rekening",
             "kode_unit", "nilai"],
            [2026, "0001/LS", "15-01-2026", "LS", "1.06.04.1.03.0001", "5.1.02.01.01.0052",
             units.upt_b.code, 500000],
        ],
    )  # fmt: skip
    assert BudgetLine.objects.count() == 1
    assert Realisation.objects.get().amount == 500000
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=1")
    expect(page.get_by_test_id("office-absorption")).to_have_text("25,00%")
    assert console_errors == []


def test_head_sees_absorption_ranking_and_warnings(
    live_server, login, page, units, make_user, console_errors
):
    budget = make_small_budget(units)
    from sinergi.budget import services

    for name, realised, own in [("Dinas A", 80, False), ("Dinas Sosial", 25, True)]:
        services.provincial_office_save(
            actor=None,
            fiscal_year=budget.year,
            month=3,
            office_name=name,
            pagu=100,
            realisation=realised,
            is_own_office=own,
        )
    make_user("head_of_office", units.office, username="kadis")
    _sign_in(login, page, "kadis")
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    expect(page.get_by_test_id("office-absorption")).to_have_text("25,00%")
    expect(page.get_by_test_id("provincial-rank")).to_have_text("2 dari 2")
    league = page.get_by_test_id("league-table")
    expect(league.locator("tbody tr").first).to_contain_text("UPT RSBD Pasuruan")
    expect(page.get_by_test_id("milestone-alerts")).to_contain_text("UPT PSTW Magetan")
    expect(page.get_by_test_id("plan-mismatch")).to_be_visible()
    expect(page.locator("#budget-s-curve[data-rendered=true]")).to_have_count(1)
    assert console_errors == []


def test_a_kpa_drills_into_its_lines(live_server, login, page, units, make_user, console_errors):
    budget = make_small_budget(units)
    make_user("head_of_upt", units.upt_b, username="kepala.upt")
    _sign_in(login, page, "kepala.upt")
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    page.get_by_test_id("league-table").get_by_role("link", name="UPT PSTW Magetan").click()
    expect(page.get_by_test_id("unit-absorption")).to_have_text("30,00%")
    expect(page.get_by_test_id("unit-rank")).to_have_text("2 dari 3")
    page.get_by_test_id("unit-programs").get_by_role("link").first.click()
    page.get_by_test_id("drill-table").get_by_role("link").first.click()  # kegiatan
    page.get_by_test_id("drill-table").get_by_role("link").first.click()  # sub kegiatan
    page.get_by_test_id("drill-table").get_by_role("link").first.click()  # line
    expect(page.get_by_test_id("line-remaining")).to_have_text("Rp 1.400.000")
    page.get_by_test_id("add-sp2d").click()
    page.fill("#id_sp2d_number", "SP2D-UPT-1")
    page.fill("#id_paid_on", "2026-04-02")
    page.fill("#id_amount", "1400001")
    page.get_by_test_id("save-sp2d").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("sisa pagu hanya Rp 1.400.000")
    page.fill("#id_amount", "400000")
    page.get_by_test_id("save-sp2d").click()
    expect(page.get_by_test_id("line-sp2d")).to_contain_text("SP2D-UPT-1")
    assert budget.line_b.allocations.count() == 3
    # the KPA reports the physical progress of the unit's sub kegiatan
    page.get_by_test_id("report-progress").click()
    page.select_option("#id_month", "4")
    page.fill("#id_percent", "37.5")
    page.get_by_test_id("save-progress").click()
    expect(page.get_by_test_id("progress-4")).to_contain_text("37,50%")
    assert console_errors == []


def test_finance_sets_milestones_revises_a_pagu_reports_progress_and_closes_the_year(
    live_server, login, page, units, make_user, console_errors
):
    budget = make_small_budget(units)
    make_user("finance_officer", units.secretariat, username="keuangan")
    _sign_in(login, page, "keuangan")
    # a milestone of the year
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    page.get_by_test_id("milestones-link").click()
    page.get_by_test_id("add-milestone").click()
    page.fill("#id_due_on", "2026-08-31")
    page.fill("#id_target_percent", "60")
    page.fill("#id_source", "Arahan Kepala Dinas")
    page.get_by_test_id("save-milestone").click()
    expect(page.get_by_test_id("milestones")).to_contain_text("60,00%")
    expect(page.get_by_test_id("milestones")).to_contain_text("Arahan Kepala Dinas")
    # a pagu revision (pergeseran) and the physical progress of the line's sub kegiatan
    page.goto(f"{live_server.url}/anggaran/rekening/{budget.line_a.pk}/")
    page.get_by_test_id("revise-pagu").click()
    page.fill("#id_new_pagu", "1500000")
    page.fill("#id_revised_on", "2026-06-01")
    page.fill("#id_reference", "SK Pergeseran 7/2026")
    page.get_by_test_id("save-revision").click()
    expect(page.get_by_test_id("line-pagu")).to_have_text("Rp 1.500.000")
    expect(page.get_by_test_id("line-revisions")).to_contain_text("SK Pergeseran 7/2026")
    page.get_by_test_id("report-progress").click()
    page.select_option("#id_month", "3")
    page.fill("#id_percent", "35")
    page.get_by_test_id("save-progress").click()
    expect(page.get_by_test_id("progress-3")).to_contain_text("35,00%")
    # the SP2D of the year, newest first
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    page.get_by_test_id("sp2d-link").click()
    expect(page.get_by_test_id("sp2d-list").locator("tbody tr").first).to_contain_text("SP2D-003")
    # closing the year: entries are refused from then on
    page.goto(f"{live_server.url}/anggaran/target/?tahun=2026")
    page.get_by_test_id("close-year").click()
    expect(page.get_by_test_id("year-closed")).to_contain_text("sudah ditutup")
    expect(page.get_by_test_id("add-milestone")).to_have_count(0)
    page.goto(f"{live_server.url}/anggaran/rekening/{budget.line_a.pk}/")
    expect(page.get_by_test_id("add-sp2d")).to_have_count(0)
    expect(page.get_by_test_id("revise-pagu")).to_have_count(0)
    page.goto(f"{live_server.url}/anggaran/target/?tahun=2026")
    page.get_by_test_id("reopen-year").click()
    expect(page.get_by_test_id("add-milestone")).to_be_visible()
    budget.line_a.refresh_from_db()
    assert budget.line_a.pagu == 1500000
    assert console_errors == []


def test_finance_imports_the_provincial_table_and_the_head_sees_the_rank(
    live_server, login, page, units, make_user, tmp_path, console_errors
):
    make_small_budget(units)
    make_user("finance_officer", units.secretariat, username="keuangan")
    _sign_in(login, page, "keuangan")
    page.goto(f"{live_server.url}/anggaran/provinsi/?tahun=2026&bulan=3")
    page.get_by_test_id("import-provincial").click()
    _upload(
        page,
        tmp_path,
        "dinas.xlsx",
        [
            ["tahun", "bulan", "nama_dinas", "pagu", "realisasi", "dinas_ini"],
            [2026, 3, "Dinas Pendidikan Provinsi Jawa Timur", 1000, 600, ""],
            [2026, 3, "Dinas Sosial Provinsi Jawa Timur", 1000, 250, "ya"],
            [2026, 3, "Dinas Kesehatan Provinsi Jawa Timur", 1000, 100, ""],
        ],
    )
    make_user("head_of_office", units.office, username="kadis")
    page.context.clear_cookies()
    _sign_in(login, page, "kadis")
    page.goto(f"{live_server.url}/anggaran/provinsi/?tahun=2026&bulan=3")
    expect(page.get_by_test_id("provincial-rank")).to_contain_text("2 dari 3")
    expect(page.get_by_test_id("provincial-offices")).to_contain_text("Dinas Kesehatan")
    assert console_errors == []

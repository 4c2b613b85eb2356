"""Browser tests of budget corrections and imports: cancelling a mistyped SP2D, a quarterly cash
plan, the PPTK's physical progress and the monthly report."""

from decimal import Decimal

from playwright.sync_api import expect

from sinergi.budget.models import CashPlan, PhysicalProgress, Realisation
from sinergi.budget.testing import make_small_budget
from tests.e2e.test_budget import _sign_in, _upload


def test_finance_cancels_a_mistyped_sp2d_and_the_head_sees_absorption_drop(
    live_server, login, page, units, make_user
):
    budget = make_small_budget(units)
    sp2d = Realisation.objects.get(sp2d_number="SP2D-003")  # 400.000 on UPT B's line
    make_user("finance_officer", units.secretariat, username="keuangan")
    _sign_in(login, page, "keuangan")
    page.goto(f"{live_server.url}/anggaran/sp2d/?tahun=2026")
    page.get_by_test_id(f"cancel-sp2d-{sp2d.pk}").click()
    expect(page.get_by_test_id("cancel-lines")).to_contain_text("Rp 400.000")
    page.get_by_test_id("confirm-cancel").click()  # no reason yet: refused
    expect(page.locator(".invalid-feedback")).to_be_visible()
    page.fill("#id_reason", "Nilai salah ketik, seharusnya Rp 40.000")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("sp2d-list")).not_to_contain_text("SP2D-003")
    assert not Realisation.objects.filter(pk=sp2d.pk).exists()
    make_user("head_of_office", units.office, username="kadis")
    page.context.clear_cookies()
    _sign_in(login, page, "kadis")
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    # (1.000.000 - 400.000) / 4.000.000
    expect(page.get_by_test_id("office-absorption")).to_have_text("15,00%")
    assert budget.line_b.allocations.count() == 1


def test_finance_imports_a_quarterly_plan_and_progress_and_downloads_the_report(
    live_server, login, page, units, make_user, tmp_path
):
    budget = make_small_budget(units)
    make_user("finance_officer", units.secretariat, username="keuangan")
    _sign_in(login, page, "keuangan")
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    expect(page.get_by_test_id("plan-mismatch")).to_be_visible()  # line C: 900.000 of 1.000.000
    page.goto(f"{live_server.url}/impor/budget.cash_plan/")
    _upload(
        page,
        tmp_path,
        "kas.xlsx",
        [
            ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit", "tw1", "tw2", "tw3",
             "tw4"],
            [2026, "1.06.02.1.02.0001", "5.1.02.02.01.0001", units.empowerment_division.code,
             400000, 300000, 200000, 100000],
        ],
    )  # fmt: skip
    assert list(budget.line_c.cash_plan.values_list("amount", flat=True)[:4]) == [
        Decimal("133333.33"),
        Decimal("133333.33"),
        Decimal("133333.34"),
        Decimal("100000"),
    ]
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    expect(page.get_by_test_id("plan-mismatch")).to_have_count(0)
    page.goto(f"{live_server.url}/impor/budget.physical_progress/")
    _upload(
        page,
        tmp_path,
        "fisik.xlsx",
        [
            ["tahun", "kode_sub_kegiatan", "kode_unit", "bulan", "persen", "pptk"],
            [2026, "1.06.04.1.03.0001", units.upt_b.code, 3, 28.5, "Agus Prasetyo"],
        ],
    )
    assert PhysicalProgress.objects.get().unit == units.upt_b
    page.goto(f"{live_server.url}/anggaran/rekening/{budget.line_b.pk}/")
    expect(page.get_by_test_id("progress-3")).to_contain_text("28,50%")
    page.goto(f"{live_server.url}/anggaran/?tahun=2026&bulan=3")
    page.get_by_role("button", name="Laporan bulanan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    assert download.value.suggested_filename == "serapan-2026-03.xlsx"
    assert CashPlan.objects.filter(line=budget.line_c).count() == 12

"""Browser test of Rakortek: units submit their reports (prefilled with their absorption), the
planning officer sees the summary table, compiles every report into one PDF (the PDF names every
unit) and turns a unit's follow-up into an action, which the unit then marks done."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from sinergi.budget.testing import make_small_budget
from sinergi.meetings.models import FollowUp, Report
from sinergi.meetings.testing import make_meeting

pytestmark = pytest.mark.e2e


def _sign_in(login, page, username):
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_units_submit_and_the_planning_officer_compiles_the_pdf(
    live_server, login, page, units, make_user, tmp_path
):
    make_small_budget(units)
    meeting = make_meeting([units.secretariat, units.upt_a, units.upt_b], quarter=1)
    make_user("head_of_upt", units.upt_a, username="kepala.rsbd")
    make_user("head_of_upt", units.upt_b, username="kepala.pstw")
    make_user("planning_officer", units.secretariat, username="perencanaan")
    for username, absorption in [("kepala.rsbd", "40,00%"), ("kepala.pstw", "30,00%")]:
        page.context.clear_cookies()
        _sign_in(login, page, username)
        page.goto(f"{live_server.url}/rakortek/")
        page.get_by_role("link", name=meeting.title).click()
        page.get_by_test_id("write-report").click()
        expect(page.get_by_test_id("absorption")).to_contain_text(absorption)
        page.fill("#id_progress", f"Progres {username}")
        page.fill("#id_problems", "Pengadaan belanja modal terlambat")
        if username == "kepala.rsbd":
            page.fill("#id_follow_up_needed", "Percepat pengadaan alat bantu")
        page.get_by_test_id("submit-report").click()
        expect(page.locator(".alert-success")).to_contain_text("Laporan telah dikirim")
        expect(page.get_by_test_id("report-status")).to_have_text("Diajukan")
    assert Report.objects.filter(meeting=meeting, status="submitted").count() == 2

    page.context.clear_cookies()
    _sign_in(login, page, "perencanaan")
    page.goto(f"{live_server.url}/rakortek/{meeting.pk}/")
    expect(page.get_by_test_id("counts")).to_contain_text("2 terkirim")
    summary = page.get_by_test_id("report-upt-rsbd-pasuruan")
    expect(summary.get_by_test_id("absorption")).to_have_text("40,00%")
    expect(summary).to_contain_text("Diajukan")
    page.get_by_test_id("compile").click()
    expect(page.get_by_test_id("compilation-status")).to_have_text("Siap")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    path = tmp_path / "rakortek.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    for name in ("Sekretariat", "UPT RSBD Pasuruan", "UPT PSTW Magetan", "Progres kepala.rsbd"):
        assert name in text

    # the follow-up RSBD asked for becomes an action with a due date, which RSBD then closes
    page.goto(f"{live_server.url}/rakortek/{meeting.pk}/")
    page.get_by_test_id("report-upt-rsbd-pasuruan").get_by_test_id("follow-up-from-report").click()
    expect(page.locator("#id_description")).to_have_value("Percepat pengadaan alat bantu")
    page.fill("#id_due_on", "2026-04-30")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("meeting-follow-ups")).to_contain_text("lewat batas")

    page.context.clear_cookies()
    _sign_in(login, page, "kepala.rsbd")
    page.goto(f"{live_server.url}/rakortek/tindak-lanjut/?status=overdue")
    page.get_by_role("link", name="Percepat pengadaan alat bantu").click()
    page.select_option("#id_status", "done")
    page.get_by_test_id("save-follow-up").click()
    expect(page.locator("[data-testid=form-errors], .invalid-feedback").first).to_be_visible()
    page.fill("#id_note", "Kontrak pengadaan ditandatangani")
    page.get_by_test_id("save-follow-up").click()
    expect(page.locator(".alert-success")).to_contain_text("Tindakan telah diperbarui")
    page.get_by_role("link", name="Percepat pengadaan alat bantu").click()
    expect(page.get_by_test_id("follow-up-status")).to_have_text("Selesai")
    expect(page.get_by_test_id("follow-up-history")).to_contain_text(
        "Kontrak pengadaan ditandatangani"
    )
    assert FollowUp.objects.get().status == "done"

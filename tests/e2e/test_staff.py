"""Browser test of the monthly SKP (issue 5): an employee drafts an SKP, the direct supervisor
approves it, the employee submits one month on time and another late, and HR finds the late month
in the late list and exports it as the basis for sanctions.

No clock is faked: the services judge "on time" against today's date. The test picks an SKP year
and a due day (SINERGI["SKP_DUE_DAY"], a setting the office may change) such that one month of
the SKP is still within its due date today and an earlier one is past it (`_plan`).
"""

import datetime as dt
import re
from dataclasses import dataclass

import openpyxl
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sinergi.staff.models import MonthlySubmission, Skp
from sinergi.staff.models.periods import MONTH_NAMES
from sinergi.staff.testing import make_employee

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Plan:
    year: int  # the SKP's year
    on_time_month: int  # begun, due today or later
    late_month: int  # due before today
    due_day: int


def _plan(today: dt.date) -> Plan | None:
    """An SKP year and due day giving a month still due and an earlier one already overdue today.

    From 2 February: this year's January (due on the 5th, or on a day already past in early
    February) is overdue and the current month is not yet due. In January: last year's November
    is overdue and its December is due on the due day of January, set to today or later. Only on
    1 February is there no such pair: every month of last year was due by 31 January and this
    year's January is due on 1 February at the earliest.
    """
    if today.month >= 3 or (today.month == 2 and today.day >= 7):
        return Plan(today.year, today.month, 1, 5)
    if today.month == 2 and today.day >= 2:
        return Plan(today.year, 2, 1, today.day - 1)
    if today.month == 1:
        return Plan(today.year - 1, 12, 11, max(today.day, 5))
    return None


@pytest.fixture
def staff_setup(transactional_db, units, make_user, settings):
    plan = _plan(timezone.localdate())
    if plan is None:
        pytest.skip("on 1 February no SKP month is still due while an earlier one is overdue")
    settings.SINERGI = {**settings.SINERGI, "SKP_DUE_DAY": plan.due_day}
    head = make_user("head_of_upt", units.upt_a, username="kepala.upt", full_name="Kepala UPT")
    worker = make_user("employee", units.upt_a, username="pegawai.upt", full_name="Rina Wulandari")
    hr = make_user("hr_officer", units.secretariat, username="kepegawaian.uji")
    e_head = make_employee(
        units.upt_a, name="Bambang Hartono", user=head, active_from=dt.date(2015, 1, 1)
    )
    employee = make_employee(
        units.upt_a,
        name="Rina Wulandari",
        user=worker,
        supervisor=e_head,
        position="Pekerja Sosial",
        active_from=dt.date(2015, 1, 1),
    )
    make_employee(units.secretariat, user=hr, name="Dewi Kepegawaian")
    return plan, employee


@pytest.fixture
def console_errors(page):
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


def _report_month(page, live_server, skp, month, text):
    page.goto(f"{live_server.url}/pegawai/skp/{skp.pk}/")
    page.get_by_test_id(f"month-{month}").click()
    expect(page.get_by_test_id("month-submit")).to_be_disabled()
    page.get_by_test_id("rhk-1").locator("textarea[name=realisation]").fill(text)
    page.get_by_test_id("rhk-1").locator("textarea[name=evidence_text]").fill("Laporan kunjungan")
    page.get_by_test_id("save-realisation-1").click()
    expect(page.locator(".alert-success")).to_contain_text("telah disimpan")
    page.get_by_test_id("month-submit").click()


def test_an_employee_reports_on_time_and_late_and_hr_exports_the_late_list(
    live_server, login, page, staff_setup, console_errors, tmp_path
):
    plan, employee = staff_setup

    # the employee drafts the SKP of the year with one RHK and sends it to the supervisor
    _sign_in(login, page, "pegawai.upt")
    page.goto(f"{live_server.url}/pegawai/skp/")
    expect(page.locator("h1")).to_have_text("SKP Saya")
    page.fill("#id_year", str(plan.year))
    page.get_by_test_id("skp-create").click()
    expect(page.get_by_test_id("skp-status")).to_have_text("Draf")
    skp = Skp.objects.get(employee=employee, year=plan.year)
    page.get_by_test_id("rhk-add").click()
    page.fill("#id_title", "Terlaksananya pendampingan penerima manfaat sesuai standar")
    page.fill("#id_quantity_description", "Jumlah penerima manfaat yang didampingi")
    page.fill("#id_quantity_target", "24 orang")
    page.get_by_test_id("save-rhk").click()
    expect(page.get_by_test_id("rhk-table")).to_contain_text("24 orang")
    page.get_by_test_id("skp-submit").click()
    expect(page.get_by_test_id("skp-status")).to_have_text("Menunggu persetujuan")

    # the direct supervisor finds it waiting and approves it
    _sign_in(login, page, "kepala.upt")
    page.goto(f"{live_server.url}/pegawai/skp/")
    page.get_by_test_id("pending-approvals").get_by_role("link").click()
    expect(page.get_by_test_id("approval-panel")).to_be_visible()
    page.get_by_test_id("skp-approve").click()
    expect(page.get_by_test_id("skp-status")).to_have_text("Disetujui")

    # the employee reports one month before its due date and an earlier one after it
    _sign_in(login, page, "pegawai.upt")
    _report_month(page, live_server, skp, plan.on_time_month, "Mendampingi 2 penerima manfaat")
    expect(page.locator(".alert-success")).to_contain_text("diajukan tepat waktu")
    expect(page.get_by_test_id("month-status")).to_contain_text("Tepat waktu")
    _report_month(page, live_server, skp, plan.late_month, "Mendampingi 3 penerima manfaat")
    expect(page.locator(".alert-warning")).to_contain_text("terlambat")
    expect(page.get_by_test_id("month-status")).to_contain_text("Terlambat")
    submissions = dict(
        MonthlySubmission.objects.filter(employee=employee).values_list("month", "on_time")
    )
    assert submissions == {plan.on_time_month: True, plan.late_month: False}

    # HR sees the late month on the compliance page and in the late list, and exports it
    _sign_in(login, page, "kepegawaian.uji")
    page.goto(f"{live_server.url}/pegawai/kepatuhan/?tahun={plan.year}&bulan={plan.late_month}")
    expect(page.get_by_test_id("total-late")).to_have_text("1")
    page.get_by_test_id("late-list-link").click()
    with translation.override("id"):
        heading = f"{MONTH_NAMES[plan.late_month - 1]} {plan.year}"
    expect(page.locator("main")).to_contain_text(heading)
    row = page.get_by_test_id("late-table").locator("tbody tr", has_text="Rina Wulandari")
    expect(row).to_contain_text("Terlambat")
    expect(row).to_contain_text(employee.nip)
    with page.expect_download() as download_info:
        page.get_by_test_id("late-xlsx").click()
    path = tmp_path / "terlambat.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("NIP", "Nama")
    late = [r for r in rows[1:] if r[1] == "Rina Wulandari"]
    assert len(late) == 1
    assert late[0][0] == employee.nip
    assert late[0][header.index("Status")] == "Terlambat"
    assert console_errors == []


def test_the_plan_gives_a_due_and_an_overdue_month_on_every_day_but_1_february(settings):
    from sinergi.staff.models.periods import due_on

    day, skipped = dt.date(2028, 1, 1), []  # a leap year
    while day.year == 2028:
        plan = _plan(day)
        if plan is None:
            skipped.append(day)
        else:
            settings.SINERGI = {**settings.SINERGI, "SKP_DUE_DAY": plan.due_day}
            assert (
                dt.date(plan.year, plan.on_time_month, 1)
                <= day
                <= due_on(plan.year, plan.on_time_month)
            ), day
            assert due_on(plan.year, plan.late_month) < day, day
        day += dt.timedelta(days=1)
    assert skipped == [dt.date(2028, 2, 1)]

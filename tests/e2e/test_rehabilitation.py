"""Browser tests of rehabilitation: a social worker does intake, an ADL assessment and moves the
case through the stages; the head of UPT approves the plan; a client registered without NIK gets
it later (Debian Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.core.identity import make_nik
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.models import Assessment, Case, Client
from sinergi.rehabilitation.testing import admit, draft_plan, ensure_reference, ensure_regions


@pytest.fixture
def rehab_setup(transactional_db, units, make_user):
    ensure_reference()
    ensure_regions()
    Unit.objects.filter(pk=units.upt_a.pk).update(regency_id="35.14")
    worker = make_user("social_worker", units.upt_a, username="peksos.e2e", full_name="Peksos E2E")
    head = make_user("head_of_upt", units.upt_a, username="kepala.e2e", full_name="Kepala E2E")
    return worker, head


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
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_worker_does_intake_assessment_and_stages_and_the_head_approves_the_plan(
    live_server, login, page, rehab_setup, console_errors
):
    _sign_in(login, page, "peksos.e2e")
    page.goto(f"{live_server.url}/rehabilitasi/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.get_by_test_id("intake").click()

    page.fill("#id_admitted_on", "2026-01-05")
    page.fill("#id_nik", "3514015403500001")
    page.fill("#id_name", "Siti Aminah")
    page.select_option("#id_sex", "P")
    page.fill("#id_birth_on", "1950-03-14")
    page.select_option("#id_ppks_category", label="Lanjut Usia Terlantar")
    page.select_option("#id_referral_source", label="Keluarga")
    # the cascading region picker: each level loads the next with htmx
    page.select_option("#id_village_2", "35.14")
    expect(page.locator("#id_village_3 option[value='35.14.01']")).to_be_attached()
    page.select_option("#id_village_3", "35.14.01")
    expect(page.locator("#id_village_4 option[value='35.14.01.2001']")).to_be_attached()
    page.select_option("#id_village_4", "35.14.01.2001")
    page.get_by_test_id("intake-save").click()

    expect(page.get_by_test_id("current-stage")).to_contain_text("Pendekatan awal")
    case = Case.objects.get()
    assert case.social_worker.username == "peksos.e2e"

    # ADL assessment: one answer per item
    page.get_by_test_id("assess").click()
    for number, score in [
        (1, 1),
        (2, 0),
        (3, 1),
        (4, 1),
        (5, 2),
        (6, 2),
        (7, 1),
        (8, 2),
        (9, 2),
        (10, 1),
    ]:
        page.check(f"input[name='item_{number}'][value='{score}']")
    page.get_by_test_id("assessment-save").click()
    expect(page.get_by_test_id("assessments")).to_contain_text("Ketergantungan ringan")
    assert Assessment.objects.get().total_score == 13

    # stage 1 -> 2 -> 3 (the plan), which then waits for the head of UPT
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text("Pengungkapan")
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text("Penyusunan rencana")
    expect(page.get_by_test_id("awaiting-approval")).to_be_visible()
    expect(page.get_by_test_id("approve")).to_have_count(0)
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("harus disetujui Kepala UPT")
    assert len(console_errors) == 1
    assert console_errors[0].startswith("400 ")  # the refusal
    console_errors.clear()

    # the head of UPT approves the plan (drafted here directly; its browser walk is in
    # test_rehabilitation_casework.py)
    page.wait_for_load_state("networkidle")  # the case page's panels have come (SQLite locks)
    draft_plan(case)
    page.context.clear_cookies()
    _sign_in(login, page, "kepala.e2e")
    page.goto(f"{live_server.url}/rehabilitasi/tugas/")
    page.get_by_test_id("tasks-approvals").get_by_role("link").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()

    # the worker moves on to the intervention; the client page shows the ADL chart
    page.context.clear_cookies()
    _sign_in(login, page, "peksos.e2e")
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text("Pemecahan masalah")
    page.goto(f"{live_server.url}/rehabilitasi/penerima-manfaat/{case.client_id}/")
    expect(page.get_by_test_id("adl-summary")).to_contain_text("13")
    expect(page.locator("#adl-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('adl-chart') !== undefined")
    # the search is posted (no NIK or name in the address) and updates as one types
    page.goto(f"{live_server.url}/rehabilitasi/")
    page.fill("#id_name", "zzz")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.fill("#id_name", "siti")
    expect(page.get_by_test_id("client-table")).to_contain_text("Siti Aminah")
    assert "siti" not in page.url
    assert console_errors == []


def test_a_client_found_without_nik_gets_the_nik_later(
    live_server, login, page, rehab_setup, console_errors
):
    """Intake without NIK (a reason instead), the task on the worker's list, the NIK added from
    the task: a mistyped one refused first, then the task is done."""
    worker, _head = rehab_setup
    case = admit(
        worker.unit,
        social_worker=worker,
        nik=None,
        no_nik_reason="Ditemukan saat razia",
        name="Tanpa Dokumen",
    )
    _sign_in(login, page, "peksos.e2e")
    page.goto(f"{live_server.url}/rehabilitasi/tugas/")
    task = page.get_by_test_id("tasks-nik")
    expect(task).to_contain_text("Tanpa Dokumen")
    task.get_by_role("link", name="Tambahkan NIK").click()
    expect(page.locator("#id_no_nik_reason")).to_have_value("Ditemukan saat razia")
    page.fill("#id_nik", "35140154035")
    page.get_by_test_id("client-save").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("#id_nik ~ .invalid-feedback").first).to_contain_text("16 digit")
    assert Client.objects.get(pk=case.client_id).nik is None
    assert len(console_errors) == 1
    assert console_errors[0].startswith("400 ")  # the refusal
    console_errors.clear()
    nik = make_nik("35.14.01", case.client.birth_on, case.client.sex, 91)
    page.fill("#id_nik", nik)
    page.get_by_test_id("client-save").click()
    expect(page.get_by_test_id("client-name")).to_have_text("Tanpa Dokumen")
    expect(page.get_by_test_id("nik-missing")).to_have_count(0)
    client = Client.objects.get(pk=case.client_id)
    assert (client.nik, client.no_nik_reason) == (nik, "")
    page.goto(f"{live_server.url}/rehabilitasi/tugas/")
    expect(page.get_by_test_id("tasks-cases")).to_contain_text("Tanpa Dokumen")
    expect(page.get_by_test_id("tasks-nik")).to_have_count(0)
    assert console_errors == []

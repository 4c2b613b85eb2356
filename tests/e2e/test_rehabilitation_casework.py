"""Browser test of the casework: a social worker drafts the intervention plan with two goals and
services, the head of UPT approves it, the worker logs a group session and a progress note, and the
case page shows them (Debian Chromium, Indonesian UI)."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.rehabilitation import services
from sinergi.rehabilitation.models import InterventionPlan, ServiceEntry, Stage
from sinergi.rehabilitation.testing import admit, ensure_reference, ensure_regions

pytestmark = pytest.mark.e2e


@pytest.fixture
def casework_setup(transactional_db, units, make_user):
    ensure_reference()
    ensure_regions()
    worker = make_user("social_worker", units.upt_a, username="peksos.cw", full_name="Peksos Satu")
    make_user("head_of_upt", units.upt_a, username="kepala.cw", full_name="Kepala UPT")
    case = admit(units.upt_a, social_worker=worker)
    case = services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="rencana"),
        reason="Asesmen sudah dilakukan di luar sistem",
    )
    other = admit(units.upt_a, social_worker=worker, name="Bambang", sex="L")
    return case, other


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    page.on(
        "response",
        lambda r: (
            found.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return found


def _sign_in(login, page, username):
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_worker_plans_head_approves_worker_logs_group_session_and_note(
    live_server, login, page, casework_setup, errors
):
    case, other = casework_setup
    case_url = f"{live_server.url}/rehabilitasi/kasus/{case.pk}/"
    _sign_in(login, page, "peksos.cw")
    page.goto(case_url)
    expect(page.get_by_test_id("plan")).to_contain_text("Belum ada rencana intervensi")
    page.get_by_test_id("plan-edit").click()

    page.fill("#id_summary", "Memulihkan kemandirian sehari-hari")
    page.fill("#id_goals-0-problem", "Belum mampu berjalan sendiri")
    page.fill("#id_goals-0-goal", "Berjalan dengan tongkat")
    page.fill("#id_goals-0-indicator", "Berjalan 20 meter tanpa dibantu")
    page.fill("#id_goals-1-problem", "Menarik diri")
    page.fill("#id_goals-1-goal", "Ikut kegiatan kelompok")
    page.fill("#id_goals-1-indicator", "Hadir tiga kali seminggu")
    page.select_option("#id_services-0-service_type", label="Bimbingan fisik")
    page.fill("#id_services-0-times", "3")
    page.select_option("#id_services-0-period", "week")
    page.select_option("#id_services-0-responsible", label="Peksos Satu")
    page.fill("#id_services-0-start_on", "2026-02-01")
    page.fill("#id_services-0-target_on", "2026-07-31")
    page.select_option(
        "#id_services-1-service_type", label="Bimbingan sosial dan konseling psikososial"
    )
    page.fill("#id_services-1-times", "2")
    page.select_option("#id_services-1-period", "month")
    page.fill("#id_services-1-start_on", "2026-02-01")
    page.fill("#id_services-1-target_on", "2026-07-31")
    page.check("#id_client_agreed")
    page.get_by_test_id("plan-save").click()

    expect(page.get_by_test_id("plan-status")).to_have_text("Draf")
    expect(page.get_by_test_id("plan-goals")).to_contain_text("Berjalan dengan tongkat")
    expect(page.get_by_test_id("plan-goals")).to_contain_text("Ikut kegiatan kelompok")
    expect(page.get_by_test_id("plan-services")).to_contain_text("Bimbingan fisik")
    page.wait_for_load_state("networkidle")  # the page's panels first (SQLite locks)
    plan = InterventionPlan.objects.get(case=case)
    assert (plan.goals.count(), plan.planned_services.count()) == (2, 2)

    # the head of UPT approves the plan stage, which approves the plan
    page.context.clear_cookies()
    _sign_in(login, page, "kepala.cw")
    page.goto(case_url)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text("Disetujui")

    # the worker logs a group session for both residents and a progress note
    page.context.clear_cookies()
    _sign_in(login, page, "peksos.cw")
    page.goto(case_url)
    page.get_by_role("link", name="Sesi kelompok").click()
    page.select_option("#id_service_type", label="Bimbingan fisik")
    page.fill("#id_topic", "Senam pagi bersama")
    page.fill("#id_given_on", "2026-02-10")
    page.fill("#id_duration_minutes", "45")
    page.select_option(f"#id_case_{other.pk}", "absent")
    page.get_by_test_id("group-session-save").click()
    expect(page.get_by_test_id("recent-sessions")).to_contain_text("Senam pagi bersama")
    page.wait_for_load_state("networkidle")  # the page's panels first (SQLite locks)
    assert sorted(ServiceEntry.objects.values_list("attendance", flat=True)) == [
        "absent",
        "present",
    ]

    page.goto(case_url)
    page.get_by_test_id("note-add").click()
    page.fill("#id_written_on", "2026-02-11")
    page.fill("#id_text", "Mulai berjalan dengan tongkat di lorong wisma.")
    page.get_by_test_id("note-save").click()

    expect(page.get_by_test_id("service-rows")).to_contain_text("Bimbingan fisik")
    expect(page.get_by_test_id("service-rows")).to_contain_text("grup")
    expect(page.get_by_test_id("service-rows")).to_contain_text("Hadir")
    expect(page.get_by_test_id("progress-notes")).to_contain_text("Mulai berjalan dengan tongkat")
    expect(page.get_by_test_id("plan-status")).to_have_text("Disetujui")
    assert errors == []

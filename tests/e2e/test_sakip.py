"""Browser test of the SAKIP evaluation: a unit fills part of the LKE with evidence, the planning
officer reviews the answers and finalises the evaluation with a grade."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from sinergi.sakip.models import Evaluation
from sinergi.sakip.testing import make_evaluation

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The grade bands and answer scales of the data migration (the live server flushes them)."""
    from django.apps import apps

    migration = importlib.import_module(
        "sinergi.sakip.migrations.0002_reference_grade_bands_answer_scales"
    )
    migration.load(apps, None)


def _sign_in(login, page, username):
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_a_unit_answers_and_the_planning_officer_finalises_with_a_grade(
    live_server, login, page, units, make_user, browser, tmp_path
):
    evaluation = make_evaluation(units.upt_a, previous_score=40)
    make_user("head_of_upt", units.upt_a, username="kepala.rsbd")
    make_user("planning_officer", units.secretariat, username="perencanaan")
    _sign_in(login, page, "kepala.rsbd")
    page.goto(f"{live_server.url}/sakip/")
    page.get_by_role("link", name="UPT RSBD Pasuruan").click()
    for code, answer in [("1.a.1", "Y"), ("1.a.2", "Y"), ("1.b.1", "A")]:
        page.get_by_test_id(f"answer-{code}").click()
        page.locator(f"input[name=option][value={answer}]").check()
        page.fill("#id_evidence_text", f"Dokumen {code}")
        if code == "1.a.1":
            evidence = tmp_path / "renstra.pdf"
            evidence.write_bytes(b"%PDF-1.4 renstra")
            page.set_input_files("#id_evidence_file", str(evidence))
        page.get_by_test_id("save-answer").click()
        expect(page.locator(".alert-success")).to_contain_text(f"Jawaban {code} telah disimpan")
    expect(page.get_by_text("3 dari 24 kriteria dijawab")).to_be_visible()
    expect(page.get_by_test_id("criterion-1.a.1")).to_contain_text("renstra.pdf")
    # the provisional score: 3 + 3 + 4.5 = 10.5 points
    expect(page.get_by_test_id("score")).to_have_text("10,50")

    page.context.clear_cookies()
    _sign_in(login, page, "perencanaan")
    page.goto(f"{live_server.url}/sakip/evaluasi/{evaluation.pk}/")
    page.get_by_test_id("finalise").click()
    expect(page.locator(".alert-danger")).to_contain_text("3 jawaban belum direviu")
    for code in ("1.a.1", "1.a.2", "1.b.1"):
        page.get_by_test_id(f"review-{code}").click()
        page.locator("input[name=accepted][value='1']").check()
        page.get_by_test_id("save-review").click()
        expect(page.locator(".alert-success")).to_contain_text("Reviu telah disimpan")
    page.get_by_test_id("finalise").click()
    expect(page.locator(".alert-success")).to_contain_text("predikat D")
    expect(page.get_by_test_id("status")).to_have_text("Final")
    expect(page.get_by_test_id("grade")).to_have_text("D")
    expect(page.get_by_test_id("previous")).to_contain_text("40")
    evaluation.refresh_from_db()
    assert (evaluation.status, str(evaluation.score), evaluation.grade) == (
        Evaluation.Status.FINAL,
        "10.50",
        "D",
    )
    page.goto(f"{live_server.url}/sakip/?tahun=2025")
    expect(page.get_by_test_id("summary").get_by_test_id("grade")).to_have_text("D")

    # the head of office reads the grade beside last year's score
    page.context.clear_cookies()
    make_user("head_of_office", units.office, username="kadinsos")
    _sign_in(login, page, "kadinsos")
    page.goto(f"{live_server.url}/sakip/?tahun=2025")
    row = page.get_by_test_id("summary-upt-rsbd-pasuruan")
    expect(row.get_by_test_id("grade")).to_have_text("D")
    expect(row.get_by_test_id("score")).to_have_text("10,50")
    expect(row.get_by_test_id("previous")).to_have_text("40,00")
    expect(row.get_by_test_id("change")).to_have_text("-29,50")
    expect(page.get_by_test_id("start-evaluation")).to_have_count(0)
    row.get_by_role("link", name="UPT RSBD Pasuruan").click()
    expect(page.get_by_test_id("grade")).to_have_text("D")
    expect(page.get_by_test_id("finalise")).to_have_count(0)

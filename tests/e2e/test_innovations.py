"""Browser test of the innovation registry: a UPT registers an innovation, the planning officer
publishes it and it appears on the public page (no login)."""

import importlib
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The stages of the data migration (the live server flushes them)."""
    from django.apps import apps

    importlib.import_module("sinergi.innovations.migrations.0002_reference_stages").load(apps, None)


def _sign_in(login, page, username):
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def test_an_innovation_is_registered_and_published(live_server, login, page, units, make_user):
    make_user("social_worker", units.upt_a, username="peksos.rsbd")
    make_user("planning_officer", units.secretariat, username="perencanaan")
    _sign_in(login, page, "peksos.rsbd")
    page.goto(f"{live_server.url}/inovasi/")
    page.get_by_test_id("register").click()
    page.fill("#id_name", "Program Wisata Edukasi Sosial Disabilitas")
    page.fill("#id_acronym", "Pro Wes Difa")
    page.fill("#id_owner", "Tim Inovasi RSBD")
    page.fill("#id_problem", "Stigma terhadap penyandang disabilitas daksa.")
    page.fill("#id_description", "Kunjungan edukasi pelajar ke UPT.")
    page.fill("#id_started_on", "2019-01-02")
    page.select_option("#id_stage", label="Diterapkan")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("Inovasi telah disimpan")
    page.get_by_test_id("add-entry").click()
    page.fill("#id_year", "2020")
    page.select_option("#id_stage_reached", label="Top inovasi (Top 45/Top 30)")
    page.fill("#id_result", "Top 30")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("entries")).to_contain_text("Top 30")
    expect(page.get_by_test_id("published")).to_have_text("Belum diterbitkan")
    detail_url = page.url

    page.goto(f"{live_server.url}/inovasi/publik/")
    expect(page.get_by_text("Belum ada inovasi yang diterbitkan.")).to_be_visible()

    page.context.clear_cookies()
    _sign_in(login, page, "perencanaan")
    page.goto(detail_url)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published")).to_have_text("Diterbitkan")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/inovasi/publik/")
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))
    page.get_by_role("link", name="Program Wisata Edukasi Sosial Disabilitas").click()
    expect(page.locator("main")).to_contain_text("UPT RSBD Pasuruan")
    expect(page.get_by_test_id("entries")).to_contain_text("Top 30")
    expect(page.locator("main")).not_to_contain_text("Tim Inovasi RSBD")

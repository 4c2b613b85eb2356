"""Browser test of a big export: the audit log export becomes a job, the page polls its progress
with htmx, then offers the download; "My exports" lists it (Debian Chromium)."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from sinergi.audit import services as audit
from sinergi.core.export_jobs import services as export_services
from sinergi.core.models import ExportJob


@pytest.fixture
def auditor(units, make_user):
    return make_user("auditor", units.office, username="auditor.ekspor", full_name="Auditor Uji")


@pytest.fixture
def queued_jobs_stay_queued(settings):
    """Jobs above 2 rows; the task backend keeps them queued so the test runs them itself."""
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 2}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


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
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


def _sign_in(page, live_server, username):
    from sinergi.accounts.testing import PASSWORD

    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def test_a_big_audit_export_shows_progress_then_the_download(
    live_server, page, auditor, queued_jobs_stay_queued, console_errors
):
    for i in range(5):
        audit.record(actor=auditor, action=f"budget.realisation_added_{i}")
    _sign_in(page, live_server, "auditor.ekspor")
    page.goto(f"{live_server.url}/audit/?action=budget.")
    page.get_by_test_id("export-xlsx").click()

    expect(page).to_have_url(re.compile(r"/ekspor/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text("Menunggu")
    job = ExportJob.objects.get()

    export_services.export_job_run(job_id=job.pk)  # the worker

    # The page polls every second and reloads itself when the file is ready.
    download_button = page.get_by_test_id("job-download")
    expect(download_button).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("job-status")).to_have_text("Siap")
    expect(page.get_by_text("Berkas sudah siap: 5 baris.")).to_be_visible()
    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == job.filename
    with open(download.path(), "rb") as downloaded:
        sheet = load_workbook(io.BytesIO(downloaded.read()), read_only=True).active
    actions = sorted(row[4] for row in list(sheet.iter_rows(values_only=True))[1:])
    assert actions == [f"budget.realisation_added_{i}" for i in range(5)]

    page.get_by_role("link", name="Ekspor saya").first.click()
    expect(page.get_by_test_id("job-list")).to_contain_text("Log audit")
    expect(page.get_by_test_id("job-list")).to_contain_text("Siap")
    assert console_errors == []

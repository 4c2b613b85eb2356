"""Browser test of the auditor's page: filter by action, open an event, download the xlsx."""

import io
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent


@pytest.fixture
def auditor(units, make_user):
    return make_user("auditor", units.office, username="auditor.e2e", full_name="Auditor Uji")


@pytest.fixture
def trail(units, make_user, auditor):
    worker = make_user("social_worker", units.upt_a, username="pekerja.sosial")
    audit.record(
        actor=worker,
        action="rehabilitation.case_closed",
        target=units.upt_a,
        changes={"status": ["intervensi", "terminasi"]},
        extra={"reason": "Tujuan rencana tercapai"},
    )
    audit.record(actor=worker, action="rehabilitation.case_opened", target=units.upt_a)
    for i in range(5):
        audit.record(actor=worker, action=f"budget.realisation_added_{i}")


def _sign_in(page, live_server, username):
    """Log in through the real form (Enter in the password field: the page has other buttons)."""
    from sinergi.accounts.testing import PASSWORD

    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


@pytest.fixture
def console_errors(page):
    """Script errors, CSP violations and failed loads (with their address) seen by the page.

    Chromium's own "Failed to load resource" console line is skipped: the response handler
    reports those with their address (the browser's automatic /favicon.ico is not the page's).
    """
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
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return errors


def test_an_auditor_filters_by_action_opens_an_event_and_downloads_the_xlsx(
    live_server, page, auditor, trail, console_errors
):
    _sign_in(page, live_server, "auditor.e2e")
    page.goto(f"{live_server.url}/audit/")
    rows = page.get_by_test_id("audit-row")
    expect(rows.first).to_be_visible()

    # Typing in the action filter updates the table with htmx (no full page load).
    page.fill("#id_action", "rehabilitation.")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("audit-table")).not_to_contain_text("budget.")
    assert "action=rehabilitation." in page.url

    page.get_by_text("rehabilitation.case_closed").locator("xpath=ancestor::tr").get_by_test_id(
        "event-link"
    ).click()
    expect(page.get_by_test_id("event-action")).to_have_text("rehabilitation.case_closed")
    changes = page.get_by_test_id("changes-table")
    expect(changes).to_contain_text("intervensi")
    expect(changes).to_contain_text("terminasi")
    expect(page.get_by_test_id("event-details")).to_contain_text("Tujuan rencana tercapai")

    page.go_back()
    expect(rows).to_have_count(2)
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith("log-audit-")
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as downloaded:
        sheet = load_workbook(io.BytesIO(downloaded.read()), read_only=True).active
    data = list(sheet.iter_rows(values_only=True))
    assert sorted(row[4] for row in data[1:]) == [
        "rehabilitation.case_closed",
        "rehabilitation.case_opened",
    ]
    exported = AuditEvent.objects.get(action="audit.log_exported")
    assert exported.extra["filters"] == {"action": "rehabilitation."}
    assert exported.actor_username == "auditor.e2e"
    assert console_errors == []


def test_the_audit_log_fits_a_phone_screen(live_server, page, auditor, trail):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, "auditor.e2e")
    page.goto(f"{live_server.url}/audit/?kind=change")
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert urlparse(page.url).path == "/audit/"

"""Browser test of the spreadsheet import flow with the units import (Debian Chromium)."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from sinergi.core.tabular.testing import xlsx_bytes
from sinergi.organisation.models import Unit

HEADER = ["kode", "nama", "nama_singkat", "jenis_unit", "jenis_upt", "kode_induk", "kapasitas"]
GOOD_ROWS = [
    ["upt-pstw-jember", "UPT PSTW Jember", "PSTW Jember", "upt", "PSTW", "bidang-rehsos", 110],
    ["upt-pstw-blitar", "UPT PSTW Blitar", "PSTW Blitar", "upt", "PSTW", "bidang-rehsos", 90],
]
BAD_ROW = [
    "upt-pstw-blitar",
    "UPT PSTW Blitar",
    "PSTW Blitar",
    "panti",
    "PSTW",
    "bidang-rehsos",
    90,
]


@pytest.fixture
def unit_importer(units, make_user):
    """Office-wide, may import units, and no role that needs a TOTP code."""
    user = make_user("head_of_office", units.office, username="impor.unit")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="organisation", codename="import_unit")
    )
    return user


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


def _sign_in(live_server, page, username):
    from sinergi.accounts.testing import PASSWORD

    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def _upload(page, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_test_id("upload-submit").click()


def test_units_import_with_a_bad_row_then_a_fixed_file(
    live_server, page, unit_importer, tmp_path, console_errors
):
    _sign_in(live_server, page, "impor.unit")
    page.goto(f"{live_server.url}/impor/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.get_by_test_id("start-organisation.units").click()
    expect(page.get_by_role("heading", name="Unit kerja kantor")).to_be_visible()

    _upload(page, tmp_path, "unit-salah.xlsx", xlsx_bytes([HEADER, GOOD_ROWS[0], BAD_ROW]))

    expect(page.get_by_test_id("batch-status")).to_have_text("Ada kesalahan")
    errors = page.get_by_test_id("errors-table")
    expect(errors).to_contain_text("jenis_unit")
    expect(errors).to_contain_text("Jenis unit “panti” tidak dikenal.")
    expect(page.get_by_test_id("apply-button")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_test_id("errors-download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kesalahan-impor-")
    rows = CalamineWorkbook.from_path(str(download.path()))
    sheet = rows.get_sheet_by_index(0).to_python()
    assert sheet[0] == ["Baris", "Kesalahan", *HEADER]
    assert sheet[1][0] == 3.0
    assert sheet[1][2:6] == ["upt-pstw-blitar", "UPT PSTW Blitar", "PSTW Blitar", "panti"]
    assert Unit.objects.filter(code__in=["upt-pstw-jember", "upt-pstw-blitar"]).count() == 0

    page.get_by_test_id("upload-again").click()
    _upload(page, tmp_path, "unit-benar.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))

    expect(page.get_by_test_id("batch-status")).to_have_text("Siap diterapkan")
    expect(page.get_by_test_id("preview-table")).to_contain_text("UPT PSTW Jember")
    page.get_by_test_id("apply-button").click()

    expect(page.get_by_test_id("batch-status")).to_have_text("Sudah diterapkan")
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    expect(page.get_by_test_id("count-updated")).to_have_text("0")
    expect(
        page.get_by_text("Impor diterapkan: 2 baru, 0 diperbarui, 0 tidak berubah.")
    ).to_be_visible()
    jember = Unit.objects.select_related("parent", "upt_type").get(code="upt-pstw-jember")
    assert (jember.parent.code, jember.upt_type.code, jember.capacity) == (
        "bidang-rehsos",
        "PSTW",
        110,
    )
    assert Unit.objects.filter(code="upt-pstw-blitar").exists()

    page.goto(f"{live_server.url}/impor/")
    expect(page.get_by_test_id("batch-list")).to_contain_text("unit-benar.xlsx")
    expect(page.get_by_test_id("batch-list")).to_contain_text("unit-salah.xlsx")
    assert console_errors == []


def test_import_pages_work_on_a_phone(live_server, page, unit_importer):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(live_server, page, "impor.unit")
    page.goto(f"{live_server.url}/impor/organisation.units/")
    expect(page.get_by_test_id("upload-submit")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

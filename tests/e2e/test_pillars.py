"""Browser test of the quarterly aid: the pillar officer generates a quarter, finance approves it
(the maker may not), the bank file and the daftar nominatif download, the bank's result file marks
most paid and some failed, and the failed ones go into a follow-up batch after an account fix."""

import csv
import io
import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sinergi.accounts.models import Role
from sinergi.budget import services as budget_services
from sinergi.budget.models import Realisation
from sinergi.budget.testing import make_line
from sinergi.pillars import services
from sinergi.pillars.models import Batch, BatchStatus, Entitlement, EntitlementStatus
from sinergi.pillars.selectors import forget_reference_names
from sinergi.pillars.testing import make_member, make_regions, make_scheme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = ["Ahmad Fauzi", "Budi Santoso", "Citra Lestari", "Dedi Kurniawan", "Endang Wahyuni"]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Pillar types, banks and bank-file layouts of the data migrations: a live-server test that
    ran before this one in the same worker flushed them. The list pages' name cache starts empty."""
    services.reference_load(actor=None)
    forget_reference_names()
    yield
    forget_reference_names()


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
    return errors


def _sign_in(page, login, username):
    page.context.clear_cookies()
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def _download(page, test_id):
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_a_quarter_from_generation_to_the_follow_up_batch(
    live_server, login, page, units, make_user, tmp_path, console_errors
):
    make_regions()
    unit = units.empowerment_division
    members = [make_member(unit=unit, name=name) for name in NAMES]
    scheme = make_scheme()
    year = budget_services.fiscal_year_get_or_create(actor=None, year=2025)
    line = make_line(year, unit, pagu="100000000")
    services.funding_set(actor=None, scheme=scheme.scheme, year=2025, budget_line=line)
    officer = make_user("pillar_officer", unit, username="pilar", full_name="Petugas Pilar")
    # The maker also holds the finance role: maker-checker must still refuse their approval.
    officer.roles.add(Role.objects.get(code="finance_officer"))
    make_user("finance_officer", units.secretariat, username="keuangan", full_name="Bendahara")

    # 1. The pillar officer generates TW 1 2025.
    _sign_in(page, login, "pilar")
    page.goto(f"{live_server.url}/pilar/siklus/baru/")
    page.select_option("#id_scheme", str(scheme.scheme.pk))
    page.select_option("#id_year", "2025")
    page.select_option("#id_quarter", "1")
    page.fill("#id_treasurer_name", "Sri Rahayu")
    page.fill("#id_kpa_name", "Dr. Kepala Dinas")
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("Dalam pemeriksaan")
    expect(page.get_by_test_id("total-count")).to_have_text("5")
    expect(page.get_by_test_id("total-amount")).to_have_text("Rp 3.750.000")
    batch = Batch.objects.get()
    # The maker sees no approve button, and a forged approval is refused.
    expect(page.get_by_test_id("approve")).to_have_count(0)
    expect(page.get_by_text("petugas lain yang menyetujuinya")).to_be_visible()
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    answer = page.request.post(
        f"{live_server.url}/pilar/batch/{batch.pk}/setujui/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert "tidak dapat menyetujuinya juga" in answer.text()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT

    # 2. Finance approves, downloads the bank file and the daftar nominatif.
    _sign_in(page, login, "keuangan")
    page.goto(f"{live_server.url}/pilar/batch/{batch.pk}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("Disetujui")
    filename, content = _download(page, "bank-file")
    assert filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    header, lines = rows[0], rows[1:]
    assert len(lines) == 5
    reference_at = next(i for i, h in enumerate(header) if "ref" in h.lower())
    holder_at = next(i for i, h in enumerate(header) if "nama" in h.lower())
    assert sorted(row[holder_at] for row in lines) == sorted(NAMES)
    references = {row[holder_at]: row[reference_at] for row in lines}
    expected = {
        m.name: Entitlement.objects.get(member=m).reference for m in members
    }  # fmt: skip
    assert references == expected
    page.reload()
    expect(page.get_by_test_id("batch-status")).to_have_text("Dikirim ke bank")
    filename, pdf = _download(page, "nominative")
    assert filename.endswith(".pdf")
    assert pdf.startswith(b"%PDF")
    pdf_path = tmp_path / "nominatif.pdf"
    pdf_path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())  # a long name may wrap inside its cell
    for name in NAMES:
        assert name in text
    assert "Sri Rahayu" in text

    # 3a. A result file with an unknown reference and a wrong amount is refused whole.
    bad_path = tmp_path / "salah.csv"
    first = references[NAMES[0]]
    bad_path.write_text(
        f"referensi,status,nominal,alasan\r\n{first},berhasil,700000,\r\nP99999999901,berhasil,750000,\r\n"
    )
    form = page.get_by_test_id("result-form")
    form.locator("input[type=file]").set_input_files(str(bad_path))
    form.locator("#id_paid_on").fill("2025-01-20")
    form.locator("#id_sp2d_number").fill("SP2D-PILAR-01")
    page.get_by_test_id("apply-result").click()
    problems = page.get_by_test_id("row-problems")
    expect(problems).to_contain_text("berbeda dengan hak bantuan sebesar Rp 750.000")
    expect(problems).to_contain_text("P99999999901 bukan transfer dari batch ini")
    expect(page.get_by_test_id("form-errors")).to_contain_text("Tidak ada yang diubah")
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"pending"}
    assert not Realisation.objects.exists()
    page.goto(f"{live_server.url}/pilar/batch/{batch.pk}/")

    # 3b. The bank's result: three paid, two failed (closed account).
    failed_names = {"Citra Lestari", "Endang Wahyuni"}
    result = ["referensi,status,nominal,alasan"]
    for name, reference in references.items():
        if name in failed_names:
            result.append(f"{reference},gagal,750000,Rekening ditutup")
        else:
            result.append(f"{reference},berhasil,750000,")
    result_path = tmp_path / "hasil.csv"
    result_path.write_text("\r\n".join(result) + "\r\n")
    form = page.get_by_test_id("result-form")
    form.locator("input[type=file]").set_input_files(str(result_path))
    form.locator("#id_paid_on").fill("2025-01-20")
    form.locator("#id_sp2d_number").fill("SP2D-PILAR-01")
    page.get_by_test_id("apply-result").click()
    expect(page.get_by_text("Hasil diterapkan: 3 dibayar, 2 gagal.")).to_be_visible()
    expect(page.get_by_test_id("batch-status")).to_have_text("Sudah direkonsiliasi")
    assert Realisation.objects.get().amount == Decimal("2250000")
    statuses = dict(Entitlement.objects.values_list("member__name", "status"))
    assert {n for n, s in statuses.items() if s == EntitlementStatus.FAILED} == failed_names

    # 4. The officer enters new accounts for the failed ones and makes a follow-up batch.
    _sign_in(page, login, "pilar")
    for number, name in enumerate(sorted(failed_names), start=1):
        member = next(m for m in members if m.name == name)
        page.goto(f"{live_server.url}/pilar/anggota/{member.pk}/")
        page.get_by_test_id("change-account").click()
        page.fill("#id_account_number", f"99000000{number:02d}")
        page.fill("#id_account_holder", name)
        page.get_by_test_id("save-account").click()
        expect(page.get_by_test_id("account")).to_contain_text(f"99000000{number:02d}")
    page.goto(f"{live_server.url}/pilar/siklus/{batch.cycle_id}/")
    expect(page.get_by_test_id("failed-summary")).to_contain_text("2 transfer gagal; 2 anggota")
    page.get_by_test_id("follow-up").click()
    expect(page.get_by_text("Batch susulan 2 berisi 2 transfer")).to_be_visible()
    expect(page.get_by_test_id("total-count")).to_have_text("2")
    follow_up = Batch.objects.get(number=2)
    assert follow_up.status == BatchStatus.DRAFT
    moved = Entitlement.objects.filter(batch=follow_up)
    assert set(moved.values_list("member__name", flat=True)) == failed_names
    assert set(moved.values_list("attempt", flat=True)) == {2}
    assert {e.account_number for e in moved} == {"9900000001", "9900000002"}
    assert console_errors == []

"""Browser test of issue 3's "Done when": a social worker walks a client from intake through every
stage to aftercare (Debian Chromium, Indonesian UI), the head of UPT approves the plan and the
termination. On the way: an invalid NIK refused first, the bed in a wisma, a Barthel assessment,
a stage skip refused without a reason, the client's consent with its signed form, a KTP upload
(a renamed program refused), a service in the intervention stage, the termination with its reason,
the follow-ups, the case summary PDF, and the closing after which the record is read-only."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.audit.models import AuditEvent
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.models import (
    Case,
    ClientDocument,
    ConsentRecord,
    DocumentType,
    FollowUp,
    RecordsAuditAction,
    Residence,
    ServiceEntry,
    Stage,
)
from sinergi.rehabilitation.services import residential
from sinergi.rehabilitation.services.documents import document_types_load
from sinergi.rehabilitation.testing import ensure_reference, ensure_regions

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + b"\x00" * 100


@pytest.fixture
def rehab_setup(transactional_db, units, make_user):
    ensure_reference()
    ensure_regions()
    if not DocumentType.objects.exists():
        document_types_load(actor=None)
    Unit.objects.filter(pk=units.upt_a.pk).update(regency_id="35.14")
    residential.movement_types_load(actor=None)
    residential.room_create(actor=None, unit=units.upt_a, wisma="Wisma Melati", name="K1", beds=2)
    make_user("social_worker", units.upt_a, username="peksos.jalan", full_name="Peksos Jalan")
    make_user("head_of_upt", units.upt_a, username="kepala.jalan", full_name="Kepala Jalan")


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


def _expect_refusal(console_errors, count=1):
    """A refused form answers 400 (the browser logs it): exactly the expected refusals."""
    assert len(console_errors) == count, console_errors
    assert all(e.startswith("400 ") for e in console_errors), console_errors
    console_errors.clear()


def _settled(page):
    """Wait until the panels a page loads after it (htmx) have come: the test's own queries on
    the test database then never meet theirs (SQLite locks a table being written)."""
    page.wait_for_load_state("networkidle")


def _advance(page, stage_text):
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text(stage_text)
    _settled(page)


def test_a_client_walks_from_intake_to_aftercare(
    live_server, login, page, rehab_setup, console_errors, tmp_path
):
    today = timezone.localdate()
    _sign_in(login, page, "peksos.jalan")
    page.goto(f"{live_server.url}/rehabilitasi/")
    page.get_by_test_id("intake").click()

    # intake: a mistyped NIK is refused first, nothing is saved
    page.fill("#id_admitted_on", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_nik", "3514015403500")
    page.fill("#id_name", "Siti Aminah")
    page.select_option("#id_sex", "P")
    page.fill("#id_birth_on", "1950-03-14")
    page.select_option("#id_ppks_category", label="Lanjut Usia Terlantar")
    page.select_option("#id_referral_source", label="Keluarga")
    page.select_option("#id_village_2", "35.14")
    expect(page.locator("#id_village_3 option[value='35.14.01']")).to_be_attached()
    page.select_option("#id_village_3", "35.14.01")
    expect(page.locator("#id_village_4 option[value='35.14.01.2001']")).to_be_attached()
    page.select_option("#id_village_4", "35.14.01.2001")
    page.get_by_test_id("intake-save").click()
    expect(page.locator("#id_nik ~ .invalid-feedback, .invalid-feedback").first).to_contain_text(
        "16 digit"
    )
    assert not Case.objects.exists()
    console_errors.clear()  # the intake form answers a refusal with its own status
    page.fill("#id_nik", "3514015403500001")
    page.get_by_test_id("intake-save").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text("Pendekatan awal")
    _settled(page)
    case = Case.objects.get()
    console_errors.clear()

    # stage 1 records the placement: a bed in a wisma
    page.get_by_test_id("admit-link").click()
    page.select_option("#id_bed", index=1)
    page.fill("#id_admitted_on", (today - dt.timedelta(days=30)).isoformat())
    page.get_by_test_id("admit-save").click()
    expect(page.get_by_test_id("current-bed")).to_contain_text("Wisma Melati")

    # consent of the client with the signed form, and the KTP (a renamed program refused)
    page.goto(f"{live_server.url}/rehabilitasi/penerima-manfaat/{case.client_id}/")
    expect(page.get_by_test_id("consent-care")).to_contain_text("belum ada persetujuan")
    page.get_by_test_id("consent-add").click()
    page.select_option("#id_scope", "care")
    page.check("input[name='given_by'][value='client']")
    form_pdf = tmp_path / "persetujuan.pdf"
    form_pdf.write_bytes(PDF)
    page.set_input_files("#id_form_file", str(form_pdf))
    page.get_by_test_id("consent-save").click()
    expect(page.get_by_test_id("consent-care")).to_contain_text("sudah menyetujui")
    page.get_by_test_id("document-add").click()
    page.select_option("#id_document_type", str(DocumentType.objects.get(code="ktp").pk))
    fake = tmp_path / "ktp.pdf"
    fake.write_bytes(EXE)
    page.set_input_files("#id_file", str(fake))
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("PDF, JPG, JPEG atau PNG")
    _expect_refusal(console_errors)
    real = tmp_path / "ktp-asli.pdf"
    real.write_bytes(PDF)
    page.set_input_files("#id_file", str(real))
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("documents")).to_contain_text("KTP")
    _settled(page)
    assert ConsentRecord.objects.get().form_document is not None
    assert ClientDocument.objects.count() == 2  # the signed form and the KTP
    with page.expect_download() as download:
        page.get_by_test_id("documents").get_by_role("link", name=re.compile("KTP")).click()
    assert download.value.suggested_filename.startswith("ktp-")
    _settled(page)
    assert AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_DOWNLOADED).count() == 1

    # Barthel assessment
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    page.get_by_test_id("assess").click()
    for number, score in [(1, 1), (2, 0), (3, 1), (4, 1), (5, 2), (6, 2), (7, 1), (8, 2),
                          (9, 2), (10, 1)]:  # fmt: skip
        page.check(f"input[name='item_{number}'][value='{score}']")
    page.get_by_test_id("assessment-save").click()
    expect(page.get_by_test_id("assessments")).to_contain_text("Ketergantungan ringan")

    # a skip without a reason is refused; then stage by stage
    _advance(page, "Pengungkapan")
    page.select_option("#id_to_stage", str(Stage.objects.get(number=4).pk))
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("melewati")
    _expect_refusal(console_errors)
    expect(page.get_by_test_id("current-stage")).to_contain_text("Pengungkapan")
    page.select_option("#id_to_stage", "")  # back to "the next stage"
    _advance(page, "Penyusunan rencana")
    expect(page.get_by_test_id("awaiting-approval")).to_be_visible()

    # the intervention plan (casework page), then the head of UPT approves it
    page.get_by_test_id("plan-edit").click()
    goal = page.get_by_test_id("goal-row").first
    goal.locator("[name$='-problem']").fill("Belum mandiri berpakaian")
    goal.locator("[name$='-goal']").fill("Mandiri berpakaian")
    goal.locator("[name$='-indicator']").fill("Barthel item berpakaian bernilai 2")
    page.get_by_test_id("plan-save").click()
    expect(page.get_by_test_id("plan-goals")).to_contain_text("Mandiri berpakaian")
    _sign_in(login, page, "kepala.jalan")
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()

    _sign_in(login, page, "peksos.jalan")
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    _advance(page, "Pemecahan masalah")
    # stage 4 records the services given (the casework panel loads after the page)
    page.get_by_test_id("service-add").click()
    page.select_option("#id_service_type", label="Bimbingan fisik")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_duration_minutes", "45")
    page.fill("#id_notes", "Latihan berpakaian sendiri")
    page.get_by_test_id("service-save").click()
    expect(page.get_by_test_id("service-rows")).to_contain_text("Latihan berpakaian sendiri")
    _settled(page)
    assert ServiceEntry.objects.filter(case=case).count() == 1
    _advance(page, "Resosialisasi")
    # termination: the reason, date and destination are required
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("tujuan terminasi")
    _expect_refusal(console_errors)
    page.select_option("#id_termination_reason", index=1)
    page.fill("#id_termination_on", today.isoformat())
    page.fill("#id_destination_address", "Kembali ke keluarga, Dusun Krajan, Purwodadi")
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("current-stage")).to_contain_text("Terminasi")
    expect(page.get_by_test_id("termination")).to_be_visible()

    # the head of UPT approves the termination
    _sign_in(login, page, "kepala.jalan")
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()

    # aftercare: the follow-ups are scheduled; one is recorded
    _sign_in(login, page, "peksos.jalan")
    page.goto(f"{live_server.url}/rehabilitasi/kasus/{case.pk}/")
    _advance(page, "Bimbingan lanjut")
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("number"))
    assert [f.months for f in follow_ups] == [1, 3, 6, 12]
    page.goto(
        f"{live_server.url}/rehabilitasi/kasus/{case.pk}/bimbingan-lanjut/{follow_ups[0].pk}/"
    )
    page.fill("#id_done_on", today.isoformat())
    page.select_option("#id_method", "visit")
    page.fill("#id_condition", "Sehat, tinggal bersama anak")
    page.fill("#id_outcome", "Mandiri di rumah anaknya")
    page.get_by_test_id("follow-up-save").click()
    expect(page.get_by_test_id("follow-ups")).to_contain_text("Mandiri di rumah anaknya")
    _settled(page)
    assert FollowUp.objects.get(pk=follow_ups[0].pk).done_on == today

    # the case summary PDF for the file
    with page.expect_download() as download:
        page.get_by_test_id("case-summary-pdf").click()
    assert download.value.suggested_filename == f"ringkasan-kasus-{str(case.pk)[:8]}.pdf"

    # the other follow-ups (done early by phone), then the case is closed: its record is final
    for follow_up in follow_ups[1:]:
        page.goto(
            f"{live_server.url}/rehabilitasi/kasus/{case.pk}/bimbingan-lanjut/{follow_up.pk}/"
        )
        page.select_option("#id_method", "phone")
        page.fill("#id_condition", "Sehat")
        page.fill("#id_outcome", f"Stabil ({follow_up.months} bulan)")
        page.get_by_test_id("follow-up-save").click()
        expect(page.get_by_test_id("follow-ups")).to_contain_text(f"Stabil ({follow_up.months}")
    page.get_by_test_id("close-case").click()
    expect(page.get_by_test_id("casework-locked")).to_contain_text("bimbingan lanjut dikunci")
    _settled(page)
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert Residence.objects.get(case=case).ended_on is not None  # the bed is free again
    expect(page.get_by_test_id("follow-ups").get_by_role("link")).to_have_count(0)
    page.goto(
        f"{live_server.url}/rehabilitasi/kasus/{case.pk}/bimbingan-lanjut/{follow_ups[0].pk}/"
    )
    expect(page.get_by_test_id("current-stage")).to_contain_text("Bimbingan lanjut")
    expect(page.get_by_text("dikunci, hanya dapat dibaca").first).to_be_visible()
    assert console_errors == []

"""Result files as xlsx and in two parts, the daftar nominatif as a background job, and the
training certificate download."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.tabular.testing import xlsx_bytes
from sinergi.pillars import services
from sinergi.pillars.models import (
    BankFileLayout,
    BatchStatus,
    Entitlement,
    EntitlementStatus,
    NominativeDocument,
)
from sinergi.pillars.testing import make_member, make_scheme, result_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(regions, units, officer, finance):
    unit = units.empowerment_division
    members = [make_member(unit=unit, name=f"Anggota {i}") for i in range(4)]
    scheme = make_scheme()
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    batch = services.batch_approve(actor=finance, batch=cycle.batches.get())
    _name, lines = services.bank_file_export(
        actor=finance, batch=batch, layout=BankFileLayout.objects.get(is_default=True)
    )
    "".join(lines)
    refs = [e.reference for e in Entitlement.objects.filter(batch=batch).order_by("id")]
    return {"batch": batch, "refs": refs, "members": members}


def test_a_result_file_as_xlsx_is_applied(sent, finance):
    refs = sent["refs"]
    content = xlsx_bytes(
        [
            ["Referensi", "Status", "Nominal", "Alasan"],
            [refs[0], "Berhasil", 750000, ""],
            [refs[1], "BERHASIL", 750000, ""],
            [refs[2], "berhasil", 750000, ""],
            [refs[3], "Gagal", 750000, "Rekening pasif"],
        ]
    )
    result = services.result_apply(actor=finance, batch=sent["batch"], content=content,
                                   filename="hasil.xlsx", paid_on=dt.date(2025, 1, 20))  # fmt: skip
    assert (result.paid_count, result.failed_count) == (3, 1)
    assert result.paid_amount == Decimal("2250000")
    failed = Entitlement.objects.get(status=EntitlementStatus.FAILED)
    assert failed.failure_reason == "Rekening pasif"
    sent["batch"].refresh_from_db()
    assert sent["batch"].status == BatchStatus.RECONCILED


def test_a_batch_is_settled_by_two_result_files(sent, finance):
    refs, batch = sent["refs"], sent["batch"]
    first = result_csv([(refs[0], "berhasil", 750000, ""), (refs[1], "gagal", 750000, "Tutup")])
    services.result_apply(actor=finance, batch=batch, content=first, filename="a.csv",
                          paid_on=dt.date(2025, 1, 20))  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED  # two transfers still pending
    # The second file may not settle a transfer the first one did: refused as a whole.
    again = result_csv([(refs[1], "berhasil", 750000, ""), (refs[2], "berhasil", 750000, "")])
    with pytest.raises(services.ResultFileRejected) as error:
        services.result_apply(actor=finance, batch=batch, content=again, filename="b.csv",
                              paid_on=dt.date(2025, 1, 21))  # fmt: skip
    assert [p.row for p in error.value.problems] == [2]
    assert Entitlement.objects.filter(status=EntitlementStatus.PENDING).count() == 2
    second = result_csv([(refs[2], "berhasil", 750000, ""), (refs[3], "berhasil", 750000, "")])
    services.result_apply(actor=finance, batch=batch, content=second, filename="c.csv",
                          paid_on=dt.date(2025, 1, 22))  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    counts = {s: Entitlement.objects.filter(status=s).count() for s in ("paid", "failed")}
    assert counts == {"paid": 3, "failed": 1}
    assert batch.results.count() == 2
    assert AuditEvent.objects.filter(action="pillars.result_applied").count() == 2


def test_a_big_daftar_nominatif_is_written_by_a_background_job(
    sent, finance, settings, django_capture_on_commit_callbacks
):
    settings.SINERGI = {**settings.SINERGI, "PILLARS_NOMINATIVE_SYNC_MAX_ROWS": 2}
    client = Client()
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(f"/pilar/batch/{sent['batch'].pk}/nominatif/")
    assert len(callbacks) == 1  # the job is queued once, after the commit
    document = NominativeDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pilar/nominatif/{document.pk}/"
    document.refresh_from_db()  # the test settings run jobs at once
    assert document.status == NominativeDocument.Status.DONE, document.message
    download = client.get(f"/pilar/nominatif/{document.pk}/?unduh=1")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@override_settings(MEDIA_ROOT="/tmp/sinergi-test-media-pillars")
def test_the_training_form_and_certificate_download(sent, officer, make_user, units):
    member = sent["members"][0]
    client = Client()
    client.force_login(officer)
    client.get("/pilar/")
    pdf = SimpleUploadedFile("sertifikat.pdf", b"%PDF-1.4 certificate", "application/pdf")
    response = client.post(
        f"/pilar/anggota/{member.pk}/pelatihan/",
        {"course": "Diklat TKSK", "organiser": "BPSDM Jawa Timur", "held_on": "2025-03-01",
         "certificate_number": "123/BPSDM/2025", "certificate": pdf},
    )  # fmt: skip
    assert response.status_code == 302
    training = member.trainings.get()
    assert training.certificate
    url = f"/pilar/pelatihan/{training.pk}/sertifikat/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", make_user("social_worker", units.upt_a), 403),
            Expect("pillar officer of another unit", make_user("pillar_officer", units.upt_b), 404),
            Expect("pillar officer", officer, 200),
            Expect("head of office", make_user("head_of_office", units.office), 200),
        ],
    )
    assert AuditEvent.objects.filter(action="pillars.member_viewed").exists()
    assert_authorization(
        url=f"/pilar/anggota/{member.pk}/pelatihan/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", make_user("head_of_office", units.office), 403),
            Expect("pillar officer", officer, 200),
        ],
    )

"""Result files as xlsx and in two parts, the daftar nominatif as a background job, and the
training certificate download."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
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


def _with_accounts(refs_amounts_accounts):
    lines = ["referensi,status,nominal,alasan,no_rekening"]
    lines += [f"{r},{s},{a},,{acc}" for r, s, a, acc in refs_amounts_accounts]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_result_file_whose_account_differs_or_repeats_is_refused_whole(sent, finance):
    batch = sent["batch"]
    rows = list(Entitlement.objects.filter(batch=batch).order_by("id"))
    content = _with_accounts(
        [
            (rows[0].reference, "berhasil", 750000, rows[0].account_number),
            (rows[1].reference, "berhasil", 750000, "9999999999"),
            (rows[2].reference, "berhasil", 750000, rows[0].account_number),
            (rows[3].reference, "berhasil", 750000, ""),
        ]
    )
    with pytest.raises(services.ResultFileRejected) as error:
        services.result_apply(actor=finance, batch=batch, content=content, filename="h.csv",
                              paid_on=dt.date(2025, 1, 20))  # fmt: skip
    problems = {p.row: p.message for p in error.value.problems}
    assert sorted(problems) == [3, 4]
    assert "9999999999" in problems[3]
    assert rows[1].account_number in problems[3]
    assert "muncul dua kali (juga pada baris 2)" in problems[4]
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"pending"}
    assert not AuditEvent.objects.filter(action="pillars.result_applied").exists()


def test_a_result_file_with_matching_accounts_is_applied(sent, finance):
    batch = sent["batch"]
    content = _with_accounts(
        [
            (e.reference, "berhasil", 750000, e.account_number)
            for e in Entitlement.objects.filter(batch=batch).order_by("id")
        ]
    )
    result = services.result_apply(actor=finance, batch=batch, content=content, filename="h.csv",
                                   paid_on=dt.date(2025, 1, 20))  # fmt: skip
    assert result.paid_count == 4


def test_a_result_file_without_the_needed_columns_says_which_are_missing(sent, finance):
    with pytest.raises(ApplicationError) as error:
        services.result_apply(actor=finance, batch=sent["batch"], content=b"referensi,status\r\n",
                              filename="h.csv", paid_on=dt.date(2025, 1, 20))  # fmt: skip
    assert error.value.code == "missing_columns"
    assert "nominal" in error.value.message


def test_a_sent_batch_with_two_transfers_to_one_account_cannot_make_a_bank_file(sent, finance):
    batch = sent["batch"]
    first, second = Entitlement.objects.filter(batch=batch).order_by("id")[:2]
    Entitlement.objects.filter(pk=second.pk).update(account_number=first.account_number)
    with pytest.raises(ApplicationError) as error:
        services.bank_file_export(actor=finance, batch=batch,
                                  layout=BankFileLayout.objects.get(is_default=True))  # fmt: skip
    assert error.value.code == "duplicate_account"
    assert first.reference in error.value.message
    assert second.reference in error.value.message
    assert "Bank Jatim" in error.value.message


def test_a_transfer_without_bank_details_stops_the_approval(regions, units, officer, finance):
    for i in range(3):
        make_member(unit=units.empowerment_division, name=f"Anggota {i}")
    scheme = make_scheme()
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    batch = cycle.batches.get()
    broken = batch.entitlements.order_by("id").last()
    Entitlement.objects.filter(pk=broken.pk).update(account_number="")
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(actor=finance, batch=batch)
    assert error.value.code == "missing_bank_details"
    assert broken.reference in error.value.message
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    services.entitlement_exclude(actor=officer, entitlement=broken, reason="Rekening kosong")
    assert services.batch_approve(actor=finance, batch=batch).status == BatchStatus.APPROVED


def test_the_batch_summary_follows_every_change(sent, finance, officer):
    from sinergi.pillars.selectors import batch_overview

    batch = sent["batch"]
    overview = batch_overview(batch)
    assert (overview.by_type.count, overview.by_type.amount) == (4, Decimal("3000000"))
    assert [r["label"] for r in overview.by_regency.rows] == ["KOTA SURABAYA"]
    assert overview.status_counts == {"pending": 4}
    refs = sent["refs"]
    content = result_csv([(refs[0], "gagal", 750000, "Tutup")] + [
        (r, "berhasil", 750000, "") for r in refs[1:]
    ])  # fmt: skip
    services.result_apply(actor=finance, batch=batch, content=content, filename="h.csv",
                          paid_on=dt.date(2025, 1, 20))  # fmt: skip
    assert batch_overview(batch).status_counts == {"paid": 3, "failed": 1}
    follow_up = services.follow_up_create(actor=officer, cycle=batch.cycle)
    moved = batch_overview(batch)
    assert (moved.status_counts, moved.moved_on) == ({"paid": 3}, 1)
    assert batch_overview(follow_up).status_counts == {"pending": 1}
    assert (follow_up.entitlement_count, follow_up.total_amount) == (1, Decimal("750000"))


def test_a_layout_must_hold_the_reference_the_account_and_the_amount(db):
    from sinergi.pillars.testing import bank

    with pytest.raises(ApplicationError) as error:
        services.layout_save(actor=None, code="x", name="X", bank=bank(),
                             columns=[{"header": "REK", "field": "account_number"}])  # fmt: skip
    assert "reference, amount" in error.value.message
    with pytest.raises(ApplicationError) as error:
        services.layout_save(actor=None, code="x", name="X", bank=bank(),
                             columns=[{"header": "A", "field": "nik"}])  # fmt: skip
    assert "nik" in error.value.message
    with pytest.raises(ApplicationError) as error:
        services.layout_save(
            actor=None, code="x", name="X", bank=bank(), description_template="{bulan}",
            columns=[{"header": h, "field": f} for h, f in
                     [("R", "reference"), ("A", "account_number"), ("N", "amount")]],
        )  # fmt: skip
    assert error.value.field_errors == {
        "description_template": ["Keterangan hanya boleh memakai {scheme}, {quarter} dan {year}."]
    }
    assert BankFileLayout.objects.count() == 1


def test_making_a_layout_the_default_unsets_the_old_default(db):
    from sinergi.pillars.testing import bank

    old = BankFileLayout.objects.get(is_default=True)
    new = services.layout_save(
        actor=None, code="bni", name="BNI", bank=bank("009"), separator="tab", is_default=True,
        columns=[{"header": h, "field": f} for h, f in
                 [("R", "reference"), ("A", "account_number"), ("N", "amount")]],
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.is_default, new.is_default, new.separator) == (False, True, "\t")
    assert AuditEvent.objects.get(action="pillars.layout_saved").changes["is_default"] == [
        None,
        True,
    ]


def test_the_layout_form_names_every_field_the_bank_file_knows():
    from sinergi.pillars.forms import LayoutForm

    help_text = str(LayoutForm.base_fields["columns"].help_text)
    for field in BankFileLayout.FIELDS:
        assert field in help_text

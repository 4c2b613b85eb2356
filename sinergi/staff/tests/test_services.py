import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.staff import selectors, services
from sinergi.staff.models import (
    Employee,
    EmploymentType,
    MonthClosure,
    MonthlyRealisation,
    MonthlySubmission,
    Rank,
    Rhk,
    Skp,
)
from sinergi.staff.testing import make_skp, next_nip

pytestmark = pytest.mark.django_db

INDICATORS = [("quantity", "Jumlah laporan asesmen", "12 laporan")]


def _events(action):
    return list(AuditEvent.objects.filter(action=action).values_list("target_id", flat=True))


# --- Employees -----------------------------------------------------------------------------------


def test_an_invalid_nip_is_refused_and_nothing_is_saved(units, people):
    before = Employee.objects.count()
    with pytest.raises(ApplicationError) as error:
        services.employee_create(
            actor=people.hr,
            nip="19851322201001201",  # 17 digits
            name="Salah NIP",
            employment_type=EmploymentType.PNS,
            unit=units.upt_a,
            active_from=dt.date(2024, 1, 1),
        )
    assert "nip" in error.value.field_errors
    assert Employee.objects.count() == before
    assert not AuditEvent.objects.filter(action="staff.employee_created").exists()


def test_a_pns_needs_a_nip_but_a_non_asn_does_not(units, people):
    with pytest.raises(ApplicationError) as error:
        services.employee_create(
            actor=people.hr,
            name="Tanpa NIP",
            employment_type=EmploymentType.PNS,
            unit=units.upt_a,
            active_from=dt.date(2024, 1, 1),
        )
    assert error.value.code == "nip_required"
    honorer = services.employee_create(
        actor=people.hr,
        name="Tenaga Honorer",
        employment_type=EmploymentType.NON_ASN,
        unit=units.upt_a,
        active_from=dt.date(2024, 1, 1),
    )
    assert honorer.nip is None


def test_an_ni_pppk_is_refused_for_a_pns(units, people):
    with pytest.raises(ApplicationError) as error:
        services.employee_create(
            actor=people.hr,
            nip=next_nip(pppk=True),
            name="Salah Jenis",
            employment_type=EmploymentType.PNS,
            unit=units.upt_a,
            active_from=dt.date(2024, 1, 1),
        )
    assert error.value.code == "nip_type_mismatch"


def test_a_rank_of_another_employment_type_is_refused(units, people):
    with pytest.raises(ApplicationError) as error:
        services.employee_update(
            actor=people.hr, employee=people.e_worker_a, rank=Rank.objects.get(code="PPPK-IX")
        )
    assert error.value.code == "rank_mismatch"
    people.e_worker_a.refresh_from_db()
    assert people.e_worker_a.rank_id is None


def test_creating_an_employee_is_audited_with_its_fields(units, people):
    nip = next_nip()
    employee = services.employee_create(
        actor=people.hr,
        nip=nip,
        name="Dewi Lestari, S.Sos.",
        employment_type=EmploymentType.PNS,
        rank=Rank.objects.get(code="III/a"),
        position="Pekerja Sosial Ahli Pertama",
        unit=units.upt_b,
        supervisor=people.e_head_b,
        active_from=dt.date(2024, 1, 1),
    )
    event = AuditEvent.objects.get(action="staff.employee_created")
    assert event.target_id == str(employee.pk)
    assert event.changes["nip"] == [None, nip]
    assert event.changes["supervisor"] == [None, people.e_head_b.pk]


def test_a_supervisor_loop_is_refused_naming_the_chain(people):
    with pytest.raises(ApplicationError) as error:
        services.employee_update(
            actor=people.hr, employee=people.e_kabid, supervisor=people.e_worker_a
        )
    assert error.value.code == "supervisor_loop"
    assert "Kabid Rehsos → Pegawai A → Kepala UPT A → Kabid Rehsos" in error.value.message
    people.e_kabid.refresh_from_db()
    assert people.e_kabid.supervisor_id == people.e_head.pk
    assert not AuditEvent.objects.filter(action="staff.employee_updated").exists()


def test_an_employee_cannot_supervise_themself(people):
    with pytest.raises(ApplicationError):
        services.employee_update(
            actor=people.hr, employee=people.e_worker_a, supervisor=people.e_worker_a
        )


def test_changing_an_employee_audits_only_the_changed_fields(people, units):
    services.employee_update(
        actor=people.hr, employee=people.e_worker_a, position="Penyuluh Sosial", name="Pegawai A"
    )
    event = AuditEvent.objects.get(action="staff.employee_updated")
    assert event.changes == {"position": ["", "Penyuluh Sosial"]}


# --- SKP -----------------------------------------------------------------------------------------


def test_an_employee_drafts_submits_and_the_direct_supervisor_approves(people):
    skp = services.skp_create(actor=people.worker_a, employee=people.e_worker_a, year=2026)
    assert (skp.status, skp.period_start, skp.period_end) == (
        "draft",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    rhk = services.rhk_save(
        actor=people.worker_a, skp=skp, title="Asesmen klien baru", indicators=INDICATORS
    )
    assert list(rhk.indicators.values_list("target", flat=True)) == ["12 laporan"]
    services.skp_submit(actor=people.worker_a, skp=skp)
    with pytest.raises(ApplicationError):  # the head of another UPT is not the supervisor
        services.skp_approve(actor=people.head_b, skp=skp)
    with pytest.raises(ApplicationError):  # HR is not the supervisor either
        services.skp_approve(actor=people.hr, skp=skp)
    services.skp_approve(actor=people.head_a, skp=skp)
    skp.refresh_from_db()
    assert skp.status == Skp.Status.APPROVED
    assert skp.approved_by == people.head_a
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="staff.").order_by("id")
    ] == [
        "staff.skp_created",
        "staff.rhk_saved",
        "staff.skp_submitted",
        "staff.skp_approved",
    ]


def test_an_skp_without_rhk_cannot_be_submitted(people):
    skp = services.skp_create(actor=people.worker_a, employee=people.e_worker_a, year=2026)
    with pytest.raises(ApplicationError) as error:
        services.skp_submit(actor=people.worker_a, skp=skp)
    assert error.value.code == "no_rhk"
    skp.refresh_from_db()
    assert skp.status == Skp.Status.DRAFT


def test_returning_needs_a_note_and_reopens_the_draft(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.SUBMITTED)
    with pytest.raises(ApplicationError):
        services.skp_return(actor=people.head_a, skp=skp, note="  ")
    services.skp_return(actor=people.head_a, skp=skp, note="Target kuantitas terlalu rendah.")
    skp.refresh_from_db()
    assert skp.status == Skp.Status.RETURNED
    assert skp.is_editable
    assert skp.return_note == "Target kuantitas terlalu rendah."


def test_someone_elses_skp_cannot_be_edited(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.DRAFT)
    with pytest.raises(ApplicationError):
        services.rhk_save(actor=people.head_a, skp=skp, title="X", indicators=INDICATORS)
    assert Rhk.objects.filter(skp=skp).count() == 2


def test_a_stale_version_is_refused(people):
    skp = services.skp_create(actor=people.worker_a, employee=people.e_worker_a, year=2026)
    version = skp.version
    services.rhk_save(actor=people.worker_a, skp=skp, title="A", indicators=INDICATORS)
    with pytest.raises(ApplicationError) as error:
        services.rhk_save(
            actor=people.worker_a, skp=skp, title="B", indicators=INDICATORS, version=version
        )
    assert error.value.code == "stale"
    assert list(skp.rhks.values_list("title", flat=True)) == ["A"]


def test_a_cascaded_rhk_must_come_from_the_direct_supervisor(people):
    own = services.skp_create(actor=people.worker_a, employee=people.e_worker_a, year=2026)
    boss = make_skp(people.e_head_a, 2026)
    other = make_skp(people.e_head_b, 2026)
    rhk = services.rhk_save(
        actor=people.worker_a,
        skp=own,
        title="Mendukung",
        parent=boss.rhks.first(),
        indicators=INDICATORS,
    )
    assert rhk.parent == boss.rhks.first()
    with pytest.raises(ApplicationError) as error:
        services.rhk_save(
            actor=people.worker_a,
            skp=own,
            title="Salah atasan",
            parent=other.rhks.first(),
            indicators=INDICATORS,
        )
    assert error.value.code == "invalid_parent"


def test_a_revision_reopens_an_approved_skp_and_is_audited(people):
    skp = make_skp(people.e_worker_a, 2026)
    services.skp_open_revision(actor=people.worker_a, skp=skp)
    skp.refresh_from_db()
    assert (skp.status, skp.revision) == (Skp.Status.DRAFT, 1)
    event = AuditEvent.objects.get(action="staff.skp_revision_opened")
    assert event.changes["revision"] == [0, 1]
    assert event.extra["rhks"] == [[1, "Hasil kerja 1"], [2, "Hasil kerja 2"]]


# --- Monthly realisation -------------------------------------------------------------------------


def _report_all(people, skp, month, today):
    for rhk in skp.rhks.all():
        services.realisation_save(
            actor=people.worker_a,
            skp=skp,
            month=month,
            rhk=rhk,
            realisation="Selesai 1 laporan",
            today=today,
        )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=7))
    )


def test_a_month_submitted_by_the_due_day_is_on_time_and_after_it_late(people):
    skp = make_skp(people.e_worker_a, 2026)
    _report_all(people, skp, 3, dt.date(2026, 4, 2))
    on_time = services.month_submit(
        actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 5), 23)
    )
    assert (on_time.on_time, on_time.due_on) == (True, dt.date(2026, 4, 5))
    _report_all(people, skp, 4, dt.date(2026, 5, 6))
    late = services.month_submit(
        actor=people.worker_a, skp=skp, month=4, now=_at(dt.date(2026, 5, 6), 8)
    )
    assert late.on_time is False
    assert AuditEvent.objects.filter(action="staff.month_submitted").count() == 2


@override_settings(SINERGI={"SKP_DUE_DAY": 10, "OFFICE_NAME": "Dinsos"})
def test_the_due_day_is_a_setting(people):
    skp = make_skp(people.e_worker_a, 2026)
    _report_all(people, skp, 3, dt.date(2026, 4, 8))
    submission = services.month_submit(
        actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 8))
    )
    assert (submission.due_on, submission.on_time) == (dt.date(2026, 4, 10), True)


def test_a_month_outside_the_skp_period_is_refused_and_nothing_saved(people, units):
    Employee.objects.filter(pk=people.e_worker_b.pk).update(active_from=dt.date(2026, 6, 1))
    people.e_worker_b.refresh_from_db()
    skp = make_skp(people.e_worker_b, 2026)
    assert skp.period_start == dt.date(2026, 6, 1)
    with pytest.raises(ApplicationError) as error:
        services.realisation_save(
            actor=people.worker_b,
            skp=skp,
            month=5,
            rhk=skp.rhks.first(),
            realisation="x",
            today=dt.date(2026, 7, 1),
        )
    assert error.value.code == "outside_period"
    assert "Mei 2026" in error.value.message or "May 2026" in error.value.message
    assert MonthlySubmission.objects.count() == 0
    assert MonthlyRealisation.objects.count() == 0


def test_a_month_not_begun_is_refused(people):
    skp = make_skp(people.e_worker_a, 2026)
    with pytest.raises(ApplicationError) as error:
        services.realisation_save(
            actor=people.worker_a,
            skp=skp,
            month=8,
            rhk=skp.rhks.first(),
            realisation="x",
            today=dt.date(2026, 7, 20),
        )
    assert error.value.code == "future_month"


def test_a_closed_month_refuses_realisation_and_submission(people):
    skp = make_skp(people.e_worker_a, 2026)
    _report_all(people, skp, 3, dt.date(2026, 4, 2))
    services.month_close(actor=people.hr, year=2026, month=3, today=dt.date(2026, 4, 6))
    with pytest.raises(ApplicationError) as error:
        services.month_submit(actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 7)))
    assert error.value.code == "month_closed"
    assert MonthlySubmission.objects.get().status == MonthlySubmission.Status.DRAFT
    event = AuditEvent.objects.get(action="staff.month_closed")
    assert event.extra == {"year": 2026, "month": 3, "submitted": 0, "drafts": 1}


def test_a_month_cannot_be_closed_before_its_due_date_nor_by_others(people):
    with pytest.raises(ApplicationError) as error:
        services.month_close(actor=people.hr, year=2026, month=3, today=dt.date(2026, 4, 5))
    assert error.value.code == "too_early"
    with pytest.raises(ApplicationError):
        services.month_close(actor=people.head_a, year=2026, month=3, today=dt.date(2026, 4, 9))
    assert MonthClosure.objects.count() == 0


def test_every_rhk_needs_a_realisation_before_submitting(people):
    skp = make_skp(people.e_worker_a, 2026)
    services.realisation_save(
        actor=people.worker_a,
        skp=skp,
        month=3,
        rhk=skp.rhks.get(number=1),
        realisation="ok",
        today=dt.date(2026, 4, 1),
    )
    with pytest.raises(ApplicationError) as error:
        services.month_submit(actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 2)))
    assert "RHK 2" in error.value.message
    assert MonthlySubmission.objects.get().status == "draft"


def test_only_the_employee_reports_their_months(people):
    skp = make_skp(people.e_worker_a, 2026)
    with pytest.raises(ApplicationError):
        services.realisation_save(
            actor=people.head_a,
            skp=skp,
            month=3,
            rhk=skp.rhks.first(),
            realisation="x",
            today=dt.date(2026, 4, 1),
        )
    assert MonthlyRealisation.objects.count() == 0


def test_an_evidence_file_is_checked_by_type_and_content(people, settings):
    skp = make_skp(people.e_worker_a, 2026)
    rhk = skp.rhks.first()
    fake = SimpleUploadedFile(
        "laporan.pdf", b"MZ this is not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ApplicationError) as error:
        services.realisation_save(
            actor=people.worker_a, skp=skp, month=3, rhk=rhk, realisation="x",
            evidence_file=fake, today=dt.date(2026, 4, 1),
        )  # fmt: skip
    assert error.value.code == "file_content"
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ApplicationError) as error:
        services.realisation_save(
            actor=people.worker_a, skp=skp, month=3, rhk=rhk, realisation="x",
            evidence_file=exe, today=dt.date(2026, 4, 1),
        )  # fmt: skip
    assert error.value.code == "file_type"
    settings.SINERGI = {**settings.SINERGI, "SKP_EVIDENCE_MAX_MB": 1}
    big = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ApplicationError) as error:
        services.realisation_save(
            actor=people.worker_a, skp=skp, month=3, rhk=rhk, realisation="x",
            evidence_file=big, today=dt.date(2026, 4, 1),
        )  # fmt: skip
    assert error.value.code == "file_too_large"
    assert MonthlyRealisation.objects.count() == 0
    good = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 hello")
    row = services.realisation_save(
        actor=people.worker_a, skp=skp, month=3, rhk=rhk, realisation="x",
        evidence_file=good, today=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert (row.evidence_file_name, row.evidence_file_type) == ("laporan.pdf", "application/pdf")
    assert "laporan" not in row.evidence_file.name
    assert BytesIO(row.evidence_file.read()).getvalue() == b"%PDF-1.4 hello"


# --- Evaluation ----------------------------------------------------------------------------------

# DOMAIN.md 7.3 (PermenPANRB 6/2022 Lampiran): (results, behaviour) -> predikat.
MATRIX = [
    ("above", "below", "Kurang/Misconduct"),
    ("above", "meets", "Baik"),
    ("above", "above", "Sangat Baik"),
    ("meets", "below", "Kurang/Misconduct"),
    ("meets", "meets", "Baik"),
    ("meets", "above", "Baik"),
    ("below", "below", "Sangat Kurang"),
    ("below", "meets", "Butuh Perbaikan"),
    ("below", "above", "Butuh Perbaikan"),
]


@pytest.mark.parametrize(("results", "behaviour", "predikat"), MATRIX)
def test_the_predikat_follows_the_matrix(people, results, behaviour, predikat):
    skp = make_skp(people.e_worker_a, 2026)
    evaluation = services.evaluation_save(
        actor=people.head_a,
        skp=skp,
        month_from=1,
        month_to=3,
        results_rating=results,
        behaviour_rating=behaviour,
    )
    assert evaluation.predikat.name == predikat


def test_only_the_direct_supervisor_evaluates_and_a_rerating_is_audited(people):
    skp = make_skp(people.e_worker_a, 2026)
    with pytest.raises(ApplicationError):
        services.evaluation_save(
            actor=people.kabid, skp=skp, month_from=1, month_to=3,
            results_rating="meets", behaviour_rating="meets",
        )  # fmt: skip
    services.evaluation_save(
        actor=people.head_a, skp=skp, month_from=1, month_to=3,
        results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip
    services.evaluation_save(
        actor=people.head_a, skp=skp, month_from=1, month_to=3,
        results_rating="above", behaviour_rating="above",
    )  # fmt: skip
    assert skp.evaluations.count() == 1
    last = AuditEvent.objects.filter(action="staff.evaluation_saved").order_by("id").last()
    assert last.changes["results_rating"] == ["meets", "above"]


# --- Metric --------------------------------------------------------------------------------------


def test_on_time_percent_counts_owed_employee_months(people, units):
    skp = make_skp(people.e_worker_a, 2026)
    _report_all(people, skp, 3, dt.date(2026, 4, 1))
    services.month_submit(actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 2)))
    value = selectors.on_time_percent(
        unit_ids=[units.upt_a.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert value == 50  # Kepala UPT A and Pegawai A owe March; one was on time
    assert (
        selectors.on_time_percent(
            unit_ids=[units.empowerment_division.pk],
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
        )
        is None
    )

"""The client import through the core engine: identity checks, reference by code or name, the same
NIK reuses the person, errors leave nothing, the same file again changes nothing, the sample file."""

import datetime as dt

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.core.identity import make_kk, make_nik
from sinergi.core.models import CoreAuditAction, ImportBatch
from sinergi.core.tabular.testing import import_file, upload_and_validate, xlsx_bytes
from sinergi.rehabilitation.imports import SAMPLE_PATH, sample_rows
from sinergi.rehabilitation.models import Case, CaseEvent, Client
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

SPEC = "rehabilitation.clients"
HEADER = [
    "nik", "alasan_tanpa_nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa",
    "kategori_ppks", "sumber_rujukan", "tanggal_masuk", "peksos",
]  # fmt: skip


def _row(nik="", reason="", kk="", name="Sumarni", sex="P", born=dt.date(1948, 7, 2), **extra):
    values = {
        "village": "35.14.01.2001",
        "category": "LUT",
        "referral": "keluarga",
        "admitted": dt.date(2026, 1, 10),
        "worker": "",
    }
    values.update(extra)
    return [
        nik, reason, kk, name, sex, born, values["village"], values["category"],
        values["referral"], values["admitted"], values["worker"],
    ]  # fmt: skip


def _state():
    return (Client.objects.count(), Case.objects.count(), CaseEvent.objects.count())


def test_a_valid_file_registers_clients_and_opens_cases(people, units):
    nik = make_nik("35.14.01", dt.date(1948, 7, 2), "P", 11)
    kk = make_kk("35.14.01", dt.date(2010, 1, 12), 3)
    content = xlsx_bytes(
        [
            HEADER,
            _row(nik=nik, kk=kk, worker="peksos-a"),
            _row(reason="Razia Satpol PP", name="Slamet", sex="L", category="Gelandangan",
                 referral="Satpol PP / razia", born=dt.date(1970, 1, 1)),
        ]
    )  # fmt: skip
    batch = import_file(actor=people.head_a, spec_code=SPEC, name="pm.xlsx", content=content)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 0, 0)
    sumarni = Client.objects.get(nik=nik)
    assert (sumarni.kk_number, sumarni.regency_id, sumarni.ppks_category.code) == (
        kk,
        "35.14",
        "LUT",
    )
    case = Case.objects.get(client=sumarni)
    assert (case.unit, case.social_worker, case.stage.number) == (units.upt_a, people.worker_a, 1)
    slamet = Client.objects.get(name="Slamet")
    assert (slamet.nik, slamet.no_nik_reason, slamet.ppks_category.code) == (
        None,
        "Razia Satpol PP",
        "GLD",
    )
    assert CaseEvent.objects.filter(kind="opened").count() == 2
    event = AuditEvent.objects.get(action=CoreAuditAction.IMPORT_APPLIED)
    assert event.extra["created"] == 2
    # the same file again changes nothing
    again = import_file(actor=people.head_a, spec_code=SPEC, name="pm.xlsx", content=content)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert _state() == (2, 2, 2)


def test_a_known_nik_reuses_the_person(people, units):
    old = admit(units.upt_b, social_worker=people.worker_b)
    Case.objects.filter(pk=old.pk).update(status=Case.Status.CLOSED)
    client = old.client
    content = xlsx_bytes(
        [HEADER, _row(nik=client.nik, name="Siti Aminah", born=client.birth_on, sex="P")]
    )
    batch = import_file(actor=people.worker_a, spec_code=SPEC, name="pm.xlsx", content=content)
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert Client.objects.count() == 1
    assert Case.objects.filter(client=client, unit=units.upt_a, status="open").count() == 1


def test_errors_are_listed_per_row_and_nothing_is_imported(people, units):
    admit(units.upt_a, social_worker=people.worker_a, name="Tumini", birth_on=dt.date(1949, 2, 2))
    before = _state()
    good = make_nik("35.14.01", dt.date(1948, 7, 2), "P", 21)
    content = xlsx_bytes(
        [
            HEADER,
            _row(nik=good),
            _row(nik="3514014207480099", name="Laki-laki", sex="L"),  # the NIK is a woman's
            _row(nik="12345", name="Pendek"),
            _row(name="Tanpa NIK"),
            _row(nik=make_nik("35.14.01", dt.date(1950, 1, 1), "L", 5), sex="L",
                 born=dt.date(1950, 1, 1), category="XYZ", village="35.99.99.9999"),
            _row(reason="Razia", name="Tumini", born=dt.date(1949, 2, 2)),
            _row(nik=good, name="Dobel"),
            _row(reason="Razia", name="Masa depan", born=dt.date(2999, 1, 1)),
        ]
    )  # fmt: skip
    batch = upload_and_validate(
        actor=people.worker_a, spec_code=SPEC, name="pm.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.INVALID
    by_row: dict[int, list[str]] = {}
    for error in batch.errors:
        by_row.setdefault(error["row"], []).append(error["message"])
    assert 2 not in by_row
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert len(by_row[3]) == 1
    assert "NIK" in by_row[3][0]
    assert any("16 digits" in m for m in by_row[4])
    assert any("Enter the NIK" in m for m in by_row[5])
    assert any("not a known code" in m for m in by_row[6])
    assert any("not a village" in m for m in by_row[6])
    assert any("same name and date of birth" in m for m in by_row[7])
    assert any("more than once" in m for m in by_row[8])
    assert any("future" in m for m in by_row[9])
    # the preview never shows a full NIK
    assert all(good not in cell for row in batch.preview for cell in row)
    assert _state() == before


def test_a_person_with_an_open_case_elsewhere_is_refused(people, units):
    other = admit(units.upt_b, social_worker=people.worker_b)
    content = xlsx_bytes(
        [HEADER, _row(nik=other.client.nik, name="Siti Aminah", born=other.client.birth_on)]
    )
    batch = upload_and_validate(
        actor=people.worker_a, spec_code=SPEC, name="pm.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert "already has an open case" in batch.errors[0]["message"]


def test_a_number_cell_that_lost_digits_is_refused(people):
    content = xlsx_bytes([HEADER, _row(nik=3.514014207480001e15)])
    batch = upload_and_validate(
        actor=people.worker_a, spec_code=SPEC, name="pm.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert "lost digits" in batch.errors[0]["message"]


def test_a_worker_of_another_upt_is_refused_and_a_user_outside_a_upt_needs_kode_upt(people):
    content = xlsx_bytes([HEADER, _row(reason="Razia", worker="peksos-b")])
    batch = upload_and_validate(
        actor=people.worker_a, spec_code=SPEC, name="pm.xlsx", content=content
    )
    assert "not a social worker of this UPT" in batch.errors[0]["message"]


def test_import_needs_the_permission(people):
    from sinergi.core.errors import ApplicationError

    content = xlsx_bytes([HEADER, _row(reason="Razia")])
    with pytest.raises(ApplicationError):
        upload_and_validate(actor=people.office, spec_code=SPEC, name="pm.xlsx", content=content)
    assert _state() == (0, 0, 0)


def test_the_shipped_sample_file_is_current_and_imports(people):
    from sinergi.core.tabular import readers  # noqa: F401  (the engine reads it like any upload)

    batch = import_file(
        actor=people.head_a, spec_code=SPEC, name=SAMPLE_PATH.name, content=SAMPLE_PATH.read_bytes()
    )
    assert batch.created_count == len(sample_rows()) - 1
    assert Client.objects.filter(name="Siti Aminah", nik="3514015403500001").exists()

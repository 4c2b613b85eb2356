from pathlib import Path

import pytest

from sinergi.core.models import ImportBatch
from sinergi.core.tabular.testing import import_file, upload_and_validate, xlsx_bytes
from sinergi.staff.models import Employee

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "contoh-impor-pegawai.xlsx"
HEADER = ["nip", "nama", "jenis_kepegawaian", "golongan", "kode_unit", "nip_atasan", "aktif_sejak"]


def test_the_sample_file_imports_and_a_second_import_changes_nothing(people):
    content = SAMPLE.read_bytes()
    batch = import_file(
        actor=people.hr, spec_code="staff.employees", name="p.xlsx", content=content
    )
    assert (batch.created_count, batch.updated_count) == (2, 0)
    worker = Employee.objects.get(nip="198507222010012015")
    assert worker.supervisor.nip == "197003151995031002"
    assert worker.rank.code == "III/c"
    again = import_file(
        actor=people.hr, spec_code="staff.employees", name="p.xlsx", content=content
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_bad_nip_or_unknown_supervisor_rejects_the_file(people, units):
    before = Employee.objects.count()
    content = xlsx_bytes(
        [
            HEADER,
            ["19850722201001201", "Salah", "PNS", "III/a", "upt-rsbd-pasuruan", "", "01-01-2024"],
            [
                "198507222010012015",
                "Benar",
                "PNS",
                "III/a",
                "upt-rsbd-pasuruan",
                "196001011985031001",
                "01-01-2024",
            ],
        ]
    )
    batch = upload_and_validate(
        actor=people.hr, spec_code="staff.employees", name="x.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.error_rows == 2
    assert Employee.objects.count() == before

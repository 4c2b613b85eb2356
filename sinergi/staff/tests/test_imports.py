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


def test_a_file_that_makes_a_supervisor_loop_imports_nothing_and_names_the_chain(people, units):
    from sinergi.core.errors import ApplicationError
    from sinergi.core.tabular import services as tabular

    header = [*HEADER, "jabatan"]
    kabid, worker = people.e_kabid, people.e_worker_a
    content = xlsx_bytes(
        [
            header,
            # the head of division, supervised from now on by an employee below them
            [kabid.nip, kabid.name, "PNS", "", "bidang-rehsos", worker.nip, "01-01-2020", "Kabid"],
            ["198507222010012015", "Baru", "PNS", "III/a", "upt-rsbd-pasuruan", "", "01-01-2024", ""],
        ]
    )  # fmt: skip
    batch = upload_and_validate(
        actor=people.hr, spec_code="staff.employees", name="loop.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.VALIDATED  # each row is fine on its own
    with pytest.raises(ApplicationError) as error:
        tabular.batch_apply(actor=people.hr, batch_id=batch.pk)
    assert "Kabid Rehsos → Pegawai A → Kepala UPT A → Kabid Rehsos" in error.value.message
    assert "baris 2" in error.value.message
    kabid.refresh_from_db()
    assert kabid.supervisor_id == people.e_head.pk
    assert kabid.position == ""
    assert not Employee.objects.filter(name="Baru").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED

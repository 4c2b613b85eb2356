"""Members imported through the core import engine (every row checked, applied whole or not at
all, a second import changes nothing) and exported in the same columns."""

import datetime as dt
from pathlib import Path

import pytest

from sinergi.core.identity import make_nik, make_nip
from sinergi.core.models import ImportBatch
from sinergi.core.tabular.testing import import_file, upload_and_validate, xlsx_bytes
from sinergi.pillars.models import Member
from sinergi.pillars.testing import make_member

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "contoh-impor-anggota.xlsx"
HEADER = [
    "jenis_pilar", "peran", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_kabupaten",
    "kode_kecamatan", "nomor_sk", "aktif_mulai", "kode_bank", "nomor_rekening",
    "nama_pemilik_rekening", "nip_pegawai",
]  # fmt: skip
BORN = dt.date(1990, 5, 17)


def _row(type_code, serial, name, district="35.78.01", account=None, holder=None, nip=""):
    return [
        type_code, "anggota", make_nik(district, BORN, "L", serial), name, "L", "17-05-1990",
        district[:5], district, "188/1/KPTS/2025", "01-01-2025", "114",
        account or f"{serial:010d}", holder or name, nip,
    ]  # fmt: skip


def _errors(batch):
    return [(e.get("row"), e.get("column"), e.get("message")) for e in batch.errors]


def test_the_sample_file_imports_and_a_second_import_changes_nothing(regions, officer):
    content = SAMPLE.read_bytes()
    batch = import_file(actor=officer, spec_code="pillars.members", name="a.xlsx", content=content)
    assert batch.created_count == 1
    member = Member.objects.get()
    assert (member.pillar_type.code, member.district_id, member.account_ready) == (
        "tksk",
        "35.78.01",
        True,
    )
    again = import_file(actor=officer, spec_code="pillars.members", name="a.xlsx", content=content)
    assert (again.created_count, again.unchanged_count) == (0, 1)
    assert Member.objects.count() == 1


def test_a_file_with_bad_rows_is_refused_whole_with_each_rows_problem(regions, units, officer):
    make_member(unit=units.empowerment_division, type_code="tksk", district="35.78.02")
    content = xlsx_bytes(
        [
            HEADER,
            _row("tagana", 11, "Benar Sekali"),
            _row("tksk", 12, "TKSK Satu"),
            _row("tksk", 13, "TKSK Dua"),  # the same kecamatan as the row above
            _row("tksk", 14, "TKSK Tiga", district="35.78.02"),  # taken by the registry
            _row("tagana", 15, "Pemilik Lain", holder="ORANG LAIN"),
            _row("tagana", 16, "Rekening Ganda", account=f"{11:010d}"),
            _row("tagana", 17, "Bukan JSC", nip=make_nip(BORN, dt.date(2015, 1, 1), "L", 1)),
            _row("hantu", 18, "Jenis Salah"),
        ]
    )
    batch = upload_and_validate(
        actor=officer, spec_code="pillars.members", name="x.xlsx", content=content
    )
    assert batch.status == ImportBatch.Status.INVALID
    rows = {row: (column, message) for row, column, message in _errors(batch)}
    assert sorted(rows) == [4, 5, 6, 7, 8, 9]
    assert rows[4][0] == "kode_kecamatan"
    assert "35.78.01" in rows[4][1]
    assert rows[5][0] == "kode_kecamatan"
    assert "35.78.02" in rows[5][1]
    assert rows[6][0] == "nama_pemilik_rekening"
    assert rows[7][0] == "nomor_rekening"
    assert rows[8][0] == "nip_pegawai"
    assert "Jatim Social Care" in rows[8][1]
    assert rows[9][0] == "jenis_pilar"
    assert "tksk" in rows[9][1]
    assert Member.objects.count() == 1


def test_a_jatim_social_care_member_is_imported_with_the_employee_link(regions, units, officer):
    from sinergi.staff.testing import make_employee

    nip = make_nip(BORN, dt.date(2015, 1, 1), "L", 3)
    employee = make_employee(units.upt_a, name="Pegawai UPT", nip=nip)
    content = xlsx_bytes([HEADER, _row("jatim-social-care", 21, "Pegawai UPT", nip=nip)])
    import_file(actor=officer, spec_code="pillars.members", name="j.xlsx", content=content)
    assert Member.objects.get().employee == employee


def test_the_export_holds_the_import_columns_and_the_employee_nip(regions, units, officer):
    from django.test import Client

    from sinergi.staff.testing import make_employee

    nip = make_nip(BORN, dt.date(2015, 1, 1), "L", 4)
    make_employee(units.upt_a, name="Pegawai UPT", nip=nip)
    import_file(
        actor=officer, spec_code="pillars.members", name="j.xlsx",
        content=xlsx_bytes([HEADER, _row("jatim-social-care", 22, "Pegawai UPT", nip=nip)]),
    )  # fmt: skip
    client = Client()
    client.force_login(officer)
    text = client.get("/pilar/ekspor/?format=csv").content.decode("utf-8-sig")
    header, line = text.strip().splitlines()
    assert header.split(";")[-1] == "NIP data pegawai"
    assert line.split(";")[-1] == nip
    assert make_nik("35.78.01", BORN, "L", 22) in line

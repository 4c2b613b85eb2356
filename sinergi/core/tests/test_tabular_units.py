"""The first user of the engine: organisation's "organisation.units" spec (organisation/imports.py).

Models are reached through the app registry: core's tests may not import other apps.
"""

import csv
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation

from sinergi.core.models import ImportBatch
from sinergi.core.tabular import registry
from sinergi.core.tabular.testing import csv_bytes, import_file, upload_and_validate, xlsx_bytes

DATA = Path(settings.BASE_DIR) / "sinergi" / "organisation" / "data"
Status = ImportBatch.Status


def model(name):
    return apps.get_model("organisation", name)


def events(action):
    return apps.get_model("audit", "AuditEvent").objects.filter(action=action)


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def reference_data(db):
    """Unit types, UPT types and the regencies the office file mentions."""
    unit_type, upt_type, region = model("UnitType"), model("UptType"), model("Region")
    with (DATA / "unit_types.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unit_type.objects.get_or_create(
                code=row["code"],
                defaults={"name": row["name"], "is_service_unit": row["is_service_unit"] == "true"},
            )
    with (DATA / "upt_types.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            upt_type.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
    region.objects.create(code="35", name="Jawa Timur", level=1)
    with (DATA / "units_jatim.csv").open(encoding="utf-8") as handle:
        codes = {row["regency_code"] for row in csv.DictReader(handle) if row["regency_code"]}
    for code in sorted(codes):
        region.objects.create(code=code, name=f"Kab/Kota {code}", level=2, parent_id="35")


def may_import_units(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="organisation", codename="import_unit")
    )
    return user


@pytest.fixture
def importer(make_user):
    """Office-wide scope (like the system administrator, without its 2FA)."""
    return may_import_units(make_user("head_of_office", None, username="admin-unit"))


def office_file() -> bytes:
    return (DATA / "units_jatim.csv").read_bytes()


def test_the_spec_is_discovered_from_the_organisation_app():
    spec = registry.get("organisation.units")
    assert spec is not None
    assert spec.permission == "organisation.import_unit"
    assert spec.natural_key == ("kode",)
    assert [c.key for c in spec.columns] == [
        "kode",
        "nama",
        "nama_singkat",
        "jenis_unit",
        "jenis_upt",
        "kode_induk",
        "kode_kab_kota",
        "alamat",
        "kapasitas",
    ]


def test_the_office_tree_file_with_english_headers_imports_parents_before_children(
    reference_data, importer
):
    batch = import_file(
        actor=importer,
        spec_code="organisation.units",
        name="units_jatim.csv",
        content=office_file(),
    )
    assert batch.meta["ignored_headers"] == ["source"]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (34, 0, 0)
    unit = model("Unit")
    assert unit.objects.count() == 34
    office = unit.objects.get(code="dinsos")
    jember = unit.objects.select_related("parent", "upt_type", "regency").get(
        code="upt-pstw-jember"
    )
    assert jember.parent.code == "bidang-rehsos"
    assert jember.upt_type.code == "PSTW"
    assert jember.regency_id == "35.09"
    assert jember.path.startswith(office.path)
    assert jember.depth == 2
    assert office.address == "Jl. Gayung Kebonsari 56B, Surabaya"
    assert events("organisation.unit_created").count() == 34
    assert events("core.import_applied").count() == 1


def test_reimporting_the_office_tree_changes_nothing(reference_data, importer):
    import_file(actor=importer, spec_code="organisation.units", name="a.csv", content=office_file())
    again = import_file(
        actor=importer, spec_code="organisation.units", name="a.csv", content=office_file()
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 34)
    assert events("organisation.unit_updated").count() == 0


def test_a_changed_row_updates_that_unit_only(reference_data, importer):
    import_file(actor=importer, spec_code="organisation.units", name="a.csv", content=office_file())
    content = office_file().replace(
        b"UPT PSTW Jember,PSTW Jember", b"UPT PSTW Jember Baru,PSTW Jember"
    )
    batch = import_file(
        actor=importer, spec_code="organisation.units", name="b.csv", content=content
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 33)
    assert model("Unit").objects.get(code="upt-pstw-jember").name == "UPT PSTW Jember Baru"
    assert events("organisation.unit_updated").get().changes == {
        "name": ["UPT PSTW Jember", "UPT PSTW Jember Baru"]
    }


HEADER = ["kode", "nama", "jenis_unit", "jenis_upt", "kode_induk", "kode_kab_kota", "kapasitas"]


def test_bad_rows_are_reported_and_nothing_is_written(reference_data, importer, units):
    rows = [
        HEADER,
        ["upt-baru", "UPT Baru", "upt", "PSTW", "bidang-rehsos", "35.09", 40],
        ["upt-salah", "UPT Salah", "kantor", "XYZ", "belum-ada", "99.99", -1],
        ["anak", "Anak", "bidang", None, "induk-nanti", None, None],
        ["induk-nanti", "Induk Nanti", "bidang", None, "dinsos", 35.09, None],
    ]
    before = model("Unit").objects.count()
    batch = upload_and_validate(
        actor=importer, spec_code="organisation.units", name="unit.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.status == Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, "jenis_unit"),
        (3, "jenis_upt"),
        (3, "kode_induk"),
        (3, "kode_kab_kota"),
        (3, "kapasitas"),
        (4, "kode_induk"),
        (5, "kode_kab_kota"),
    ]
    messages = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert messages[(3, "jenis_unit")] == (
        "Jenis unit “kantor” tidak dikenal. Gunakan salah satu dari: bidang, dinas, sekretariat, upt."
    )
    assert messages[(3, "kode_kab_kota")] == (
        "“99.99” bukan kode kabupaten/kota. Tulis kode Kemendagri kabupaten atau kota, mis. 35.78 "
        "untuk Kota Surabaya."
    )
    assert messages[(5, "kode_kab_kota")] == (
        "Kolom kode_kab_kota berisi angka, bukan teks: 35.09 kehilangan digit. Format kolom "
        "sebagai Teks lalu ketik ulang nilainya."
    )
    assert messages[(4, "kode_induk")] == (
        "Unit induk “induk-nanti” tidak ada dan tidak terdapat di baris sebelumnya dalam berkas "
        "ini. Periksa kodenya, atau pindahkan baris unit induk ke atas baris ini."
    )
    assert model("Unit").objects.count() == before


def test_a_missing_optional_column_leaves_the_stored_value(reference_data, importer):
    import_file(actor=importer, spec_code="organisation.units", name="a.csv", content=office_file())
    content = csv_bytes(
        [["kode", "nama", "jenis_unit"], ["dinsos", "Dinas Sosial Provinsi Jawa Timur", "dinas"]]
    )
    batch = import_file(
        actor=importer, spec_code="organisation.units", name="b.csv", content=content
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)
    office = model("Unit").objects.get(code="dinsos")
    assert office.address == "Jl. Gayung Kebonsari 56B, Surabaya"
    assert office.regency_id == "35.78"


def test_a_unit_moved_in_the_file_repaths_its_subtree(reference_data, importer):
    import_file(actor=importer, spec_code="organisation.units", name="a.csv", content=office_file())
    content = csv_bytes(
        [
            ["kode", "nama", "jenis_unit", "kode_induk"],
            ["bidang-rehsos", "Bidang Rehabilitasi Sosial", "bidang", "sekretariat"],
            ["upt-baru", "UPT Baru", "upt", "upt-pstw-jember"],
        ]
    )
    batch = import_file(
        actor=importer, spec_code="organisation.units", name="b.csv", content=content
    )
    assert (batch.created_count, batch.updated_count) == (1, 1)
    unit = model("Unit")
    jember = unit.objects.get(code="upt-pstw-jember")
    new = unit.objects.get(code="upt-baru")
    assert jember.path.startswith(unit.objects.get(code="sekretariat").path)
    assert new.path == f"{jember.path}{new.pk}/"


def test_a_division_head_imports_only_inside_the_division(units, reference_data, make_user):
    head = may_import_units(make_user("head_of_division", units.rehab_division, username="kabid"))
    rows = [
        ["kode", "nama", "jenis_unit", "kode_induk"],
        ["upt-baru", "UPT Baru", "upt", "bidang-rehsos"],
        ["upt-anak", "UPT Anak", "upt", "upt-baru"],
        ["bidang-lain", "Bidang Lain", "bidang", "dinsos"],
        ["sekretariat", "Sekretariat Baru", "sekretariat", "dinsos"],
    ]
    batch = upload_and_validate(
        actor=head, spec_code="organisation.units", name="a.csv", content=csv_bytes(rows)
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (4, "kode_induk"),
        (5, "kode"),
        (5, "kode_induk"),
    ]
    rows = rows[:3]
    batch = import_file(
        actor=head, spec_code="organisation.units", name="b.csv", content=csv_bytes(rows)
    )
    assert batch.created_count == 2


def test_a_refused_row_during_apply_names_the_row_and_rolls_back(reference_data, importer):
    import_file(actor=importer, spec_code="organisation.units", name="a.csv", content=office_file())
    count = model("Unit").objects.count()
    rows = [
        ["kode", "nama", "jenis_unit", "kode_induk"],
        ["upt-tambahan", "UPT Tambahan", "upt", "bidang-rehsos"],
        ["bidang-rehsos", "Bidang Rehabilitasi Sosial", "bidang", "upt-pstw-jember"],  # a loop
    ]
    batch = upload_and_validate(
        actor=importer, spec_code="organisation.units", name="b.csv", content=csv_bytes(rows)
    )
    from sinergi.core.errors import ApplicationError
    from sinergi.core.tabular import services

    with pytest.raises(ApplicationError) as info:
        services.batch_apply(actor=importer, batch_id=batch.pk)
    assert info.value.message.startswith("Tidak ada data yang diimpor: baris 3 (bidang-rehsos): ")
    assert model("Unit").objects.count() == count

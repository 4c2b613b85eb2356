"""The import engine end to end on a real table (organisation's Region, reached through the app
registry: core may not import other apps), with a set-based UpsertSpec like the big imports use."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.utils import translation
from python_calamine import CalamineWorkbook

from sinergi.core import tasks
from sinergi.core.errors import ApplicationError
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import (
    ApplyResult,
    Column,
    ImportSpec,
    RowError,
    UpsertSpec,
    registry,
    services,
)
from sinergi.core.tabular.testing import (
    csv_bytes,
    import_file,
    upload,
    upload_and_validate,
    xlsx_bytes,
)
from sinergi.core.tabular.workbooks import write_errors_xlsx, write_template_xlsx

Status = ImportBatch.Status


def region_model():
    return apps.get_model("organisation", "Region")


def audit_events():
    return apps.get_model("audit", "AuditEvent").objects.filter(action="core.import_applied")


class RegionImport(UpsertSpec):
    code = "test.regions"
    title = "Wilayah uji"
    permission = "organisation.view_region"
    natural_key = ("kode",)
    columns = (
        Column("kode", "Kode wilayah", kind="identity", max_length=13, aliases=("code",)),
        Column("nama", "Nama", max_length=120),
        Column("tingkat", "Tingkat", kind="int"),
        Column("induk", "Kode induk", kind="identity", required=False),
    )
    fields = ("code", "name", "level", "parent_id")
    key_fields = ("code",)
    sample_rows = ({"kode": "35", "nama": "Jawa Timur", "tingkat": 1},)

    @property
    def model(self):  # type: ignore[override]
        return region_model()

    def prepare(self, *, actor: Any) -> None:
        self.known = set(region_model().objects.values_list("code", flat=True))

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        parent = row["induk"]
        if parent and parent not in self.known:
            raise RowError(f"Induk {parent} tidak dikenal.", column="induk")
        self.known.add(row["kode"])
        return {
            "code": row["kode"],
            "name": row["nama"],
            "level": row["tingkat"],
            "parent_id": parent,
        }


class ExplodingImport(RegionImport):
    """Writes its rows, then fails: the whole batch must roll back."""

    code = "test.exploding"

    def apply(self, rows, *, actor, batch):
        result = super().apply(rows, actor=actor, batch=batch)
        assert result.created > 0
        raise ApplicationError("Gagal di tengah jalan.")


class CountingImport(ImportSpec):
    """A per-row spec (like the units import) that only counts."""

    code = "test.counting"
    title = "Hitung"
    permission = "organisation.view_region"
    natural_key = ("kode",)
    columns = (Column("kode", "Kode"), Column("jumlah", "Jumlah", kind="decimal", required=False))

    def apply(self, rows, *, actor, batch):
        return ApplyResult(created=len(list(rows)))


@pytest.fixture(autouse=True)
def _specs():
    for spec in (RegionImport(), ExplodingImport(), CountingImport()):
        registry.register(spec)
    with translation.override("id"):
        yield
    for code in ("test.regions", "test.exploding", "test.counting"):
        registry.unregister(code)


@pytest.fixture
def importer(make_user, units):
    user = make_user(None, units.office, username="pengimpor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="organisation", codename="view_region")
    )
    return user


HEADER = ["kode", "nama", "tingkat", "induk"]
ROWS = [
    ["35", "Jawa Timur", "1", ""],
    ["35.78", "Kota Surabaya", "2", "35"],
    ["35.14", "Kabupaten Pasuruan", "2", "35"],
]


def regions() -> list[tuple]:
    return list(
        region_model().objects.order_by("code").values_list("code", "name", "level", "parent_id")
    )


def test_valid_csv_is_checked_then_applied_in_one_go(importer):
    batch = upload_and_validate(
        actor=importer,
        spec_code="test.regions",
        name="wilayah.csv",
        content=csv_bytes([HEADER, *ROWS]),
    )
    assert batch.status == Status.VALIDATED
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (3, 3, 0)
    assert batch.preview[1] == ["35.78", "Kota Surabaya", "2", "35"]
    assert batch.meta["preview_headers"] == ["kode", "nama", "tingkat", "induk"]
    assert regions() == []  # nothing is written before apply

    batch = services.batch_apply(actor=importer, batch_id=batch.pk)

    assert batch.status == Status.APPLIED
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)
    assert regions() == [
        ("35", "Jawa Timur", 1, None),
        ("35.14", "Kabupaten Pasuruan", 2, "35"),
        ("35.78", "Kota Surabaya", 2, "35"),
    ]
    event = audit_events().get()
    assert event.target_id == str(batch.pk)
    assert event.extra == {
        "spec": "test.regions",
        "filename": "wilayah.csv",
        "sha256": batch.sha256,
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }


def test_reimporting_the_same_file_changes_nothing(importer):
    content = csv_bytes([HEADER, *ROWS])
    import_file(actor=importer, spec_code="test.regions", name="a.csv", content=content)
    before = regions()

    again = import_file(actor=importer, spec_code="test.regions", name="a.csv", content=content)

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert regions() == before


def test_changed_rows_are_updated_and_new_ones_created(importer):
    import_file(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    changed = [
        ["35", "Jawa Timur", "1", ""],
        ["35.78", "Kota Surabaya (ibu kota)", "2", "35"],
        ["35.14", "Kabupaten Pasuruan", "2", "35"],
        ["35.15", "Kabupaten Sidoarjo", "2", "35"],
    ]
    batch = import_file(
        actor=importer,
        spec_code="test.regions",
        name="b.xlsx",
        content=xlsx_bytes([HEADER, *changed]),
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 2)
    assert region_model().objects.get(code="35.78").name == "Kota Surabaya (ibu kota)"


def test_english_header_aliases_and_any_case_are_accepted(importer):
    content = csv_bytes([["CODE", "Nama", "Tingkat"], ["35", "Jawa Timur", "1"]])
    batch = import_file(actor=importer, spec_code="test.regions", name="a.csv", content=content)
    assert batch.created_count == 1


def test_duplicate_natural_keys_in_one_file_are_errors_on_the_later_rows(importer):
    content = csv_bytes([HEADER, *ROWS, ["35.78", "Surabaya lagi", "2", "35"]])
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=content
    )
    assert batch.status == Status.INVALID
    assert batch.errors == [
        {
            "row": 5,
            "column": "kode",
            "value": "35.78",
            "message": "kode “35.78” muncul lebih dari sekali dalam berkas ini (pertama kali di "
            "baris 3). Sisakan satu baris saja.",
        }
    ]
    assert batch.message == (
        "1 baris berisi kesalahan. Perbaiki di berkas Anda (atau unduh daftar kesalahannya) lalu "
        "unggah lagi; belum ada data yang diimpor."
    )
    assert not batch.staged_file
    with pytest.raises(ApplicationError, match="belum lolos pemeriksaan"):
        services.batch_apply(actor=importer, batch_id=batch.pk)
    assert regions() == []


def test_row_errors_name_the_row_column_value_and_the_fix(importer):
    content = csv_bytes([HEADER, ["35", "", "satu", ""], ["35.78", "Surabaya", "2", "99"]])
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=content
    )
    assert (batch.error_rows, batch.error_count, batch.valid_rows) == (2, 3, 0)
    assert [(e["row"], e["column"], e["value"]) for e in batch.errors] == [
        (2, "nama", ""),
        (2, "tingkat", "satu"),
        (3, "induk", "99"),
    ]
    assert batch.errors[2]["message"] == "Induk 99 tidak dikenal."


def test_identity_number_cell_that_lost_digits_is_a_row_error(importer):
    content = xlsx_bytes([HEADER, [3578010101900001, "Orang", 4, None]])
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.xlsx", content=content
    )
    assert batch.errors[0]["message"] == (
        "Kolom kode berisi angka, bukan teks: 3.58e+15 kehilangan digit. Format kolom sebagai "
        "Teks lalu ketik ulang nilainya."
    )


def test_missing_required_columns_are_named_with_the_expected_headers(importer):
    content = csv_bytes([["kode", "keterangan"], ["35", "x"]])
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=content
    )
    assert batch.status == Status.INVALID
    assert batch.message == (
        "Berkas tidak memiliki kolom wajib berikut: nama, tingkat. Judul kolom yang diharapkan: "
        "kode, nama, tingkat, induk. Tambahkan kolom tersebut (atau unduh templat) lalu unggah lagi."
    )


def test_headers_without_rows_are_reported(importer):
    batch = upload_and_validate(
        actor=importer,
        spec_code="test.regions",
        name="a.csv",
        content=csv_bytes([HEADER, ["", "", "", ""]]),
    )
    assert batch.status == Status.INVALID
    assert batch.message.startswith("Berkas berisi judul kolom tetapi tidak ada baris data.")


def test_stored_errors_are_capped_but_counted_exactly(importer, monkeypatch):
    monkeypatch.setattr(ImportBatch, "MAX_STORED_ERRORS", 5)
    rows = [[f"9{i}", "", "x", ""] for i in range(10)]
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *rows])
    )
    assert len(batch.errors) == 5
    assert batch.error_count == 20
    assert batch.error_rows == 10


def test_failure_during_apply_leaves_no_row_and_no_audit_event(importer):
    batch = upload_and_validate(
        actor=importer, spec_code="test.exploding", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    with pytest.raises(ApplicationError) as info:
        services.batch_apply(actor=importer, batch_id=batch.pk)
    assert info.value.message == (
        "Tidak ada data yang diimpor: Gagal di tengah jalan. Perbaiki berkas lalu unggah lagi, "
        "atau coba lagi."
    )
    assert regions() == []
    assert audit_events().count() == 0
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.message == info.value.message


def test_database_refusal_in_the_set_based_apply_rolls_everything_back(importer):
    rows = [*ROWS, ["35.15", "Tingkat negatif", "-2", "35"]]  # level is a positive column
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *rows])
    )
    assert batch.status == Status.VALIDATED
    with pytest.raises(ApplicationError, match="basis data menolak"):
        services.batch_apply(actor=importer, batch_id=batch.pk)
    assert regions() == []
    assert audit_events().count() == 0
    batch.refresh_from_db()
    assert batch.status == Status.FAILED


def test_a_batch_is_applied_only_once(importer):
    batch = import_file(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    with pytest.raises(ApplicationError, match="sudah diterapkan"):
        services.batch_apply(actor=importer, batch_id=batch.pk)
    assert audit_events().count() == 1


def test_only_the_uploader_applies_a_batch(importer, make_user, units):
    other = make_user(None, units.office, username="lain")
    other.user_permissions.add(*importer.user_permissions.all())
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    with pytest.raises(ApplicationError, match="Hanya pengunggah"):
        services.batch_apply(actor=other, batch_id=batch.pk)
    assert regions() == []


def test_upload_needs_the_spec_permission(make_user, units):
    stranger = make_user(None, units.office, username="tamu")
    with pytest.raises(ApplicationError, match="Peran Anda"):
        services.batch_create(
            actor=stranger, spec_code="test.regions", upload=upload("a.csv", b"kode\n1\n")
        )
    assert ImportBatch.objects.count() == 0


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_upload_is_refused_and_nothing_is_stored(importer, settings):
    imports_dir = Path(settings.MEDIA_ROOT) / "imports"
    before = sorted(imports_dir.rglob("*")) if imports_dir.exists() else []
    content = b"kode,nama,tingkat\n" + b"35,Jawa Timur,1\n" * 70_000  # about 1.1 MB
    with pytest.raises(ApplicationError) as info:
        services.batch_create(
            actor=importer, spec_code="test.regions", upload=upload("a.csv", content)
        )
    assert info.value.message.startswith("Ukuran berkas 1.1 MB; paling besar 1 MB")
    assert ImportBatch.objects.count() == 0
    after = sorted(imports_dir.rglob("*")) if imports_dir.exists() else []
    assert after == before


def test_not_a_spreadsheet_is_refused_at_upload(importer):
    with pytest.raises(ApplicationError, match="dokumen PDF, bukan spreadsheet"):
        services.batch_create(
            actor=importer, spec_code="test.regions", upload=upload("a.xlsx", b"%PDF-1.4 ...")
        )
    assert ImportBatch.objects.count() == 0


def test_the_upload_is_stored_with_its_hash_and_without_its_name_on_disk(importer):
    content = csv_bytes([HEADER, *ROWS])
    batch = services.batch_create(
        actor=importer, spec_code="test.regions", upload=upload("Data NIK Budi.csv", content)
    )
    import hashlib

    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert batch.size == len(content)
    assert batch.original_filename == "Data NIK Budi.csv"
    assert "Budi" not in batch.file.name
    assert batch.file.name.startswith("imports/")
    assert batch.file_format == "csv"
    assert batch.total_rows == 3


def test_big_files_are_validated_and_applied_in_the_background(
    importer, settings, django_capture_on_commit_callbacks
):
    settings.SINERGI = {**settings.SINERGI, "IMPORT_SYNC_MAX_ROWS": 2}
    batch = services.batch_create(
        actor=importer, spec_code="test.regions", upload=upload("a.csv", csv_bytes([HEADER, *ROWS]))
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.start_validation(actor=importer, batch=batch)
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == Status.VALIDATED

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claimed = tasks.start_apply(actor=importer, batch=batch)
        assert claimed.status == Status.APPLYING
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED
    assert batch.created_count == 3
    assert len(regions()) == 3


def test_small_files_are_validated_within_the_request(importer, django_capture_on_commit_callbacks):
    batch = services.batch_create(
        actor=importer, spec_code="test.regions", upload=upload("a.csv", csv_bytes([HEADER, *ROWS]))
    )
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.start_validation(actor=importer, batch=batch)
    assert callbacks == []
    batch.refresh_from_db()
    assert batch.status == Status.VALIDATED


def test_a_per_row_spec_receives_the_checked_rows(importer):
    content = csv_bytes([["kode", "jumlah"], ["a", "1.500.000,50"], ["b", ""]])
    batch = import_file(actor=importer, spec_code="test.counting", name="a.csv", content=content)
    assert batch.created_count == 2


def test_errors_workbook_has_the_original_values_the_row_and_the_message(importer, tmp_path):
    rows = [["35", "Jawa Timur", "1", ""], ["0035.78", "", "2", "35"]]
    content = xlsx_bytes([HEADER, *rows])
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.xlsx", content=content
    )
    buffer = io.BytesIO()
    with services.local_path(batch.file) as path:
        written = write_errors_xlsx(
            buffer, spec=RegionImport(), path=path, filename="a.xlsx", errors=batch.errors
        )
    assert written == 1
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0)
    assert sheet.to_python() == [
        ["Baris", "Kesalahan", "kode", "nama", "tingkat", "induk"],
        [3.0, "nama: nama kosong. Isi kolom ini: kolom ini wajib diisi.", "0035.78", "", "2", "35"],
    ]


def test_template_has_the_headers_the_samples_and_text_formatted_identity_columns():
    buffer = io.BytesIO()
    write_template_xlsx(buffer, spec=RegionImport())
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    data = workbook["Data"]
    assert [c.value for c in data[1]] == ["kode", "nama", "tingkat", "induk"]
    assert [c.value for c in data[2]] == ["35", "Jawa Timur", 1, None]
    assert data["A2"].number_format == "@"
    guide = workbook["Petunjuk"]
    assert guide["A1"].value == "Wilayah uji"
    assert [c.value for c in guide[4]] == ["Kolom", "Arti", "Wajib", "Cara mengisi"]


def test_a_background_apply_that_runs_twice_leaves_the_batch_applied(importer):
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    services.batch_mark_applying(actor=importer, batch_id=batch.pk)
    assert tasks.apply_import_batch.call(str(batch.pk))["created"] == 3
    assert tasks.apply_import_batch.call(str(batch.pk)) == {"status": Status.FAILED}
    batch.refresh_from_db()
    assert batch.status == Status.APPLIED
    assert audit_events().count() == 1


def test_a_claimed_batch_cannot_be_applied_again_from_the_page(importer):
    batch = upload_and_validate(
        actor=importer, spec_code="test.regions", name="a.csv", content=csv_bytes([HEADER, *ROWS])
    )
    services.batch_mark_applying(actor=importer, batch_id=batch.pk)
    with pytest.raises(ApplicationError, match="sedang diterapkan"):
        services.batch_apply(actor=importer, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.APPLYING
    assert regions() == []

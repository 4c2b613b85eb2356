"""The import pages: authorization matrix, the flow through the views, and pinned query counts."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from sinergi.core.models import ImportBatch
from sinergi.core.tabular.testing import csv_bytes, upload, upload_and_validate, xlsx_bytes

# core may not import other apps (import-linter); the shared test helpers are loaded by name.
_testing = importlib.import_module("sinergi.accounts.testing")
Expect = _testing.Expect
assert_authorization = _testing.assert_authorization

SPEC = "organisation.units"
Status = ImportBatch.Status
HEADER = ["kode", "nama", "jenis_unit", "kode_induk"]
GOOD = [HEADER, ["upt-baru", "UPT Baru", "upt", "bidang-rehsos"]]
BAD = [*GOOD, ["upt-lain", "UPT Lain", "kantor", "bidang-rehsos"]]


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def unit_codes():
    return sorted(apps.get_model("organisation", "Unit").objects.values_list("code", flat=True))


def may_import_units(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="organisation", codename="import_unit")
    )
    return user


@pytest.fixture
def people(units, make_user):
    class People:
        importer = may_import_units(make_user("head_of_office", units.office, username="pengimpor"))
        other_importer = may_import_units(
            make_user("head_of_office", units.office, username="pengimpor-lain")
        )
        no_permission = make_user("employee", units.upt_a, username="pegawai")

    return People


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(people, *, owner_status=200, anonymous=302):
    return [
        Expect("anonymous", None, anonymous),
        Expect("employee without any import permission", people.no_permission, 403),
        Expect("another importer (not the uploader)", people.other_importer, 404),
        Expect("the uploader", people.importer, owner_status),
    ]


@pytest.fixture
def valid_batch(people):
    return upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="unit.csv", content=csv_bytes(GOOD)
    )


@pytest.fixture
def invalid_batch(people):
    return upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="unit.xlsx", content=xlsx_bytes(BAD)
    )


# --- authorization ---------------------------------------------------------------------------


def test_upload_page_authorization(people):
    assert_authorization(
        url=reverse("core:import_upload", args=[SPEC]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee without imports", people.no_permission, 403),
            Expect("importer", people.importer, 200),
        ],
    )


def test_upload_post_authorization_changes_nothing_when_denied(people):
    url = reverse("core:import_upload", args=[SPEC])
    for user, status in [(None, 302), (people.no_permission, 403)]:
        client = client_for(user) if user else Client()
        response = client.post(url, {"file": upload("unit.csv", csv_bytes(GOOD))})
        assert response.status_code == status
    assert ImportBatch.objects.count() == 0


def test_unknown_import_type_is_not_found(people):
    response = client_for(people.importer).get(reverse("core:import_upload", args=["tidak.ada"]))
    assert response.status_code == 404


def test_template_authorization(people):
    assert_authorization(
        url=reverse("core:import_template", args=[SPEC]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee without imports", people.no_permission, 403),
            Expect("importer", people.importer, 200),
        ],
    )


def test_batch_page_authorization(people, valid_batch):
    assert_authorization(
        url=reverse("core:import_batch", args=[valid_batch.pk]), cases=matrix(people)
    )


def test_progress_authorization(people, valid_batch):
    assert_authorization(
        url=reverse("core:import_batch_progress", args=[valid_batch.pk]), cases=matrix(people)
    )


def test_errors_download_authorization(people, invalid_batch):
    assert_authorization(
        url=reverse("core:import_errors_xlsx", args=[invalid_batch.pk]), cases=matrix(people)
    )


def test_apply_authorization_and_denied_calls_change_nothing(people, valid_batch):
    def state():
        valid_batch.refresh_from_db()
        return (unit_codes(), valid_batch.status)

    assert_authorization(
        url=reverse("core:import_apply", args=[valid_batch.pk]),
        method="post",
        cases=matrix(people, owner_status=302),
        state=state,
    )
    assert "upt-baru" in unit_codes()


def test_list_authorization(people):
    assert_authorization(
        url=reverse("core:import_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee without imports", people.no_permission, 403),
            Expect("importer", people.importer, 200),
        ],
    )


def test_a_missing_batch_is_not_found_like_someone_elses(people):
    url = reverse("core:import_batch", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(people.importer).get(url).status_code == 404


def test_apply_needs_post(people, valid_batch):
    response = client_for(people.importer).get(reverse("core:import_apply", args=[valid_batch.pk]))
    assert response.status_code == 405
    assert "upt-baru" not in unit_codes()


# --- the flow through the pages --------------------------------------------------------------


def test_upload_page_lists_the_columns_and_links_the_template(people):
    response = client_for(people.importer).get(reverse("core:import_upload", args=[SPEC]))
    content = response.content.decode()
    assert "Unit kerja kantor" in content
    assert "<code>kode_kab_kota</code>" in content
    assert reverse("core:import_template", args=[SPEC]) in content
    assert 'enctype="multipart/form-data"' in content


def test_uploading_a_valid_file_shows_the_preview_and_the_apply_button(people):
    client = client_for(people.importer)
    response = client.post(
        reverse("core:import_upload", args=[SPEC]), {"file": upload("unit.csv", csv_bytes(GOOD))}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:import_batch", args=[batch.pk])
    assert batch.status == Status.VALIDATED
    page = client.get(response["Location"]).content.decode()
    assert "Semua baris lolos pemeriksaan." in page
    assert 'data-testid="apply-button"' in page
    assert "UPT Baru" in page  # the preview
    assert "hx-trigger" not in page  # nothing to poll

    response = client.post(reverse("core:import_apply", args=[batch.pk]), follow=True)
    assert "Impor diterapkan: 1 baru, 0 diperbarui, 0 tidak berubah." in response.content.decode()
    assert "upt-baru" in unit_codes()


def test_uploading_a_file_with_errors_shows_them_and_no_apply_button(people, invalid_batch):
    page = client_for(people.importer).get(reverse("core:import_batch", args=[invalid_batch.pk]))
    content = page.content.decode()
    assert 'data-testid="errors-table"' in content
    assert "Jenis unit “kantor” tidak dikenal." in content
    assert 'data-testid="apply-button"' not in content
    assert reverse("core:import_errors_xlsx", args=[invalid_batch.pk]) in content


def test_applying_a_batch_with_errors_is_refused(people, invalid_batch):
    response = client_for(people.importer).post(
        reverse("core:import_apply", args=[invalid_batch.pk]), follow=True
    )
    assert "belum lolos pemeriksaan" in response.content.decode()
    assert "upt-baru" not in unit_codes()


def test_errors_download_holds_the_rows_with_errors(people, invalid_batch):
    response = client_for(people.importer).get(
        reverse("core:import_errors_xlsx", args=[invalid_batch.pk])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert rows.to_python() == [
        ["Baris", "Kesalahan", *HEADER],
        [
            3.0,
            "jenis_unit: Jenis unit “kantor” tidak dikenal. Gunakan salah satu dari: bidang, "
            "dinas, sekretariat, upt.",
            "upt-lain",
            "UPT Lain",
            "kantor",
            "bidang-rehsos",
        ],
    ]


def test_errors_download_of_a_valid_batch_is_not_found(people, valid_batch):
    url = reverse("core:import_errors_xlsx", args=[valid_batch.pk])
    assert client_for(people.importer).get(url).status_code == 404


def test_wrong_file_type_is_refused_on_the_form(people):
    response = client_for(people.importer).post(
        reverse("core:import_upload", args=[SPEC]), {"file": upload("foto.jpg", b"\xff\xd8\xff")}
    )
    assert response.status_code == 400
    assert "“foto.jpg” bukan berkas spreadsheet." in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_pdf_named_xlsx_is_refused_on_the_form(people):
    response = client_for(people.importer).post(
        reverse("core:import_upload", args=[SPEC]), {"file": upload("unit.xlsx", b"%PDF-1.5 x")}
    )
    assert response.status_code == 400
    assert "dokumen PDF, bukan spreadsheet" in response.content.decode()
    assert ImportBatch.objects.count() == 0


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_file_is_refused_on_the_form(people):
    content = b"kode,nama,jenis_unit\n" + b"x,Nama,upt\n" * 100_000
    response = client_for(people.importer).post(
        reverse("core:import_upload", args=[SPEC]), {"file": upload("besar.csv", content)}
    )
    assert response.status_code == 400
    assert "paling besar 1 MB" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_running_batch_page_polls_the_progress_partial(people, valid_batch):
    ImportBatch.objects.filter(pk=valid_batch.pk).update(
        status=Status.VALIDATING, total_rows=200, processed_rows=50
    )
    client = client_for(people.importer)
    page = client.get(reverse("core:import_batch", args=[valid_batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "import-progress-25" in page
    partial = client.get(
        reverse("core:import_batch_progress", args=[valid_batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "HX-Refresh" not in partial


def test_progress_asks_for_a_refresh_once_done(people, valid_batch):
    response = client_for(people.importer).get(
        reverse("core:import_batch_progress", args=[valid_batch.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_list_shows_only_my_batches_and_an_empty_state_first(people):
    client = client_for(people.importer)
    empty = client.get(reverse("core:import_list")).content.decode()
    assert 'data-testid="empty-state"' in empty
    upload_and_validate(
        actor=people.other_importer, spec_code=SPEC, name="punya-orang.csv", content=csv_bytes(GOOD)
    )
    upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="punyaku.csv", content=csv_bytes(GOOD)
    )
    content = client.get(reverse("core:import_list")).content.decode()
    assert "punyaku.csv" in content
    assert "punya-orang.csv" not in content
    assert "Unit kerja kantor" in content


def test_same_file_applied_before_is_pointed_out(people):
    first = upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="a.csv", content=csv_bytes(GOOD)
    )
    client = client_for(people.importer)
    client.post(reverse("core:import_apply", args=[first.pk]))
    second = upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="a.csv", content=csv_bytes(GOOD)
    )
    page = client.get(reverse("core:import_batch", args=[second.pk])).content.decode()
    assert 'data-testid="same-file"' in page


def test_menu_shows_imports_only_to_importers(people):
    assert "Impor spreadsheet" in client_for(people.importer).get("/").content.decode()
    assert "Impor spreadsheet" not in client_for(people.no_permission).get("/").content.decode()


# --- query counts (do not grow with rows or batches) -----------------------------------------


def test_batch_page_queries_do_not_grow_with_rows_or_errors(people, django_assert_num_queries):
    small = upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="a.csv", content=csv_bytes(BAD)
    )
    rows = [HEADER] + [[f"x{i}", f"Unit {i}", "kantor", "bidang-rehsos"] for i in range(300)]
    big = upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="b.csv", content=csv_bytes(rows)
    )
    client = client_for(people.importer)
    client.get("/")
    for batch in (small, big):
        with django_assert_num_queries(PINNED["batch"]):
            client.get(reverse("core:import_batch", args=[batch.pk]))


def test_batch_page_query_count_is_pinned(people, valid_batch, django_assert_num_queries):
    client = client_for(people.importer)
    client.get("/")
    with django_assert_num_queries(PINNED["batch"]):
        client.get(reverse("core:import_batch", args=[valid_batch.pk]))


def test_list_page_query_count_is_pinned_and_does_not_grow(people, django_assert_num_queries):
    client = client_for(people.importer)
    client.get("/")
    upload_and_validate(
        actor=people.importer, spec_code=SPEC, name="a.csv", content=csv_bytes(GOOD)
    )
    with django_assert_num_queries(PINNED["list"]):
        client.get(reverse("core:import_list"))
    for i in range(5):
        upload_and_validate(
            actor=people.importer, spec_code=SPEC, name=f"{i}.csv", content=csv_bytes(GOOD)
        )
    with django_assert_num_queries(PINNED["list"]):
        client.get(reverse("core:import_list"))


def test_progress_query_count_is_pinned(people, valid_batch, django_assert_num_queries):
    client = client_for(people.importer)
    client.get("/")
    with django_assert_num_queries(PINNED["progress"]):
        client.get(
            reverse("core:import_batch_progress", args=[valid_batch.pk]), HTTP_HX_REQUEST="true"
        )


def test_upload_page_query_count_is_pinned(people, django_assert_num_queries):
    client = client_for(people.importer)
    client.get("/")
    with django_assert_num_queries(PINNED["upload"]):
        client.get(reverse("core:import_upload", args=[SPEC]))


# session, user, two-factor role check, user and role permissions (5), then the page's own: batch +
# same-file lookup, or the keyset page of batches; plus the layout's unread-notification count.
PINNED = {"batch": 7, "list": 6, "progress": 5, "upload": 5}


def test_errors_download_of_a_file_level_problem_holds_the_message(people):
    batch = upload_and_validate(
        actor=people.importer,
        spec_code=SPEC,
        name="salah.csv",
        content=csv_bytes([["kode", "catatan"], ["x", "y"]]),
    )
    assert batch.status == Status.INVALID
    response = client_for(people.importer).get(reverse("core:import_errors_xlsx", args=[batch.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert rows.to_python() == [
        ["Baris", "Kesalahan"],
        ["", batch.message],
    ]
    assert batch.message.startswith("Berkas tidak memiliki kolom wajib berikut: nama, jenis_unit.")

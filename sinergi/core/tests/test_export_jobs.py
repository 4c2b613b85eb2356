"""Export sources and export jobs: written at once or in the background, always as the requester,
re-checked when the job runs, audited once per export."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from python_calamine import CalamineWorkbook

from sinergi.core import exports, tasks
from sinergi.core.errors import ApplicationError
from sinergi.core.export_jobs import services
from sinergi.core.exports import ExportColumn, ExportSource, count_up_to, register_source
from sinergi.core.models import ExportJob

Status = ExportJob.Status
SOURCE = "test.numbers"
PERMISSION = "organisation.import_unit"  # a permission no role gets by default

# core may not import other apps (import-linter); the shared test helpers are loaded by name.
_testing = importlib.import_module("sinergi.accounts.testing")


def audit_events(action="core.data_exported"):
    return apps.get_model("audit", "AuditEvent").objects.filter(action=action)


def grant(user):
    app_label, codename = PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return apps.get_model("accounts", "User").objects.get(pk=user.pk)  # fresh permission cache


def numbers(viewer, params):
    """Rows that show whose scope they were read in (the viewer's username)."""
    return ({"n": i, "who": viewer.username} for i in range(1, int(params["rows"]) + 1))


NUMBERS = ExportSource(
    code=SOURCE,
    title="Angka uji",
    permission=PERMISSION,
    columns=[ExportColumn("n", "Nomor", kind="int"), ExportColumn("who", "Pengguna")],
    rows=numbers,
    count_hint=lambda viewer, params: int(params["rows"]),
    filename="angka",
)


@pytest.fixture(autouse=True)
def numbers_source():
    register_source(NUMBERS)
    yield NUMBERS
    exports.unregister_source(SOURCE)


@pytest.fixture
def exporter(units, make_user):
    return grant(make_user("head_of_office", units.office, username="pengekspor"))


def xlsx_rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def queued(actor, rows=3, file_format="xlsx"):
    return services.export_job_create(
        actor=actor,
        source_code=SOURCE,
        params={"rows": rows},
        file_format=file_format,
        estimated_rows=rows,
    )


# --- registry ------------------------------------------------------------------------------------


def test_a_source_needs_code_permission_and_columns():
    with pytest.raises(ValueError, match="needs code, permission and columns"):
        register_source(ExportSource(code="x", title="x", permission="", columns=[], rows=numbers))


def test_sources_for_lists_only_the_sources_whose_permission_the_user_holds(
    exporter, units, make_user
):
    assert SOURCE in [s.code for s in exports.sources_for(exporter)]
    no_role = make_user(None, units.upt_a)
    assert exports.sources_for(no_role) == []
    assert not exports.can_export_anything(no_role)


def test_a_timestamped_download_name_carries_the_local_time():
    import datetime as dt

    source = ExportSource(
        code="x", title="x", permission="p", columns=NUMBERS.columns, rows=numbers,
        filename="log-audit", timestamped=True,
    )  # fmt: skip
    at = dt.datetime(2025, 1, 31, 17, 5, tzinfo=dt.UTC)  # 00:05 on 1 Feb in Jakarta
    assert source.download_name("csv", at=at) == "log-audit-20250201-0005.csv"
    assert NUMBERS.download_name("xlsx") == "angka.xlsx"


def test_count_up_to_stops_counting_after_the_limit(units):
    unit_model = apps.get_model("organisation", "Unit")
    assert unit_model.objects.count() == 6
    assert count_up_to(unit_model.objects.all(), 3) == 4
    assert count_up_to(unit_model.objects.all(), 10) == 6


# --- written at once -----------------------------------------------------------------------------


def test_a_small_export_is_written_and_audited_once_with_source_filters_and_rows(exporter):
    buffer = io.BytesIO()
    count = services.export_write(
        actor=exporter, source_code=SOURCE, params={"rows": 3}, file_format="xlsx", fileobj=buffer
    )
    assert count == 3
    assert xlsx_rows(buffer.getvalue()) == [
        ["Nomor", "Pengguna"],
        [1.0, "pengekspor"],
        [2.0, "pengekspor"],
        [3.0, "pengekspor"],
    ]
    event = audit_events().get()
    assert event.actor_username == "pengekspor"
    assert event.kind == "security"
    assert event.extra == {"source": SOURCE, "filters": {"rows": 3}, "format": "xlsx", "rows": 3}


def test_an_export_of_personal_data_is_audited_as_a_read(exporter, numbers_source):
    import dataclasses

    register_source(dataclasses.replace(numbers_source, personal_data=True))
    services.export_write(
        actor=exporter, source_code=SOURCE, params={"rows": 1}, file_format="csv",
        fileobj=io.BytesIO(),
    )  # fmt: skip
    assert audit_events().get().kind == "read"


def test_a_csv_export_is_utf8_with_a_bom_and_semicolons(exporter):
    buffer = io.BytesIO()
    services.export_write(
        actor=exporter, source_code=SOURCE, params={"rows": 2}, file_format="csv", fileobj=buffer
    )
    text = buffer.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [
        ["Nomor", "Pengguna"],
        ["1", "pengekspor"],
        ["2", "pengekspor"],
    ]


def test_a_user_without_the_permission_cannot_export_and_nothing_is_audited(units, make_user):
    worker = make_user("social_worker", units.upt_a)
    with pytest.raises(ApplicationError) as error:
        services.export_write(
            actor=worker, source_code=SOURCE, params={"rows": 1}, file_format="xlsx",
            fileobj=io.BytesIO(),
        )  # fmt: skip
    assert error.value.code == "forbidden"
    assert not audit_events().exists()


def test_an_unknown_format_is_refused(exporter):
    with pytest.raises(ApplicationError, match=r"\.xlsx atau \.csv"):
        queued(exporter, file_format="pdf")
    assert ExportJob.objects.count() == 0


# --- background jobs -----------------------------------------------------------------------------


def test_a_job_is_queued_with_its_title_filters_and_download_name(exporter):
    job = queued(exporter, rows=5, file_format="csv")
    assert (job.status, job.title, job.params, job.filename) == (
        Status.QUEUED, "Angka uji", {"rows": 5}, "angka.csv",
    )  # fmt: skip
    assert job.estimated_rows == 5
    assert not job.file
    assert not audit_events().exists()  # audited when the file is made, with the real count


def test_a_job_writes_the_file_as_the_requester_and_is_audited_with_the_job(exporter):
    job = services.export_job_run(job_id=queued(exporter, rows=4).pk)
    assert job.status == Status.DONE
    assert (job.row_count, job.processed_rows, job.progress_percent) == (4, 4, 100)
    assert job.finished_at is not None
    assert job.started_at is not None
    assert job.file.name.startswith("exports/")
    assert job.file.name.endswith(f"{job.pk}.xlsx")
    with job.file.open("rb") as handle:
        rows = xlsx_rows(handle.read())
    assert rows[1:] == [[float(i), "pengekspor"] for i in range(1, 5)]
    event = audit_events().get()
    assert (event.target_type, event.target_id) == ("core.exportjob", str(job.pk))
    assert event.extra == {"source": SOURCE, "filters": {"rows": 4}, "format": "xlsx", "rows": 4}


def test_running_a_job_twice_writes_and_audits_it_once(exporter):
    job = queued(exporter)
    first = services.export_job_run(job_id=job.pk)
    second = services.export_job_run(job_id=job.pk)
    assert first.file.name == second.file.name
    assert second.status == Status.DONE
    assert audit_events().count() == 1


def test_the_job_checks_the_permission_again_when_it_runs(exporter):
    job = queued(exporter)
    exporter.user_permissions.clear()
    job = services.export_job_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert job.message == (
        "Peran Anda tidak boleh mengekspor data ini. Mintalah akses kepada administrator sistem."
    )
    assert not job.file
    assert not audit_events().exists()


def test_the_job_of_a_deactivated_account_fails(exporter):
    job = queued(exporter)
    type(exporter).objects.filter(pk=exporter.pk).update(is_active=False)
    assert services.export_job_run(job_id=job.pk).status == Status.FAILED


def test_the_job_of_a_source_that_no_longer_exists_fails_with_advice(exporter):
    job = queued(exporter)
    exports.unregister_source(SOURCE)
    job = services.export_job_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert "Buka lagi daftar" in job.message


def test_more_rows_than_one_sheet_holds_fails_with_advice_and_keeps_no_file(
    exporter, monkeypatch, settings
):
    monkeypatch.setattr(exports, "XLSX_MAX_DATA_ROWS", 3)
    job = services.export_job_run(job_id=queued(exporter, rows=4).pk)
    assert job.status == Status.FAILED
    assert job.message == (
        "Ekspor berisi lebih dari 3 baris, lebih banyak daripada yang dapat dimuat satu lembar "
        "Excel. Persempit filter, atau ekspor ke CSV."
    )
    assert not job.file
    assert list((settings.MEDIA_ROOT / "exports").rglob(f"{job.pk}*")) == []


def test_an_unexpected_error_fails_the_job_removes_its_file_and_is_raised(
    exporter, numbers_source, settings
):
    import dataclasses

    def broken(viewer, params):
        yield {"n": 1, "who": "a"}
        raise RuntimeError("database went away")

    register_source(dataclasses.replace(numbers_source, rows=broken))
    job = queued(exporter)
    with pytest.raises(RuntimeError):
        services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "kesalahan yang tidak terduga" in job.message
    assert not job.file
    assert not audit_events().exists()


def test_progress_is_saved_while_a_big_job_runs(exporter, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_SECONDS", 0)
    seen = []

    def watching(viewer, params):
        for i in range(1, 1201):
            if i in (700, 1100):
                seen.append(ExportJob.objects.get().processed_rows)
            yield {"n": i, "who": "x"}

    import dataclasses

    register_source(dataclasses.replace(NUMBERS, rows=watching))
    job = services.export_job_run(job_id=queued(exporter, rows=1200).pk)
    assert job.row_count == 1200
    assert seen == [500, 1000]


def test_repeating_a_job_queues_a_new_one_with_the_same_filters(exporter):
    first = services.export_job_run(job_id=queued(exporter, rows=2).pk)
    again = services.export_job_repeat(actor=exporter, job_id=first.pk)
    assert again.pk != first.pk
    assert (again.status, again.params, again.estimated_rows) == (Status.QUEUED, {"rows": 2}, 2)


def test_the_task_runs_the_job_after_the_transaction_commits(
    exporter, django_capture_on_commit_callbacks
):
    job = queued(exporter)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.start_export(job=job)
        job.refresh_from_db()
        assert job.status == Status.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_the_sync_limit_comes_from_the_settings(settings):
    assert exports.sync_limit() == 20_000
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 7}
    assert exports.sync_limit() == 7

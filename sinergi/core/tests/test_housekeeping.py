"""Housekeeping of imports and exports: old files deleted (rows and counts kept), stalled work
marked failed with advice; due behaviour, idempotent, nothing else touched."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sinergi.core import housekeeping
from sinergi.core.models import ExportJob, ImportBatch
from sinergi.core.tabular import services as import_services
from sinergi.core.tabular.testing import csv_bytes, upload_and_validate

pytestmark = pytest.mark.django_db

SPEC = "organisation.units"
GOOD = [
    ["kode", "nama", "jenis_unit", "kode_induk"],
    ["upt-baru", "UPT Baru", "upt", "bidang-rehsos"],
]
NOW = dt.datetime(2025, 6, 30, 3, 0, tzinfo=dt.UTC)


def audit_events(action):
    return apps.get_model("audit", "AuditEvent").objects.filter(action=action)


@pytest.fixture
def importer(units, make_user):
    user = make_user("head_of_office", units.office, username="pengimpor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="organisation", codename="import_unit")
    )
    return user


def batch(importer, *, days_old, status=None, minutes_idle=None):
    """A checked batch with its uploaded and staged files, created `days_old` days before NOW."""
    made = upload_and_validate(
        actor=importer, spec_code=SPEC, name="unit.csv", content=csv_bytes(GOOD)
    )
    assert made.status == ImportBatch.Status.VALIDATED
    fields = {"created_at": NOW - dt.timedelta(days=days_old)}
    fields["updated_at"] = (
        NOW - dt.timedelta(minutes=minutes_idle)
        if minutes_idle is not None
        else fields["created_at"]
    )
    if status is not None:
        fields["status"] = status
    ImportBatch.objects.filter(pk=made.pk).update(**fields)
    made.refresh_from_db()
    return made


def export_job(user, *, days_old, status=ExportJob.Status.DONE, minutes_idle=None, with_file=True):
    job = ExportJob.objects.create(
        requested_by=user,
        title="Log audit",
        source_code="audit.events",
        file_format="xlsx",
        filename="log-audit.xlsx",
        status=status,
        row_count=10 if status == ExportJob.Status.DONE else None,
    )
    if with_file:
        job.file.save("export.xlsx", ContentFile(b"PK fake"), save=True)
    created = NOW - dt.timedelta(days=days_old)
    idle = NOW - dt.timedelta(minutes=minutes_idle) if minutes_idle is not None else created
    ExportJob.objects.filter(pk=job.pk).update(created_at=created, updated_at=idle)
    job.refresh_from_db()
    return job


def exists(name):
    return bool(name) and default_storage.exists(name)


# --- old files -----------------------------------------------------------------------------------


def test_files_of_batches_older_than_the_retention_are_deleted_and_the_rows_kept(importer):
    old = batch(importer, days_old=31)
    old = import_services.batch_apply(actor=importer, batch_id=old.pk)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=31))
    names = [old.file.name, old.staged_file.name]
    assert all(exists(name) for name in names)

    message = housekeeping.purge_old_files(now=NOW)

    assert message == "files deleted: 1 import batch(es), 0 export job(s)"
    assert not any(exists(name) for name in names)
    old.refresh_from_db()
    assert old.files_purged_at == NOW
    assert (old.file.name, old.staged_file.name) == ("", "")
    assert (old.status, old.created_count, old.total_rows, old.sha256) == (
        ImportBatch.Status.APPLIED, 1, 1, old.sha256,
    )  # fmt: skip
    assert old.sha256


def test_recent_batches_and_running_ones_keep_their_files(importer):
    recent = batch(importer, days_old=29)
    running = batch(importer, days_old=40, status=ImportBatch.Status.VALIDATING, minutes_idle=5)
    housekeeping.purge_old_files(now=NOW)
    for kept in (recent, running):
        kept.refresh_from_db()
        assert kept.files_purged_at is None
        assert exists(kept.file.name)
        assert exists(kept.staged_file.name)


def test_the_retention_comes_from_the_settings(importer, settings):
    settings.SINERGI = {**settings.SINERGI, "IMPORT_FILE_RETENTION_DAYS": 7}
    week_old = batch(importer, days_old=8)
    housekeeping.purge_old_files(now=NOW)
    week_old.refresh_from_db()
    assert week_old.files_purged_at == NOW


def test_purging_twice_changes_nothing_more_and_audits_once(importer):
    old = batch(importer, days_old=60)
    housekeeping.purge_old_files(now=NOW)
    second = housekeeping.purge_old_files(now=NOW + dt.timedelta(days=1))
    assert second == "files deleted: 0 import batch(es), 0 export job(s)"
    old.refresh_from_db()
    assert old.files_purged_at == NOW
    event = audit_events("core.files_purged").get()
    assert event.actor is None
    assert event.extra == {
        "import_batches": 1,
        "export_jobs": 0,
        "import_retention_days": 30,
        "export_retention_days": 30,
    }


def test_purging_deletes_nothing_but_the_files_of_the_old_rows(importer, settings):
    old = batch(importer, days_old=60)
    recent = batch(importer, days_old=1)
    stranger = default_storage.save("imports/2025/01/not-a-batch.csv", ContentFile(b"a,b\n"))
    other_app = default_storage.save("rehabilitation/photo.jpg", ContentFile(b"\xff\xd8\xff"))
    housekeeping.purge_old_files(now=NOW)
    assert exists(stranger)
    assert exists(other_app)
    assert exists(recent.file.name)
    assert not exists(old.file.name)
    assert ImportBatch.objects.count() == 2


def test_a_file_already_gone_does_not_stop_the_purge(importer):
    old = batch(importer, days_old=60)
    default_storage.delete(old.file.name)
    housekeeping.purge_old_files(now=NOW)
    old.refresh_from_db()
    assert old.files_purged_at == NOW
    assert old.staged_file.name == ""


def test_an_old_checked_batch_cannot_be_applied_once_its_file_is_gone(importer):
    from sinergi.core.errors import ApplicationError

    old = batch(importer, days_old=60)
    housekeeping.purge_old_files(now=NOW)
    old.refresh_from_db()
    assert not old.can_apply
    with pytest.raises(ApplicationError) as error:
        import_services.batch_apply(actor=importer, batch_id=old.pk)
    assert error.value.message == (
        "Berkas unggahan ini sudah dihapus setelah 30 hari, seperti semua unggahan lama. "
        "Unggah berkas itu lagi untuk mengimpornya."
    )


def test_export_files_older_than_the_retention_are_deleted(importer):
    old = export_job(importer, days_old=31)
    recent = export_job(importer, days_old=2)
    failed = export_job(importer, days_old=31, status=ExportJob.Status.FAILED, with_file=False)
    old_name = old.file.name
    message = housekeeping.purge_old_files(now=NOW)
    assert message == "files deleted: 0 import batch(es), 2 export job(s)"
    assert not exists(old_name)
    assert exists(recent.file.name)
    old.refresh_from_db()
    failed.refresh_from_db()
    assert (old.file.name, old.files_purged_at, old.row_count) == ("", NOW, 10)
    assert failed.files_purged_at == NOW
    assert not old.can_download


def test_exports_may_be_kept_for_a_shorter_time(importer, settings):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_FILE_RETENTION_DAYS": 3}
    job = export_job(importer, days_old=4)
    imported = batch(importer, days_old=4)
    housekeeping.purge_old_files(now=NOW)
    job.refresh_from_db()
    imported.refresh_from_db()
    assert job.files_purged_at == NOW
    assert imported.files_purged_at is None


def test_the_page_of_a_purged_batch_says_the_file_is_gone(importer, client):
    old = batch(importer, days_old=60)
    housekeeping.purge_old_files(now=NOW)
    client.force_login(importer)
    html = client.get(f"/impor/batch/{old.pk}/").content.decode()
    assert 'data-testid="files-purged"' in html
    assert 'data-testid="apply-button"' not in html


# --- stalled work --------------------------------------------------------------------------------


def test_batches_without_progress_for_an_hour_are_failed_with_advice(importer):
    stalled = batch(importer, days_old=0, status=ImportBatch.Status.VALIDATING, minutes_idle=61)
    applying = batch(importer, days_old=0, status=ImportBatch.Status.APPLYING, minutes_idle=90)
    busy = batch(importer, days_old=0, status=ImportBatch.Status.VALIDATING, minutes_idle=59)
    done = batch(importer, days_old=0, status=ImportBatch.Status.VALIDATED, minutes_idle=600)

    message = housekeeping.fail_stalled_work(now=NOW)

    assert message == (
        "marked failed after 60 min without progress: 2 import batch(es), 0 export job(s)"
    )
    for failed in (stalled, applying):
        failed.refresh_from_db()
        assert failed.status == ImportBatch.Status.FAILED
        assert failed.message == (
            "Pengerjaan berkas ini berhenti sebelum selesai (kemungkinan server dimulai ulang). "
            "Tidak ada data yang diimpor. Unggah berkas itu lagi."
        )
    busy.refresh_from_db()
    done.refresh_from_db()
    assert busy.status == ImportBatch.Status.VALIDATING
    assert done.status == ImportBatch.Status.VALIDATED


def test_export_jobs_without_progress_are_failed_with_advice(importer):
    stalled = export_job(importer, days_old=0, status=ExportJob.Status.RUNNING, minutes_idle=75)
    waiting = export_job(importer, days_old=0, status=ExportJob.Status.QUEUED, minutes_idle=10)
    housekeeping.fail_stalled_work(now=NOW)
    stalled.refresh_from_db()
    waiting.refresh_from_db()
    assert stalled.status == ExportJob.Status.FAILED
    assert stalled.finished_at == NOW
    assert stalled.message == (
        "Penulisan ekspor ini berhenti sebelum selesai (kemungkinan server dimulai ulang). "
        "Mulai ekspor itu lagi."
    )
    assert waiting.status == ExportJob.Status.QUEUED


def test_failing_stalled_work_twice_changes_nothing_more_and_audits_once(importer, settings):
    settings.SINERGI = {**settings.SINERGI, "STALLED_WORK_MINUTES": 30}
    stalled = batch(importer, days_old=0, status=ImportBatch.Status.APPLYING, minutes_idle=31)
    housekeeping.fail_stalled_work(now=NOW)
    stalled.refresh_from_db()
    first_update = stalled.updated_at
    assert housekeeping.fail_stalled_work(now=NOW + dt.timedelta(hours=2)) == (
        "marked failed after 30 min without progress: 0 import batch(es), 0 export job(s)"
    )
    stalled.refresh_from_db()
    assert stalled.updated_at == first_update
    event = audit_events("core.stalled_work_failed").get()
    assert event.extra == {"import_batches": 1, "export_jobs": 0, "minutes": 30}


def test_a_stalled_batch_is_not_picked_up_again_by_a_late_worker(importer):
    stalled = batch(importer, days_old=0, status=ImportBatch.Status.UPLOADED, minutes_idle=120)
    housekeeping.fail_stalled_work(now=NOW)
    late = import_services.batch_validate(actor=None, batch_id=stalled.pk)
    assert late.status == ImportBatch.Status.FAILED


def test_progress_of_a_running_validation_counts_as_a_heartbeat(importer, monkeypatch):
    """The engine's progress updates move updated_at, so a long validation is not "stalled"."""
    monkeypatch.setattr(import_services, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(importlib.import_module("sinergi.core.tabular.engine"), "PROGRESS_EVERY", 1)
    heartbeats = []
    original = import_services.validate_sheet

    def watched(*args, on_progress, **kwargs):
        def progress(rows):
            on_progress(rows)
            heartbeats.append(ImportBatch.objects.values_list("updated_at", flat=True).get())

        return original(*args, on_progress=progress, **kwargs)

    monkeypatch.setattr(import_services, "validate_sheet", watched)
    rows = [GOOD[0]] + [[f"upt-{i}", f"UPT {i}", "upt", "bidang-rehsos"] for i in range(3)]
    testing = importlib.import_module("sinergi.core.tabular.testing")
    made = import_services.batch_create(
        actor=importer, spec_code=SPEC, upload=testing.upload("unit.csv", csv_bytes(rows))
    )
    long_ago = timezone.now() - dt.timedelta(days=1)
    ImportBatch.objects.filter(pk=made.pk).update(updated_at=long_ago)
    monkeypatch.setattr(
        ImportBatch, "save", lambda self, *a, **k: None
    )  # only the progress updates may touch the row while the rows are checked
    import_services.batch_validate(actor=importer, batch_id=made.pk)
    assert len(heartbeats) == 3
    assert all(moment > long_ago + dt.timedelta(hours=23) for moment in heartbeats)


# --- the schedule --------------------------------------------------------------------------------


def test_both_jobs_are_registered_with_the_scheduler():
    registry = importlib.import_module("sinergi.scheduling.registry")
    purge = registry.get("core.purge_old_files")
    stalled = registry.get("core.fail_stalled_work")
    assert (purge.call, purge.schedule_label) == (
        "sinergi.core.housekeeping.purge_old_files", "daily at 02:30",
    )  # fmt: skip
    assert (stalled.call, stalled.every) == (
        "sinergi.core.housekeeping.fail_stalled_work", dt.timedelta(minutes=15),
    )  # fmt: skip


def test_the_scheduler_runs_the_housekeeping_once_per_slot(importer):
    services = importlib.import_module("sinergi.scheduling.services")
    batch(importer, days_old=60)
    first = services.run_due(now=NOW, names=["core.purge_old_files"])
    again = services.run_due(now=NOW, names=["core.purge_old_files"])
    assert [(o.status, o.message) for o in first] == [
        ("succeeded", "files deleted: 1 import batch(es), 0 export job(s)")
    ]
    assert [o.status for o in again] == ["skipped"]

"""The audit log export on the background path (core export jobs): above EXPORT_SYNC_MAX_ROWS the
export becomes a job that only its requester sees and downloads; audited once as log_exported."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.core.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 2}


@pytest.fixture
def auditor(make_user, units):
    return make_user("auditor", units.office, username="auditor-satu")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _export_as_job(client, django_capture_on_commit_callbacks, fmt="xlsx", **query):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/audit/ekspor.{fmt}", query)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    job.refresh_from_db()
    return job


def test_a_big_audit_export_runs_as_a_job_with_the_same_rows_and_one_audit_event(
    auditor, small_limit, django_capture_on_commit_callbacks
):
    for i in range(3):
        audit.record(actor=auditor, action=f"test.job{i}")
    audit.record(actor=auditor, action="other.kept_out")
    client = _client(auditor)
    job = _export_as_job(client, django_capture_on_commit_callbacks, action="test.")

    assert (job.status, job.row_count, job.source_code) == ("done", 3, "audit.events")
    assert job.params == {"action": "test."}
    assert job.filename.startswith("log-audit-")
    assert job.filename.endswith(".xlsx")
    response = client.get(reverse("core:export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert f'filename="{job.filename}"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    actions = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert actions == ["test.job2", "test.job1", "test.job0"]
    exported = AuditEvent.objects.get(action="audit.log_exported")
    assert exported.kind == "security"
    assert exported.actor_username == "auditor-satu"
    assert exported.extra == {"filters": {"action": "test."}, "format": "xlsx", "rows": 3}


def test_a_small_audit_export_still_downloads_at_once(auditor, small_limit):
    audit.record(actor=auditor, action="test.one")
    response = _client(auditor).get("/audit/ekspor.csv", {"action": "test."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert ExportJob.objects.count() == 0


def test_only_the_requester_sees_and_downloads_the_audit_export_job(
    auditor, make_user, units, small_limit, django_capture_on_commit_callbacks
):
    for i in range(3):
        audit.record(actor=auditor, action=f"test.{i}")
    job = _export_as_job(_client(auditor), django_capture_on_commit_callbacks, fmt="csv")
    other_auditor = make_user("auditor", units.office)
    worker = make_user("social_worker", units.upt_a)
    for name in ("core:export_job", "core:export_job_download"):
        assert_authorization(
            url=reverse(name, args=[job.pk]),
            cases=[
                Expect("anonymous", None, 302),
                Expect("another auditor", other_auditor, 404),
                Expect("the auditor who asked", auditor, 200),
            ],
        )
    # A social worker may export units (so sees "My exports") but never this job.
    assert_authorization(
        url=reverse("core:export_job", args=[job.pk]),
        cases=[Expect("social worker", worker, 404)],
    )


def test_the_job_reads_the_log_in_the_requesters_scope(
    make_user, units, small_limit, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    scoped = make_user("head_of_division", units.rehab_division, username="kabid")
    scoped.user_permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    )
    inside = make_user("social_worker", units.upt_a)
    outside = make_user("social_worker", units.secretariat)
    for i in range(3):
        audit.record(actor=inside, action=f"test.inside{i}")
        audit.record(actor=outside, action=f"test.outside{i}")
    job = _export_as_job(_client(scoped), django_capture_on_commit_callbacks, action="test.")
    assert job.row_count == 3
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
        actions = sorted(row[4] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert actions == ["test.inside0", "test.inside1", "test.inside2"]


def test_an_auditor_who_lost_the_role_before_the_job_ran_gets_no_file(
    auditor, small_limit, django_capture_on_commit_callbacks
):
    for i in range(3):
        audit.record(actor=auditor, action=f"test.{i}")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _client(auditor).get("/audit/ekspor.xlsx")
    auditor.roles.clear()
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == "failed"
    assert not job.file
    assert not AuditEvent.objects.filter(action="audit.log_exported").exists()


def test_the_cap_still_refuses_before_any_job_is_made(auditor, small_limit, monkeypatch):
    from sinergi.audit import selectors

    monkeypatch.setattr(selectors, "EXPORT_MAX_ROWS", 2)
    for i in range(3):
        audit.record(actor=auditor, action=f"test.{i}")
    response = _client(auditor).get("/audit/ekspor.xlsx", {"action": "test."})
    assert response.status_code == 302
    assert response["Location"] == "/audit/?action=test."
    assert ExportJob.objects.count() == 0


def test_a_long_job_saves_its_progress_while_it_reads_the_log(
    auditor, small_limit, monkeypatch, django_capture_on_commit_callbacks
):
    """Progress updates run between the fetches of the log's server-side cursor (PostgreSQL)."""
    from sinergi.core.export_jobs import services as export_services

    monkeypatch.setattr(export_services, "PROGRESS_SECONDS", 0)
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=auditor, actor_username=auditor.username, action=f"test.bulk{i}")
        for i in range(2100)
    )
    seen = []
    original = export_services.ExportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        seen.append(kwargs)
        return queryset

    monkeypatch.setattr(export_services.ExportJob.objects, "filter", spy)
    job = _export_as_job(
        _client(auditor), django_capture_on_commit_callbacks, fmt="csv", action="test.bulk"
    )
    assert (job.status, job.row_count, job.processed_rows) == ("done", 2100, 2100)
    assert len([kwargs for kwargs in seen if set(kwargs) == {"pk"}]) == 4  # at 500 ... 2000 rows

"""The unit export on the background path (core export jobs, low EXPORT_SYNC_MAX_ROWS): the same
rows as the file at once, written in the requester's scope, audited as core.data_exported."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.core.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 2}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _rows(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_a_long_unit_list_is_exported_as_a_job_in_the_viewers_scope(
    people, small_limit, django_capture_on_commit_callbacks
):
    client = _client(people.division_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("organisation:unit_export"), {"format": "csv"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.row_count, job.filename) == ("done", 3, "unit-kerja.csv")
    assert job.params == {"search": "", "unit_type": "", "status": "active"}
    download = client.get(reverse("core:export_job_download", args=[job.pk]))
    rows = _rows(b"".join(download.streaming_content))
    assert [r["kode"] for r in rows] == ["bidang-rehsos", "upt-pstw-magetan", "upt-rsbd-pasuruan"]
    event = AuditEvent.objects.get(action="core.data_exported")
    assert (event.target_type, event.target_id) == ("core.exportjob", str(job.pk))
    assert event.extra == {
        "source": "organisation.units",
        "filters": {"search": "", "unit_type": "", "status": "active"},
        "format": "csv",
        "rows": 3,
    }


def test_the_job_keeps_the_list_filters(people, settings, django_capture_on_commit_callbacks):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 1}
    with django_capture_on_commit_callbacks(execute=True):
        _client(people.office_reader).get(
            reverse("organisation:unit_export"), {"type": "upt", "status": "all"}
        )
    job = ExportJob.objects.get()
    job.refresh_from_db()
    assert job.params == {"search": "", "unit_type": "upt", "status": "all"}
    assert (job.file_format, job.row_count) == ("xlsx", 2)


def test_a_short_unit_list_still_downloads_at_once_and_is_audited(people):
    response = _client(people.upt_reader).get(
        reverse("organisation:unit_export"), {"format": "csv"}
    )
    assert response.status_code == 200
    assert ExportJob.objects.count() == 0
    event = AuditEvent.objects.get(action="core.data_exported")
    assert event.extra["rows"] == 1
    assert event.extra["source"] == "organisation.units"

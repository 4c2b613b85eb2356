"""Compiling every report of a meeting into one PDF: in the request for a few units, a background
job with its progress for many, one job per double click, stalled and failed ones started again."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.meetings import services
from sinergi.meetings.models import Compilation
from sinergi.meetings.testing import signed_in

pytestmark = pytest.mark.django_db


def _queued(meeting, people, **fields):
    return Compilation.objects.create(
        meeting=meeting, requested_by=people["planner"], unit_count=3, **fields
    )


def test_a_finished_compilation_records_its_steps(meeting, people):
    compilation = services.compilation_request(actor=people["planner"], meeting=meeting)
    compilation.refresh_from_db()
    assert (compilation.status, compilation.step, compilation.progress) == ("done", "finished", 100)
    assert compilation.started_at is not None
    assert compilation.finished_at >= compilation.started_at
    assert compilation.file.read(4) == b"%PDF"


def test_the_job_moves_through_its_steps_visibly(meeting, people):
    compilation = _queued(meeting, people)
    seen = []
    real_pdf = services.compiled_pdf

    def watching(*args, **kwargs):
        row = Compilation.objects.get(pk=compilation.pk)  # what the polling page reads meanwhile
        seen.append((row.status, row.step, row.progress))
        return real_pdf(*args, **kwargs)

    with mock.patch.object(services, "compiled_pdf", watching):
        services.compilation_run(compilation_id=compilation.pk)
    assert seen == [("running", "laying_out", 15)]


def test_a_second_click_returns_the_compilation_being_written(meeting, people, settings):
    settings.SINERGI = {**settings.SINERGI, "MEETING_COMPILE_SYNC_MAX_UNITS": 1}
    running = _queued(meeting, people, status="running")
    again = services.compilation_request(actor=people["planner"], meeting=meeting)
    assert again.pk == running.pk
    assert Compilation.objects.count() == 1
    assert not AuditEvent.objects.filter(action="meetings.compiled").exists()


def test_a_stalled_compilation_is_marked_failed_and_replaced(meeting, people):
    stalled = _queued(meeting, people, status="running")
    Compilation.objects.filter(pk=stalled.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=61)
    )
    stalled.refresh_from_db()
    assert stalled.is_stalled
    page = signed_in(people["planner"]).get(f"/rakortek/kompilasi/{stalled.pk}/")
    assert 'data-testid="compilation-stalled"' in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()
    fresh = services.compilation_request(actor=people["planner"], meeting=meeting)
    stalled.refresh_from_db()
    assert fresh.pk != stalled.pk
    assert fresh.status == "done"
    assert stalled.status == "failed"
    assert stalled.message == "Penghimpunan berhenti sebelum selesai. Penghimpunan dimulai lagi."
    # a worker waking up late does not write the failed one after all
    assert services.compilation_run(compilation_id=stalled.pk).status == "failed"


def test_a_failure_is_shown_with_what_to_do(meeting, people):
    with mock.patch.object(services, "compiled_pdf", side_effect=OSError("disk")):
        compilation = services.compilation_request(actor=people["planner"], meeting=meeting)
    assert compilation.status == "failed"
    assert compilation.message == "PDF tidak dapat ditulis (OSError). Himpun lagi."
    content = signed_in(people["planner"]).get(f"/rakortek/kompilasi/{compilation.pk}/")
    text = content.content.decode()
    assert "PDF tidak dapat ditulis (OSError). Himpun lagi." in text
    assert 'data-testid="compile-again"' in text


def test_the_progress_fragment_polls_until_done_then_reloads_the_page(meeting, people):
    compilation = _queued(meeting, people, status="running", step="laying_out", progress=15)
    client = signed_in(people["planner"])
    page = client.get(f"/rakortek/kompilasi/{compilation.pk}/").content.decode()
    assert "Menata halaman" in page
    assert "import-progress-15" in page
    fragment = client.get(f"/rakortek/kompilasi/{compilation.pk}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="compilation-progress"')
    assert "HX-Refresh" not in fragment
    Compilation.objects.filter(pk=compilation.pk).update(status="done", progress=100)
    finished = client.get(f"/rakortek/kompilasi/{compilation.pk}/", headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_the_compilation_page_authorization_and_query_count(meeting, people):
    compilation = services.compilation_request(actor=people["planner"], meeting=meeting)
    url = f"/rakortek/kompilasi/{compilation.pk}/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT (did not ask for it)", people["head_a"], 404),
            Expect("head of office (reads, did not ask for it)", people["head"], 404),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    assert_authorization(
        url="/rakortek/kompilasi/00000000-0000-0000-0000-000000000000/",
        cases=[Expect("planning officer, no such compilation", people["planner"], 404)],
    )
    client = signed_in(people["planner"])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # session, user, roles and permissions of the request, then the compilation with its meeting
    assert len(queries) == 6, [q["sql"] for q in queries]


def test_compiling_is_audited_with_the_number_of_units(meeting, people):
    compilation = services.compilation_request(actor=people["planner"], meeting=meeting)
    event = AuditEvent.objects.get(action="meetings.compiled")
    assert event.target_id == str(meeting.pk)
    assert event.extra == {"compilation": str(compilation.pk), "units": 3}

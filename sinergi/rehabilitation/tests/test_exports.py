"""The client list export (filters, scope, NIK as text, audited, big ones as jobs) and the case
summary PDF (access-checked, read logged, what it shows)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.models import ExportJob
from sinergi.rehabilitation import services
from sinergi.rehabilitation.models import Instrument, RecordsAuditAction
from sinergi.rehabilitation.selectors.documents import case_summary
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

FULL = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return workbook.get_sheet_by_index(0).to_python()


@pytest.fixture
def clients(units, people):
    a1 = admit(units.upt_a, social_worker=people.worker_a, name="Aminah")
    a2 = admit(units.upt_a, social_worker=people.worker_a, name="Budi", sex="L")
    b1 = admit(units.upt_b, social_worker=people.worker_b, name="Citra")
    return a1, a2, b1


def test_export_page_authorization(people, clients):
    url = reverse("rehabilitation:client_export")
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker (no export right)", people.worker_a, 403),
            Expect("head of the UPT", people.head_a, 200),
            Expect("head of office", people.office, 200),
        ],
    )
    assert_authorization(
        url=url,
        method="post",
        data={"name": ""},
        state=lambda: AuditEvent.objects.filter(action=RecordsAuditAction.CLIENTS_EXPORTED).count(),
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker (no export right)", people.worker_a, 403),
            Expect("head of the division", people.division, 200),
        ],
    )


def test_export_holds_the_scope_and_filters_with_nik_as_text(people, clients):
    a1, _a2, _b1 = clients
    response = _http(people.head_a).post(reverse("rehabilitation:client_export"), {"name": ""})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="penerima-manfaat-')
    rows = _sheet(response)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["NIK", "Nomor KK", "Nama lengkap"]  # the page speaks Indonesian
    assert [r[2] for r in data] == ["Aminah", "Budi"]  # UPT A only, by name
    assert data[0][0] == a1.client.nik
    assert isinstance(data[0][0], str)
    upt_column = header.index("UPT")
    assert data[0][upt_column] == a1.unit.name
    # filters of the search: name contains
    response = _http(people.office).post(reverse("rehabilitation:client_export"), {"name": "itr"})
    assert [r[2] for r in _sheet(response)[1:]] == ["Citra"]
    event = AuditEvent.objects.filter(action=RecordsAuditAction.CLIENTS_EXPORTED).latest("id")
    assert (event.kind, event.extra["rows"], event.extra["filters"]) == (
        AuditEvent.Kind.READ,
        1,
        {"name": "itr"},
    )


def test_a_nik_filter_stays_out_of_the_audit_trail(people, clients):
    a1 = clients[0]
    response = _http(people.head_a).post(
        reverse("rehabilitation:client_export"), {"nik": a1.client.nik}
    )
    assert len(_sheet(response)) == 2
    event = AuditEvent.objects.filter(action=RecordsAuditAction.CLIENTS_EXPORTED).latest("id")
    assert a1.client.nik not in str(event.extra)


def test_a_big_export_runs_as_a_job(people, clients, settings):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 1}
    response = _http(people.office).post(reverse("rehabilitation:client_export"), {"name": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert (job.source_code, job.requested_by) == ("rehabilitation.clients", people.office)


def test_export_query_count_does_not_grow_with_rows(people, units):
    http = _http(people.head_a)
    url = reverse("rehabilitation:client_export")
    admit(units.upt_a, social_worker=people.worker_a, name="Satu")
    http.post(url, {"name": ""})
    with CaptureQueriesContext(connection) as one:
        http.post(url, {"name": ""})
    for n in range(4):
        admit(units.upt_a, social_worker=people.worker_a, name=f"Orang {n}")
    with CaptureQueriesContext(connection) as five:
        response = http.post(url, {"name": ""})
    assert len(_sheet(response)) == 6
    assert len(five) == len(one)


# --- Case summary PDF ------------------------------------------------------------------------


def _assess(people, case, on, answers):
    instrument = Instrument.objects.get(code="barthel", is_active=True)
    scores = {item.number: answers.get(item.number, 0) for item in instrument.items.all()}
    return services.assessment_record(
        actor=people.worker_a, case=case, instrument=instrument, assessed_on=on, scores=scores
    )


def test_case_summary_authorization_and_read_log(people, clients):
    case = clients[0]
    url = reverse("rehabilitation:case_summary_pdf", args=[case.pk])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("head of the division", people.division, 200),
        ],
    )
    response = _http(people.worker_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"ringkasan-kasus-{str(case.pk)[:8]}.pdf" in response["Content-Disposition"]
    events = AuditEvent.objects.filter(
        action=RecordsAuditAction.CASE_SUMMARY_PRINTED, target_id=str(case.pk)
    )
    assert events.count() == 2
    assert {e.kind for e in events} == {AuditEvent.Kind.READ}


def test_case_summary_shows_stages_adl_before_and_now(people, clients):
    case = clients[0]
    _assess(people, case, dt.date(2026, 1, 6), {1: 1, 5: 2, 8: 3})
    _assess(people, case, dt.date(2026, 2, 6), FULL)
    case = services.case_advance(
        actor=people.worker_a, case=case, expected_version=case.version, notes="Asesmen lengkap"
    )
    summary = case_summary(case=case)
    assert [e.kind for e in summary.events] == ["opened", "advanced"]
    assert (summary.adl_first.total_score, summary.adl_last.total_score) == (6, 20)
    html = render_to_string(
        "rehabilitation/case_summary_pdf.html",
        {"summary": summary, "case": case, "title": "Ringkasan", "office_name": "Dinsos"},
    )
    assert "Barthel Index before: 6" in html
    assert "now: 20" in html
    assert "Asesmen lengkap" in html
    assert case.client.nik in html


def test_case_summary_query_count_does_not_grow(people, clients):
    case = clients[0]
    _assess(people, case, dt.date(2026, 1, 6), FULL)
    with CaptureQueriesContext(connection) as one:
        case_summary(case=case)
    for day in range(7, 11):
        _assess(people, case, dt.date(2026, 1, day), FULL)
    with CaptureQueriesContext(connection) as five:
        case_summary(case=case)
    assert len(five) == len(one)

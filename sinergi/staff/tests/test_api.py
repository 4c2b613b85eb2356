import datetime as dt

import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.staff.models import MonthlyRealisation, MonthlySubmission
from sinergi.staff.testing import make_skp

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_endpoints_are_in_the_openapi_schema(people):
    paths = _client(people.hr).get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/staff/employees",
        "/api/v1/staff/employees/{employee_id}",
        "/api/v1/staff/skp",
        "/api/v1/staff/skp/{skp_id}",
        "/api/v1/staff/skp/{skp_id}/months/{month}",
        "/api/v1/staff/skp/{skp_id}/months/{month}/realisations",
        "/api/v1/staff/skp/{skp_id}/months/{month}/realisations/with-file",
        "/api/v1/staff/skp/{skp_id}/months/{month}/submit",
        "/api/v1/staff/compliance",
        "/api/v1/staff/compliance/trend",
    ]:
        assert path in paths, path


def test_employee_endpoints_authorization_and_scope(people):
    assert_authorization(
        url="/api/v1/staff/employees",
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", people.social_worker, 403),
            Expect("employee", people.worker_a, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    items = _client(people.head_a).get("/api/v1/staff/employees").json()["items"]
    assert sorted(i["name"] for i in items) == ["Kepala UPT A", "Pegawai A"]
    assert_authorization(
        url=f"/api/v1/staff/employees/{people.e_worker_a.pk}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("another employee", people.worker_b, 404),
            Expect("the supervisor", people.head_a, 200),
        ],
    )


def test_skp_endpoints_authorization(people):
    skp = make_skp(people.e_worker_a, 2026)
    assert_authorization(
        url=f"/api/v1/staff/skp/{skp.pk}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", people.social_worker, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("auditor", people.auditor, 200),
        ],
    )
    body = _client(people.worker_a).get(f"/api/v1/staff/skp/{skp.pk}").json()
    assert [r["number"] for r in body["rhks"]] == [1, 2]


def test_realisation_and_submit_through_the_api(people):
    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    rhk = skp.rhks.get()
    url = f"/api/v1/staff/skp/{skp.pk}/months/1/realisations"

    def state():
        return list(MonthlyRealisation.objects.values_list("realisation", flat=True))

    for who, user, status in [
        ("anonymous", None, 401),
        ("auditor", people.auditor, 403),
        ("another employee", people.worker_b, 404),
        ("the supervisor", people.head_a, 400),
    ]:
        assert_authorization(
            url=url, method="post", data={"rhk_id": rhk.pk, "realisation": "x"},
            content_type="application/json", cases=[Expect(who, user, status)], state=state,
        )  # fmt: skip
    client = _client(people.worker_a)
    response = client.post(
        url, {"rhk_id": rhk.pk, "realisation": "Selesai"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    response = client.post(f"/api/v1/staff/skp/{skp.pk}/months/1/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["on_time"] is False  # January 2026 was due by 5 February 2026
    assert MonthlySubmission.objects.get().due_on == dt.date(2026, 2, 5)


def test_compliance_endpoints_authorization(people, units):
    from sinergi.staff.services import compliance_refresh

    make_skp(people.e_worker_a, 2026)  # 2026 is a year of the summaries
    compliance_refresh()
    assert_authorization(
        url="/api/v1/staff/compliance?year=2026&month=1",
        cases=[
            Expect("anonymous", None, 401),
            Expect("employee", people.worker_a, 403),
            Expect("head of UPT", people.head_a, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    assert_authorization(
        url=f"/api/v1/staff/compliance?year=2026&month=1&unit={units.upt_b.pk}",
        cases=[Expect("head of another UPT", people.head_a, 404)],
    )
    body = _client(people.hr).get("/api/v1/staff/compliance?year=2026&month=1").json()
    assert body["total"]["expected"] == 7
    trend = _client(people.hr).get("/api/v1/staff/compliance/trend?year=2026").json()
    assert [r["unit_id"] for r in trend] == list(range(1, 13))


def test_an_evidence_file_through_the_api_gets_the_checks_of_the_page(people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    rhk = skp.rhks.get()
    url = f"/api/v1/staff/skp/{skp.pk}/months/1/realisations/with-file"

    def data(name, content):
        return {
            "rhk_id": rhk.pk,
            "realisation": "Selesai",
            "evidence_file": SimpleUploadedFile(name, content),
        }

    def state():
        return list(MonthlyRealisation.objects.values_list("evidence_file_name", flat=True))

    for who, user, status in [
        ("anonymous", None, 401),
        ("auditor", people.auditor, 403),
        ("another employee", people.worker_b, 404),
        ("the supervisor", people.head_a, 400),
    ]:
        assert_authorization(
            url=url, method="post", data=data("bukti.pdf", b"%PDF-1.4 x"),
            cases=[Expect(who, user, status)], state=state,
        )  # fmt: skip
    client = _client(people.worker_a)
    renamed = client.post(url, data("bukti.pdf", b"MZ\x90\x00 not a pdf"))
    assert renamed.status_code == 400
    assert "PDF" in renamed.json()["error"]["message"]
    settings.SINERGI = {**settings.SINERGI, "SKP_EVIDENCE_MAX_MB": 1}
    too_big = client.post(url, data("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024)))
    assert too_big.status_code == 400
    assert "1 MB" in too_big.json()["error"]["message"]
    assert state() == []
    response = client.post(url, data("bukti.pdf", b"%PDF-1.4 laporan"))
    assert response.status_code == 200, response.content
    assert response.json()["realisations"][0]["has_file"] is True
    assert state() == ["bukti.pdf"]
    row = MonthlyRealisation.objects.get()
    assert row.evidence_file_type == "application/pdf"
    assert row.evidence_file.read() == b"%PDF-1.4 laporan"


def test_the_skp_list_endpoint_is_scoped_to_the_chain(people):
    own = make_skp(people.e_worker_a, 2026)
    other = make_skp(people.e_worker_b, 2026)
    head = make_skp(people.e_head_a, 2026)
    assert_authorization(
        url="/api/v1/staff/skp",
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", people.social_worker, 403),
            Expect("employee", people.worker_a, 200),
        ],
    )

    def ids(user, query=""):
        return [i["id"] for i in _client(user).get(f"/api/v1/staff/skp{query}").json()["items"]]

    assert ids(people.worker_a) == [own.pk]
    assert ids(people.head_a) == [own.pk, head.pk]
    assert ids(people.kabid) == [own.pk, other.pk, head.pk]
    assert ids(people.hr, f"?employee={people.e_worker_b.pk}") == [other.pk]
    assert ids(people.hr, "?year=2025") == []


def test_the_month_endpoint_authorization(people):
    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    url = f"/api/v1/staff/skp/{skp.pk}/months/2"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", people.social_worker, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("the supervisor", people.head_a, 200),
        ],
    )
    body = _client(people.worker_a).get(url).json()
    assert (body["status"], body["due_on"], body["closed"]) == ("not_reported", "2026-03-05", False)
    assert _client(people.worker_a).get(f"/api/v1/staff/skp/{skp.pk}/months/13").status_code == 404


def test_submitting_a_month_through_the_api_is_the_employees_alone(people):
    from sinergi.staff import services

    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    services.realisation_save(
        actor=people.worker_a, skp=skp, month=1, rhk=skp.rhks.get(), realisation="ok",
        today=dt.date(2026, 2, 1),
    )  # fmt: skip

    def state():
        return list(MonthlySubmission.objects.values_list("status", "submitted_at"))

    for who, user, status in [
        ("anonymous", None, 401),
        ("auditor", people.auditor, 403),
        ("another employee", people.worker_b, 404),
        ("head of another UPT", people.head_b, 404),
        ("the supervisor", people.head_a, 400),
    ]:
        assert_authorization(
            url=f"/api/v1/staff/skp/{skp.pk}/months/1/submit",
            method="post",
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == [("draft", None)]


def test_the_compliance_trend_endpoint_authorization(people, units):
    assert_authorization(
        url="/api/v1/staff/compliance/trend?year=2026",
        cases=[
            Expect("anonymous", None, 401),
            Expect("employee", people.worker_a, 403),
            Expect("head of UPT", people.head_a, 200),
            Expect("auditor", people.auditor, 200),
        ],
    )
    assert_authorization(
        url=f"/api/v1/staff/compliance/trend?year=2026&unit={units.upt_b.pk}",
        cases=[
            Expect("head of another UPT", people.head_a, 404),
            Expect("head of the UPT", people.head_b, 200),
        ],
    )

"""API of the innovation registry (/api/v1/innovations/): registering an innovation of the
caller's unit, filters checked with an Indonesian message, the detail's query count fixed."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get, assert_error, bearer_headers
from sinergi.audit.models import AuditEvent
from sinergi.innovations import services
from sinergi.innovations.models import CompetitionStage, Innovation
from sinergi.innovations.testing import make_innovation

pytestmark = pytest.mark.django_db


def _payload(unit, **changes):
    payload = {
        "name": "Konseling Remaja Kuat Berkualitas",
        "acronym": "Kojak",
        "unit_id": unit.pk,
        "owner": "Tim Kojak",
        "problem": "Remaja putus sekolah butuh pendampingan.",
        "description": "Konseling individu dan kelompok terjadwal.",
        "started_on": "2021-08-02",
        "stage": "trial",
    }
    payload.update(changes)
    return payload


def _post(user, payload):
    headers = bearer_headers(user) if user is not None else {}
    return Client().post(
        "/api/v1/innovations/",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def _names():
    return sorted(Innovation.objects.values_list("name", flat=True))


def test_registering_through_the_api_is_authorized_and_audited(people, units):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/innovations/"]
    for who, user, status in [
        ("anonymous", None, 401),
        ("finance officer", people["finance"], 403),
        ("head of office (reads only)", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
    ]:
        before = _names()
        assert _post(user, _payload(units.upt_a)).status_code == status, who
        assert _names() == before, who
    response = _post(people["worker_a"], _payload(units.upt_a))
    assert response.status_code == 201
    body = response.json()
    assert (body["acronym"], body["unit_code"], body["stage"], body["is_published"]) == (
        "Kojak",
        "upt-rsbd-pasuruan",
        "trial",
        False,
    )
    innovation = Innovation.objects.get()
    assert innovation.created_by == people["worker_a"]
    assert AuditEvent.objects.filter(
        action="innovations.innovation_saved", target_id=str(innovation.pk)
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"stage": "pilot"},
            "stage",
            "Tahap tidak dikenal. Pakai salah satu dari: idea, trial, implemented, replicated.",
        ),
        ({"started_on": "2999-01-01"}, "started_on", "Tanggal mulai berada di masa depan."),
        ({"problem": "  "}, "problem", None),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_saved(
    people, units, changes, field, message
):
    error = assert_error(
        _post(people["worker_a"], _payload(units.upt_a, **changes)), 400, "invalid"
    )
    assert field in error["fields"]
    if message:
        assert error["message"] == message
    assert not Innovation.objects.exists()


def test_a_second_innovation_of_the_same_name_in_a_unit_is_refused(people, units):
    make_innovation(units.upt_a, name="Konseling Remaja Kuat Berkualitas")
    error = assert_error(_post(people["worker_a"], _payload(units.upt_a)), 400, "invalid")
    assert error["fields"]["name"] == [
        "Unit ini sudah punya inovasi dengan nama ini. Buka inovasi itu dan ubah."
    ]
    assert Innovation.objects.count() == 1


def test_an_unknown_stage_filter_is_refused(people):
    error = assert_error(api_get(people["head"], "/api/v1/innovations/", stage="x"), 400, "invalid")
    assert list(error["fields"]) == ["stage"]


def test_the_detail_authorization_and_query_count(people, units):
    innovation = make_innovation(units.upt_a)
    url = f"/api/v1/innovations/{innovation.pk}"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 401),
            Expect("finance officer", people["finance"], 403),
        ],
    )
    assert api_get(people["worker_b"], url).status_code == 404
    assert api_get(people["head"], url).status_code == 200
    with CaptureQueriesContext(connection) as bare:
        api_get(people["head"], url)
    stage = CompetitionStage.objects.get(code="submitted")
    for n in range(3):
        services.entry_add(
            actor=None,
            innovation=innovation,
            competition=f"Lomba {n}",
            year=2023,
            stage_reached=stage,
        )
    with CaptureQueriesContext(connection) as three:
        assert len(api_get(people["head"], url).json()["entries"]) == 3
    assert len(three) == len(bare)

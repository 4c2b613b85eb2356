import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.innovations import services
from sinergi.innovations.models import (
    CompetitionEntry,
    CompetitionStage,
    Evidence,
    Innovation,
    Stage,
)
from sinergi.innovations.testing import make_innovation

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    client.get("/inovasi/")
    return client


def test_stages_are_reference_data():
    assert list(Stage.objects.values_list("code", flat=True)) == [
        "idea",
        "trial",
        "implemented",
        "replicated",
    ]
    assert CompetitionStage.objects.filter(code="administrative").exists()


def test_staff_register_only_their_own_units_innovations(people, units):
    stage = Stage.objects.get(code="idea")
    with pytest.raises(ApplicationError):
        services.innovation_save(
            actor=people["worker_b"],
            name="X",
            unit=units.upt_a,
            problem="p",
            description="d",
            started_on=dt.date(2024, 1, 1),
            stage=stage,
        )
    assert not Innovation.objects.exists()
    innovation = services.innovation_save(
        actor=people["worker_a"],
        name="X",
        unit=units.upt_a,
        problem="p",
        description="d",
        started_on=dt.date(2024, 1, 1),
        stage=stage,
    )
    assert innovation.created_by == people["worker_a"]
    assert AuditEvent.objects.filter(action="innovations.innovation_saved").count() == 1


def test_a_future_start_date_is_refused(people, units):
    with pytest.raises(ApplicationError) as error:
        services.innovation_save(
            actor=people["worker_a"],
            name="X",
            unit=units.upt_a,
            problem="p",
            description="d",
            started_on=dt.date.today() + dt.timedelta(days=2),
            stage=Stage.objects.first(),
        )
    assert "started_on" in error.value.field_errors
    assert not Innovation.objects.exists()


def test_duplicate_competition_entry_is_refused_and_nothing_saved(innovation, people):
    stage = CompetitionStage.objects.get(code="administrative")
    services.entry_add(
        actor=people["worker_a"],
        innovation=innovation,
        competition="Kovablik",
        year=2022,
        stage_reached=stage,
    )
    with pytest.raises(ApplicationError):
        services.entry_add(
            actor=people["worker_a"],
            innovation=innovation,
            competition="Kovablik",
            year=2022,
            stage_reached=stage,
        )
    assert CompetitionEntry.objects.count() == 1


def test_evidence_needs_a_real_file_or_a_link(innovation, people):
    with pytest.raises(ApplicationError):
        services.evidence_add(actor=people["worker_a"], innovation=innovation, title="Foto")
    with pytest.raises(ApplicationError):
        services.evidence_add(
            actor=people["worker_a"],
            innovation=innovation,
            title="Foto",
            upload=SimpleUploadedFile("foto.png", b"GIF89a"),
        )
    assert not Evidence.objects.exists()
    evidence = services.evidence_add(
        actor=people["worker_a"],
        innovation=innovation,
        title="Proposal",
        upload=SimpleUploadedFile("proposal Budi.pdf", b"%PDF-1.5"),
    )
    assert "Budi" not in evidence.file.name


def test_publishing_is_for_the_planning_officer(innovation, people):
    with pytest.raises(ApplicationError):
        services.innovation_publish(actor=people["worker_a"], innovation=innovation, published=True)
    services.innovation_publish(actor=people["planner"], innovation=innovation, published=True)
    innovation.refresh_from_db()
    assert innovation.is_published


def test_internal_list_authorization_scope_and_query_count(innovation, people, units):
    make_innovation(units.upt_b, name="Gitarr Melani")
    assert_authorization(
        url="/inovasi/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people["finance"], 403),
            Expect("social worker", people["worker_a"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )
    content = _client(people["worker_a"]).get("/inovasi/").content.decode()
    assert "Pro Wes Difa" in content
    assert "Gitarr Melani" not in content
    client = _client(people["planner"])
    with CaptureQueriesContext(connection) as two:
        client.get("/inovasi/")
    for n in range(5):
        make_innovation(units.upt_b, name=f"Inovasi {n}")
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/inovasi/?tahap=implemented")
    assert response.content.decode().count("/inovasi/") > 7
    assert len(seven) == len(two)


def test_detail_and_edit_authorization(innovation, people):
    assert_authorization(
        url=f"/inovasi/{innovation.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people["finance"], 403),
            Expect("social worker of another UPT", people["worker_b"], 404),
            Expect("social worker of that UPT", people["worker_a"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )

    def state():
        return list(Innovation.objects.values_list("name", flat=True))

    data = {
        "name": "Pro Wes Difa 2",
        "unit": innovation.unit_id,
        "problem": "p",
        "description": "d",
        "started_on": "2019-01-01",
        "stage": Stage.objects.get(code="replicated").pk,
    }
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of office (reads only)", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
        ("social worker of that UPT", people["worker_a"], 302),
    ]:
        assert_authorization(
            url=f"/inovasi/{innovation.pk}/ubah/",
            method="post",
            data=data,
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == ["Pro Wes Difa 2"]


def test_publish_view_authorization(innovation, people):
    def state():
        return list(Innovation.objects.values_list("is_published", flat=True))

    assert_authorization(
        url=f"/inovasi/{innovation.pk}/terbitkan/",
        method="post",
        data={"published": "1"},
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of that UPT", people["worker_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 302),
        ],
        state=state,
    )
    assert state() == [True]


def test_public_pages_show_published_innovations_only_without_personal_data(innovation, units):
    hidden = make_innovation(units.upt_b, name="Belum terbit")
    services.innovation_publish(actor=None, innovation=innovation, published=True)
    client = Client()
    response = client.get("/inovasi/publik/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Pro Wes Difa" in content
    assert "Belum terbit" not in content
    detail = client.get(f"/inovasi/publik/{innovation.pk}/")
    assert detail.status_code == 200
    assert "Tim UPT" not in detail.content.decode()  # the innovator's name stays internal
    assert client.get(f"/inovasi/publik/{hidden.pk}/").status_code == 404


def test_public_list_query_count_is_fixed(units):
    client = Client()
    client.get("/inovasi/publik/")
    with CaptureQueriesContext(connection) as none:
        client.get("/inovasi/publik/")
    for n in range(4):
        services.innovation_publish(
            actor=None, innovation=make_innovation(units.upt_a, name=f"I{n}"), published=True
        )
    with CaptureQueriesContext(connection) as four:
        client.get("/inovasi/publik/")
    assert len(four) == len(none)


def test_parts_and_export_authorization(innovation, people):
    for url in (f"/inovasi/{innovation.pk}/indikator/", f"/inovasi/{innovation.pk}/lomba/"):
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("head of office", people["head"], 403),
                Expect("social worker of another UPT", people["worker_b"], 404),
                Expect("social worker of that UPT", people["worker_a"], 200),
            ],
        )
    client = _client(people["worker_a"])
    client.post(
        f"/inovasi/{innovation.pk}/indikator/",
        {"name": "Kunjungan", "before": "4", "after": "36", "unit_of_measure": "kunjungan"},
    )
    assert innovation.indicators.get().after == Decimal("36")
    assert_authorization(
        url="/inovasi/ekspor.xlsx",
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people["finance"], 403),
            Expect("social worker", people["worker_b"], 200),
        ],
    )


def test_evidence_download_is_access_checked(innovation, people):
    evidence = services.evidence_add(
        actor=None,
        innovation=innovation,
        title="Proposal",
        upload=SimpleUploadedFile("p.pdf", b"%PDF-1.5"),
    )
    assert_authorization(
        url=f"/inovasi/bukti/{evidence.pk}/unduh/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of another UPT", people["worker_b"], 404),
            Expect("social worker of that UPT", people["worker_a"], 200),
        ],
    )


def test_api_lists_scoped_innovations(innovation, people, units):
    make_innovation(units.upt_b, name="Gitarr Melani")
    assert_authorization(
        url="/api/v1/innovations/",
        cases=[
            Expect("anonymous", None, 401),
            Expect("finance officer", people["finance"], 403),
            Expect("social worker", people["worker_a"], 200),
        ],
    )
    items = api_get(people["worker_a"], "/api/v1/innovations/").json()["items"]
    assert [i["name"] for i in items] == ["Pro Wes Difa"]
    assert api_get(people["worker_b"], f"/api/v1/innovations/{innovation.pk}").status_code == 404
    data = api_get(people["worker_a"], f"/api/v1/innovations/{innovation.pk}").json()
    assert (data["acronym"], data["stage"]) == ("PWD", "implemented")
    api_get(people["planner"], "/api/v1/innovations/")
    with CaptureQueriesContext(connection) as two:
        api_get(people["planner"], "/api/v1/innovations/")
    for n in range(4):
        make_innovation(units.upt_b, name=f"N{n}")
    with CaptureQueriesContext(connection) as six:
        assert len(api_get(people["planner"], "/api/v1/innovations/").json()["items"]) == 6
    assert len(six) == len(two)


def test_the_register_page_authorization_and_units_outside_the_scope(people, units):
    assert_authorization(
        url="/inovasi/baru/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people["finance"], 403),
            Expect("head of office (reads only)", people["head"], 403),
            Expect("social worker", people["worker_a"], 200),
        ],
    )
    data = {
        "name": "Bombastis",
        "unit": units.upt_b.pk,
        "problem": "p",
        "description": "d",
        "started_on": "2021-03-01",
        "stage": Stage.objects.get(code="implemented").pk,
    }
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of office", people["head"], 403),
    ]:
        assert_authorization(
            url="/inovasi/baru/",
            method="post",
            data=data,
            cases=[Expect(who, user, status)],
            state=lambda: Innovation.objects.count(),
        )
    response = _client(people["worker_a"]).post("/inovasi/baru/", data)
    assert response.status_code == 200  # UPT B is not offered to UPT A's staff
    assert "unit" in response.context["form"].errors
    assert not Innovation.objects.exists()
    response = _client(people["worker_a"]).post("/inovasi/baru/", {**data, "unit": units.upt_a.pk})
    created = Innovation.objects.get()
    assert response["Location"] == f"/inovasi/{created.pk}/"
    assert created.unit == units.upt_a


def test_the_same_name_twice_in_a_unit_is_refused_in_indonesian(innovation, people):
    response = _client(people["worker_a"]).post(
        "/inovasi/baru/",
        {
            "name": "pro wes difa",
            "unit": innovation.unit_id,
            "problem": "p",
            "description": "d",
            "started_on": "2020-01-01",
            "stage": innovation.stage_id,
        },
    )
    assert response.context["form"].errors["name"] == [
        "Unit ini sudah punya inovasi dengan nama ini. Buka inovasi itu dan ubah."
    ]
    assert Innovation.objects.count() == 1


def test_the_public_detail_query_count_does_not_grow(innovation):
    services.innovation_publish(actor=None, innovation=innovation, published=True)
    client = Client()
    client.get(f"/inovasi/publik/{innovation.pk}/")
    with CaptureQueriesContext(connection) as bare:
        client.get(f"/inovasi/publik/{innovation.pk}/")
    stage = CompetitionStage.objects.get(code="submitted")
    for n in range(3):
        services.entry_add(
            actor=None,
            innovation=innovation,
            competition=f"Lomba {n}",
            year=2023,
            stage_reached=stage,
        )
        services.evidence_add(
            actor=None, innovation=innovation, title=f"Berita {n}", link="https://example.org/"
        )
    with CaptureQueriesContext(connection) as more:
        content = client.get(f"/inovasi/publik/{innovation.pk}/").content.decode()
    assert content.count("Lomba ") == 3
    assert len(more) == len(bare)

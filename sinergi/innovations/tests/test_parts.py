"""Changing and removing what an innovation carries: effect indicators, competition entries (how
far an entry got, as the competition goes on) and evidence. The unit's staff only; audited;
refused input saves nothing and says what to fix in Indonesian."""

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.innovations import services
from sinergi.innovations.models import CompetitionEntry, CompetitionStage, EffectIndicator, Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def innovation(innovation):
    """Pro Wes Difa with one effect indicator and its Kovablik 2022 entry."""
    services.indicator_add(
        actor=None,
        innovation=innovation,
        name="Kunjungan edukasi per tahun",
        before=Decimal("4"),
        after=Decimal("36"),
        unit_of_measure="kunjungan",
    )
    services.entry_add(
        actor=None,
        innovation=innovation,
        competition="Kovablik Jawa Timur",
        year=2022,
        stage_reached=CompetitionStage.objects.get(code="administrative"),
    )
    return innovation


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _entries():
    return list(
        CompetitionEntry.objects.order_by("id").values_list(
            "competition", "year", "stage_reached__code", "result"
        )
    )


def _indicators():
    return list(EffectIndicator.objects.order_by("id").values_list("name", "before", "after"))


def test_an_entry_moves_on_to_the_top_45_and_the_change_is_audited(innovation, people):
    entry = innovation.entries.get()
    url = f"/inovasi/lomba/{entry.pk}/ubah/"
    top = CompetitionStage.objects.get(code="top")
    data = {
        "competition": "Kovablik Jawa Timur",
        "year": "2022",
        "stage_reached": top.pk,
        "result": "Top 45",
    }
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of office (reads only)", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=_entries
        )
    response = _signed_in(people["worker_a"]).post(url, data)
    assert response["Location"] == f"/inovasi/{innovation.pk}/"
    assert _entries() == [("Kovablik Jawa Timur", 2022, "top", "Top 45")]
    event = AuditEvent.objects.get(action="innovations.entry_changed")
    assert event.changes == {
        "stage_reached": ["administrative", "top"],
        "result": ["", "Top 45"],
    }
    assert event.target_id == str(innovation.pk)


def test_an_entry_cannot_be_changed_into_a_duplicate(innovation, people):
    second = services.entry_add(
        actor=None,
        innovation=innovation,
        competition="KIPP",
        year=2023,
        stage_reached=CompetitionStage.objects.get(code="submitted"),
    )
    before = _entries()
    response = _signed_in(people["worker_a"]).post(
        f"/inovasi/lomba/{second.pk}/ubah/",
        {
            "competition": "kovablik jawa timur",
            "year": "2022",
            "stage_reached": second.stage_reached_id,
            "result": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["competition"] == [
        "Inovasi ini sudah tercatat ikut kovablik jawa timur 2022."
    ]
    assert _entries() == before


def test_an_indicator_is_corrected_and_audited(innovation, people):
    indicator = innovation.indicators.get()
    url = f"/inovasi/indikator/{indicator.pk}/ubah/"
    data = {"name": indicator.name, "before": "4", "after": "52", "unit_of_measure": "kunjungan"}
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of office (reads only)", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=_indicators
        )
    page = _signed_in(people["worker_a"]).get(url)
    assert page.context["form"].initial["after"] == Decimal("36")
    _signed_in(people["worker_a"]).post(url, data)
    assert _indicators() == [("Kunjungan edukasi per tahun", Decimal("4"), Decimal("52"))]
    event = AuditEvent.objects.get(action="innovations.indicator_changed")
    assert event.changes == {"after": ["36.00", "52.00"]}  # the unchanged "before" is not listed


def test_a_too_large_value_is_refused_with_a_message(innovation, people):
    indicator = innovation.indicators.get()
    with pytest.raises(ApplicationError) as error:
        services.indicator_update(
            actor=people["worker_a"],
            indicator=indicator,
            name="x",
            before=Decimal("1"),
            after=Decimal("1e15"),
            unit_of_measure="orang",
        )
    assert list(error.value.field_errors) == ["after"]
    assert error.value.message == "Ada isian yang kosong atau tidak sah. Perbaiki lalu simpan lagi."
    assert _indicators() == [("Kunjungan edukasi per tahun", Decimal("4"), Decimal("36"))]


@pytest.mark.parametrize("kind", ["indikator", "lomba"])
def test_removing_asks_first_then_removes_and_audits(innovation, people, kind):
    part = innovation.indicators.get() if kind == "indikator" else innovation.entries.get()
    url = f"/inovasi/{kind}/{part.pk}/hapus/"
    state = _indicators if kind == "indikator" else _entries
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people["head"], 403),
            Expect("social worker of another UPT", people["worker_b"], 404),
            Expect("social worker of that UPT", people["worker_a"], 200),
        ],
        state=state,
    )
    assert len(state()) == 1  # the GET only asks
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of office", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
        ("social worker of that UPT", people["worker_a"], 302),
    ]:
        assert_authorization(url=url, method="post", cases=[Expect(who, user, status)], state=state)
    assert state() == []
    action = "indicator_removed" if kind == "indikator" else "entry_removed"
    event = AuditEvent.objects.get(action=f"innovations.{action}")
    assert event.target_id == str(innovation.pk)
    assert all(new is None for _old, new in event.changes.values())


def test_removing_evidence_deletes_its_file_after_commit(
    innovation, people, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(
        actor=None,
        innovation=innovation,
        title="Proposal Kovablik",
        upload=SimpleUploadedFile("proposal.pdf", b"%PDF-1.5 isi"),
    )
    stored = evidence.file.name
    assert default_storage.exists(stored)
    assert_authorization(
        url=f"/inovasi/bukti/{evidence.pk}/hapus/",
        method="post",
        cases=[
            Expect("head of office", people["head"], 403),
            Expect("social worker of another UPT", people["worker_b"], 404),
        ],
        state=lambda: list(Evidence.objects.values_list("pk", flat=True)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _signed_in(people["worker_a"]).post(f"/inovasi/bukti/{evidence.pk}/hapus/")
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not default_storage.exists(stored)
    event = AuditEvent.objects.get(action="innovations.evidence_removed")
    assert event.changes == {"evidence": ["Proposal Kovablik", None]}


def test_the_evidence_page_authorization(innovation, people):
    assert_authorization(
        url=f"/inovasi/{innovation.pk}/bukti/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people["head"], 403),
            Expect("social worker of another UPT", people["worker_b"], 404),
            Expect("social worker of that UPT", people["worker_a"], 200),
        ],
    )
    for who, user, status in [
        ("head of office", people["head"], 403),
        ("social worker of another UPT", people["worker_b"], 404),
    ]:
        assert_authorization(
            url=f"/inovasi/{innovation.pk}/bukti/",
            method="post",
            data={"title": "Video", "link": "https://example.org/video"},
            cases=[Expect(who, user, status)],
            state=lambda: list(Evidence.objects.values_list("title", flat=True)),
        )
    response = _signed_in(people["worker_a"]).post(
        f"/inovasi/{innovation.pk}/bukti/", {"title": "Video", "link": "bukan alamat"}
    )
    assert response.context["form"].errors["link"]
    assert "alamat web" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_detail_page_query_count_does_not_grow_with_its_parts(innovation, people):
    client = _signed_in(people["worker_a"])
    client.get(f"/inovasi/{innovation.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/inovasi/{innovation.pk}/")
    for n in range(3):
        services.indicator_add(
            actor=None,
            innovation=innovation,
            name=f"Indikator {n}",
            before=Decimal(n),
            after=Decimal(n + 1),
            unit_of_measure="orang",
        )
        services.entry_add(
            actor=None,
            innovation=innovation,
            competition=f"Lomba {n}",
            year=2023,
            stage_reached=CompetitionStage.objects.get(code="submitted"),
        )
        services.evidence_add(
            actor=None, innovation=innovation, title=f"Berita {n}", link="https://example.org/"
        )
    with CaptureQueriesContext(connection) as many:
        content = client.get(f"/inovasi/{innovation.pk}/").content.decode()
    assert content.count('data-testid="edit-entry"') == 4
    assert len(many) == len(few)

"""SPM achievement (DOMAIN.md 3): people needing each provincial service entered per year, people
served entered by hand or counted from the rehabilitation cases of the UPT that deliver it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.performance import selectors, services
from sinergi.performance.models import Band, SpmFigure, SpmService

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(units):
    """Rehabilitation cases: two elderly clients in UPT PSTW Magetan admitted in 2026, one in
    2025 whose case is still open, and one disabled client in UPT RSBD Pasuruan (2026)."""
    from sinergi.rehabilitation.testing import admit, ensure_reference, ensure_regions

    ensure_regions()
    ensure_reference()
    admit(units.upt_b, admitted_on=dt.date(2026, 2, 1))
    admit(units.upt_b, admitted_on=dt.date(2026, 3, 1))
    admit(units.upt_b, admitted_on=dt.date(2025, 11, 1))
    admit(units.upt_a, admitted_on=dt.date(2026, 1, 10))
    return admit


def service(code):
    return SpmService.objects.get(code=code)


def figures():
    return list(
        SpmFigure.objects.order_by("service__sort_order").values_list(
            "service__code", "year", "needing", "served", "served_automatic"
        )
    )


def test_the_five_provincial_services_and_the_spm_bands_are_reference_data_with_a_source(db):
    rows = list(
        SpmService.objects.order_by("sort_order").values_list("code", "metric_code", "source")
    )
    assert [(code, metric) for code, metric, _source in rows] == [
        ("disabilitas-telantar", "rehabilitation.clients_served"),
        ("anak-telantar", "rehabilitation.clients_served"),
        ("lansia-telantar", "rehabilitation.clients_served"),
        ("gelandangan-pengemis", "rehabilitation.clients_served"),
        ("korban-bencana", ""),
    ]
    assert {source for _code, _metric, source in rows} == {"PP 2/2018 Ps 10 (DOMAIN.md 3.2)"}
    spm = Band.objects.filter(scheme="spm").order_by(F("minimum").desc(nulls_last=True))
    assert [(b.label, b.minimum) for b in spm] == [
        ("Tuntas Paripurna", Decimal("100.00")),
        ("Tuntas Utama", Decimal("80.00")),
        ("Tuntas Madya", Decimal("60.00")),
        ("Tuntas Pratama", Decimal("40.00")),
        ("Belum Tuntas", Decimal("20.00")),
        ("Tidak Tuntas", None),
    ]
    assert all("UNCONFIRMED" in b.source for b in spm)


def test_percentage_and_band_of_a_service_entered_by_hand(db):
    disaster = service("korban-bencana")
    services.spm_figure_save(actor=None, service=disaster, year=2026, needing=2600, served=2080)
    (row,) = selectors.spm_rows(year=2026, service_id=disaster.pk)
    assert (row.percent, row.band.label, row.metric) == (Decimal("80.00"), "Tuntas Utama", None)
    services.spm_figure_save(actor=None, service=disaster, year=2026, needing=2600, served=2600)
    (row,) = selectors.spm_rows(year=2026, service_id=disaster.pk)
    assert (row.percent, row.band.label) == (Decimal("100.00"), "Tuntas Paripurna")


def test_served_is_counted_from_the_rehabilitation_cases_of_the_lead_upt(units, cases):
    elderly = service("lansia-telantar")
    # the number typed for "served" is ignored: it is computed
    figure = services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6, served=999)
    assert (figure.served, figure.served_automatic) == (3, True)  # PSTW cases open in 2026
    disabled = services.spm_figure_save(
        actor=None, service=service("disabilitas-telantar"), year=2026, needing=2
    )
    assert disabled.served == 1  # the RSBD client only
    # no UPT of the children's types exists in the test tree: nothing to count
    children = services.spm_figure_save(
        actor=None, service=service("anak-telantar"), year=2026, needing=10, served=7
    )
    assert (children.served, children.served_automatic) == (None, True)
    rows = {r.service.code: r for r in selectors.spm_rows(year=2026)}
    assert (rows["lansia-telantar"].percent, rows["lansia-telantar"].band.label) == (
        Decimal("50.00"),
        "Tuntas Pratama",
    )
    assert rows["disabilitas-telantar"].percent == Decimal("50.00")
    assert rows["anak-telantar"].percent is None
    assert str(rows["lansia-telantar"].metric.label) == "Penerima manfaat yang dilayani di UPT"
    assert (
        services.spm_figure_save(actor=None, service=elderly, year=2025, needing=4).served == 1
    )  # 2025: the client admitted in November


def test_fill_follows_new_cases_and_is_audited_once(units, cases):
    elderly = service("lansia-telantar")
    services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6)
    assert services.spm_fill(year=2026) == 0  # already up to date
    cases(units.upt_b, admitted_on=dt.date(2026, 6, 1))
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert services.spm_fill(year=2026) == 1
    assert SpmFigure.objects.get(service=elderly).served == 4
    event = AuditEvent.objects.get(pk__gt=mark)
    assert event.action == "performance.spm_figure_saved"
    assert event.changes["served"] == [3, 4]
    assert services.spm_fill(year=2026) == 0


def test_the_daily_job_recounts_this_years_computed_figures(units, cases):
    from unittest import mock

    elderly = service("lansia-telantar")
    services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6)
    cases(units.upt_b, admitted_on=dt.date(2026, 6, 1))
    with mock.patch(
        "sinergi.performance.services.realisation.current_quarter", return_value=(2026, 3)
    ):
        message = services.scheduled_fill()
    assert message == "0 automatic realisations up to date, 1 SPM figures recounted"
    assert SpmFigure.objects.get(service=elderly).served == 4


def test_a_service_can_be_entered_by_hand_instead_and_back(units, cases):
    elderly = service("lansia-telantar")
    services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6)
    elderly = services.spm_service_save(actor=None, service=elderly, metric_code="")
    assert figures() == [("lansia-telantar", 2026, 6, 3, False)]  # kept, now as entered
    services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6, served=5)
    assert figures() == [("lansia-telantar", 2026, 6, 5, False)]
    elderly = services.spm_service_save(
        actor=None, service=elderly, metric_code="rehabilitation.clients_served"
    )
    assert figures() == [("lansia-telantar", 2026, 6, 3, True)]
    assert list(
        AuditEvent.objects.filter(action="performance.spm_service_saved")
        .order_by("pk")
        .values_list("changes", flat=True)
    ) == [
        {"metric_code": ["rehabilitation.clients_served", ""]},
        {"metric_code": ["", "rehabilitation.clients_served"]},
    ]


@pytest.mark.parametrize(
    ("code", "metric_code", "error"),
    [
        ("lansia-telantar", "nothing.such", "unknown_metric"),
        ("lansia-telantar", "rehabilitation.cases_handled", "unknown_metric"),  # per user
        ("korban-bencana", "rehabilitation.clients_served", "no_lead_units"),
    ],
)
def test_a_source_that_cannot_count_is_refused(units, code, metric_code, error):
    chosen = service(code)
    before = chosen.metric_code
    with pytest.raises(ApplicationError) as exc:
        services.spm_service_save(actor=None, service=chosen, metric_code=metric_code)
    assert exc.value.code == error
    assert service(code).metric_code == before


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"needing": -1}, "needing_missing"),
        ({"needing": 10, "served": -2}, "served_negative"),
        ({"needing": 10, "quality_score": Decimal("100.5")}, "quality_out_of_range"),
        ({"needing": 10, "year": 1999}, "invalid_year"),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_saved(db, fields, error):
    disaster = service("korban-bencana")
    services.spm_figure_save(actor=None, service=disaster, year=2026, needing=100, served=90)
    with pytest.raises(ApplicationError) as exc:
        services.spm_figure_save(actor=None, service=disaster, **{"year": 2026, **fields})
    assert exc.value.code == error
    assert figures() == [("korban-bencana", 2026, 100, 90, False)]


def test_only_planning_staff_enter_spm_figures(make_user, units):
    head = make_user("head_of_office", units.office)
    with pytest.raises(PermissionDenied):
        services.spm_figure_save(
            actor=head, service=service("korban-bencana"), year=2026, needing=1
        )
    with pytest.raises(PermissionDenied):
        services.spm_service_save(actor=head, service=service("lansia-telantar"), metric_code="")
    assert figures() == []
    assert service("lansia-telantar").metric_code == "rehabilitation.clients_served"


# --- pages --------------------------------------------------------------------------------------


def test_spm_page_authorization_and_figures(plan, people):
    disaster = service("korban-bencana")
    assert_authorization(
        url="/kinerja/spm/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("head of office", people["head"], 200),
            Expect("auditor", people["auditor"], 200),
        ],
    )
    url = f"/kinerja/spm/{disaster.pk}/2026/"
    data = {"needing": "400", "served": "310"}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=figures,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    assert figures() == []
    assert_authorization(
        url=url, method="post", data=data, cases=[Expect("planner", people["planner"], 302)]
    )
    assert figures() == [("korban-bencana", 2026, 400, 310, False)]
    client = Client()
    client.force_login(people["head"])
    content = client.get("/kinerja/spm/?tahun=2026").content.decode()
    # 310 / 400 = 77.5 %: the default bands (DOMAIN 3.4 option A) say "Tuntas Madya" (60-79)
    assert "77,50%" in content
    assert "Tuntas Madya" in content
    assert "Terlayani: dihitung dari “Penerima manfaat yang dilayani di UPT”" in content
    assert "Terlayani: diisi manual" in content


def test_spm_form_refuses_bad_figures_with_a_message(plan, people):
    client = Client()
    client.force_login(people["planner"])
    disaster = service("korban-bencana")
    response = client.post(f"/kinerja/spm/{disaster.pk}/2026/", {"needing": "-4"})
    assert response.status_code == 200
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 0" in response.content.decode()
    assert client.get(f"/kinerja/spm/{disaster.pk}/1999/").status_code == 404
    assert client.get("/kinerja/spm/999999/2026/").status_code == 404
    assert figures() == []


def test_computed_served_field_is_read_only_on_the_form(plan, people, units, cases):
    client = Client()
    client.force_login(people["planner"])
    elderly = service("lansia-telantar")
    response = client.get(f"/kinerja/spm/{elderly.pk}/2026/")
    assert 'name="served"' in response.content.decode()
    assert response.context["form"].fields["served"].disabled is True
    client.post(f"/kinerja/spm/{elderly.pk}/2026/", {"needing": "6", "served": "999"})
    assert figures() == [("lansia-telantar", 2026, 6, 3, True)]


def test_spm_fill_and_service_source_pages_authorization(plan, people, units, cases):
    elderly = service("lansia-telantar")
    services.spm_figure_save(actor=None, service=elderly, year=2026, needing=6)
    cases(units.upt_b, admitted_on=dt.date(2026, 6, 1))
    assert_authorization(
        url="/kinerja/spm/hitung/",
        method="post",
        data={"year": "2026"},
        state=figures,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planner", people["planner"], 302),
        ],
    )
    assert figures() == [("lansia-telantar", 2026, 6, 4, True)]
    # a nonsense year falls back to the page's year, never a server error
    client = Client()
    client.force_login(people["planner"])
    assert client.post("/kinerja/spm/hitung/", {"year": "dua ribu"}).status_code == 302

    def source():
        return SpmService.objects.get(pk=elderly.pk).metric_code

    url = f"/kinerja/spm/layanan/{elderly.pk}/"
    assert_authorization(
        url=url,
        method="post",
        data={"metric_code": ""},
        state=source,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    assert_authorization(url=url, cases=[Expect("planner reads the form", people["planner"], 200)])
    refused = client.post(
        f"/kinerja/spm/layanan/{service('korban-bencana').pk}/",
        {"metric_code": "rehabilitation.clients_served"},
    )
    assert refused.status_code == 200
    assert "Tidak ada UPT dengan jenis" in refused.content.decode()
    assert client.post(url, {"metric_code": ""}).status_code == 302
    assert source() == ""
    assert client.get("/kinerja/spm/layanan/999999/").status_code == 404

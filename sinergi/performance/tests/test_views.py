import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.performance import services
from sinergi.performance.models import PerformanceAgreement, PeriodLock, Realisation, Target
from sinergi.performance.testing import make_indicator

pytestmark = pytest.mark.django_db


def _entered(plan, quarter=1, value="40"):
    return services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=quarter,
        value=value,
        evidence_text="Register klien",
    )


def test_dashboard_authorization(plan, people):
    assert_authorization(
        url="/kinerja/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("planning officer", people["planner"], 200),
            Expect("head of office", people["head"], 200),
            Expect("auditor", people["auditor"], 200),
        ],
    )


def test_dashboard_shows_iku_and_units_with_bands_in_indonesian(plan, people, units):
    _entered(plan, quarter=1, value="45")
    client = Client()
    client.force_login(people["head"])
    response = client.get("/kinerja/?tahun=2026&triwulan=1")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Capaian Kinerja" in content
    assert "Persentase PPKS yang mandiri" in content
    assert units.upt_a.name in content
    # 45 of 50 = 90 %: "Baik" (above 75, not above 90)
    upt_a = next(s for s in response.context["summaries"] if s.unit_id == units.upt_a.pk)
    assert upt_a.average == Decimal("90.00")
    assert upt_a.indicators == 2
    assert upt_a.with_figure == 1


def test_dashboard_unit_filter_outside_scope_is_404(plan, people, units):
    client = Client()
    client.force_login(people["head_a"])
    assert client.get(f"/kinerja/?unit={units.upt_b.pk}").status_code == 404
    assert client.get(f"/kinerja/?unit={units.upt_a.pk}").status_code == 200


def test_dashboard_query_count_does_not_grow_with_indicators(plan, people, units):
    client = Client()
    client.force_login(people["head"])
    client.get("/kinerja/?tahun=2026")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/kinerja/?tahun=2026&triwulan=1").status_code == 200
        return len(ctx)

    before = count()
    for n in range(5):
        indicator = make_indicator(plan.period, units.upt_b, f"EXTRA-{n}")
        services.target_set(actor=None, indicator=indicator, year=2026, quarter=1, value="10")
        services.realisation_enter(
            actor=None, indicator=indicator, year=2026, quarter=1, value="5", evidence_text="x"
        )
    assert count() == before


def test_unit_page_authorization(plan, people, units):
    assert_authorization(
        url=f"/kinerja/unit/{units.upt_a.pk}/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of that UPT", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_unit_page_query_count_is_pinned(plan, people, units):
    client = Client()
    client.force_login(people["head_a"])
    url = f"/kinerja/unit/{units.upt_a.pk}/?tahun=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(4):
        make_indicator(plan.period, units.upt_a, f"MORE-{n}")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_indicator_page_authorization(plan, people):
    _entered(plan)
    assert_authorization(
        url=f"/kinerja/indikator/{plan.upt_a_served.pk}/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
            Expect("planning officer", people["planner"], 200),
        ],
    )


def test_realisation_entry_authorization(plan, people):
    def state():
        return list(Realisation.objects.order_by("pk").values_list("quarter", "value"))

    url = f"/kinerja/indikator/{plan.upt_a_served.pk}/realisasi/"
    data = {"year": "2026", "quarter": "2", "value": "90", "evidence_text": "Register"}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of office (reads only)", people["head"], 403),
            Expect("head of the division above (not the unit)", people["division"], 403),
            Expect("auditor", people["auditor"], 403),
        ],
    )
    assert state() == []
    assert_authorization(
        url=url,
        method="post",
        data=data,
        cases=[Expect("head of that UPT", people["head_a"], 302)],
    )
    assert state() == [(2, Decimal("90.0000"))]


def test_realisation_form_shows_the_refusal_and_saves_nothing(plan, people):
    services.period_lock(actor=None, year=2026, quarter=3)
    client = Client()
    client.force_login(people["head_a"])
    response = client.post(
        f"/kinerja/indikator/{plan.upt_a_served.pk}/realisasi/",
        {"year": "2026", "quarter": "3", "value": "90", "evidence_text": "Register"},
    )
    assert response.status_code == 200
    assert "ditutup" in response.content.decode()
    assert not Realisation.objects.exists()


def test_verify_and_unlock_authorization(plan, people):
    realisation = _entered(plan)

    def state():
        return list(Realisation.objects.values_list("verified", flat=True))

    url = f"/kinerja/realisasi/{realisation.pk}/verifikasi/"
    assert_authorization(
        url=url,
        method="post",
        state=state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT (enters, does not verify)", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    assert_authorization(
        url=url, method="post", cases=[Expect("planning officer", people["planner"], 302)]
    )
    assert state() == [True]
    unlock = f"/kinerja/realisasi/{realisation.pk}/buka/"
    assert_authorization(
        url=unlock,
        method="post",
        data={"reason": "Salah ketik angka"},
        state=state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_a"], 403),
            Expect("auditor", people["auditor"], 403),
        ],
    )
    assert_authorization(
        url=unlock,
        method="post",
        data={"reason": "Salah ketik angka"},
        cases=[Expect("planning officer", people["planner"], 302)],
    )
    assert state() == [False]


def test_verification_queue_authorization_and_query_count(plan, people, units):
    _entered(plan)
    assert_authorization(
        url="/kinerja/verifikasi/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    client = Client()
    client.force_login(people["planner"])
    client.get("/kinerja/verifikasi/")
    with CaptureQueriesContext(connection) as first:
        client.get("/kinerja/verifikasi/")
    for n in range(4):
        indicator = make_indicator(plan.period, units.upt_b, f"Q-{n}")
        services.realisation_enter(
            actor=None, indicator=indicator, year=2026, quarter=1, value="1", evidence_text="x"
        )
    with CaptureQueriesContext(connection) as second:
        response = client.get("/kinerja/verifikasi/")
    assert len(response.context["page"].items) == 5
    assert len(second) == len(first)


def test_period_lock_authorization(plan, people):
    def state():
        return list(PeriodLock.objects.values_list("year", "quarter"))

    assert_authorization(
        url="/kinerja/verifikasi/periode/",
        method="post",
        data={"year": "2026", "quarter": "1", "action": "lock"},
        state=state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 302),
        ],
    )
    assert state() == [(2026, 1)]


def test_plan_page_and_indicator_forms_authorization(plan, people, units):
    assert_authorization(
        url="/kinerja/rencana/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    assert_authorization(
        url="/kinerja/indikator/baru/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    assert_authorization(
        url=f"/kinerja/indikator/{plan.upt_a_served.pk}/target/2026/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )


def test_planner_creates_an_indicator_and_sets_targets(plan, people, units):
    client = Client()
    client.force_login(people["planner"])
    response = client.post(
        "/kinerja/indikator/baru/?tahun=2026",
        {
            "code": "UPT-B-9",
            "name": "Lansia yang mendapat layanan kesehatan rutin",
            "level": "unit",
            "unit": units.upt_b.pk,
            "unit_of_measure": "%",
            "polarity": "maximize",
            "quarter_mode": "cumulative",
            "sort_order": "100",
        },
    )
    assert response.status_code == 302
    indicator = plan.period.indicators.get(code="UPT-B-9")
    zero = client.post(f"/kinerja/indikator/{indicator.pk}/target/2026/", {"value_0": "0"})
    assert zero.status_code == 200
    assert "lebih dari nol" in zero.content.decode()
    assert not Target.objects.filter(indicator=indicator).exists()
    ok = client.post(
        f"/kinerja/indikator/{indicator.pk}/target/2026/", {"value_0": "95", "value_1": "90"}
    )
    assert ok.status_code == 302
    assert sorted(Target.objects.filter(indicator=indicator).values_list("quarter", "value")) == [
        (0, Decimal("95.0000")),
        (1, Decimal("90.0000")),
    ]


def test_agreement_pages_authorization(plan, people, units):
    agreement = services.agreement_draw(
        actor=None, unit=units.upt_a, year=2026, head_name="Saroni", head_position="Kepala UPT"
    )
    assert_authorization(
        url="/kinerja/pk/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_b"], 200),
        ],
    )
    assert_authorization(
        url=f"/kinerja/pk/{agreement.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
        ],
    )

    def state():
        return list(PerformanceAgreement.objects.values_list("status", flat=True))

    assert_authorization(
        url=f"/kinerja/pk/{agreement.pk}/tanda-tangan/",
        method="post",
        data={"signed_on": "2026-01-15"},
        state=state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 302),
        ],
    )
    assert state() == ["signed"]
    assert_authorization(
        url="/kinerja/pk/baru/",
        cases=[
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )


def test_agreement_pdf(plan, people, units):
    agreement = services.agreement_draw(
        actor=None, unit=units.upt_a, year=2026, head_name="Saroni", head_position="Kepala UPT"
    )
    services.agreement_sign(actor=None, agreement=agreement, signed_on=dt.date(2026, 1, 15))
    client = Client()
    client.force_login(people["head_a"])
    response = client.get(f"/kinerja/pk/{agreement.pk}/pk.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = Client()
    other.force_login(people["head_b"])
    assert other.get(f"/kinerja/pk/{agreement.pk}/pk.pdf").status_code == 404


def test_lkjip_downloads(plan, people, units):
    _entered(plan, quarter=4, value="120")
    client = Client()
    client.force_login(people["head"])
    pdf = client.get("/kinerja/lkjip/2026.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    html = client.get("/kinerja/lkjip/2026.html")
    assert html.status_code == 200
    assert "attachment" in html["Content-Disposition"]
    text = html.content.decode()
    assert "<script" not in text
    assert "Klien terlayani" in text
    # 120 of 200: 60 % -> "Kurang", a band that needs an explanatory note
    assert "Kurang" in text
    assert "menjelaskan" in text
    assert_authorization(
        url="/kinerja/lkjip/2026.html",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("auditor", people["auditor"], 200),
        ],
    )


def test_export_xlsx(plan, people):
    _entered(plan)
    client = Client()
    client.force_login(people["head_a"])
    response = client.get("/kinerja/capaian.xlsx?tahun=2026&triwulan=1")
    assert response.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    codes = [r[1] for r in rows[1:]]
    assert codes == ["UPT-A-1", "UPT-A-2"]  # only the UPT's own indicators
    assert rows[1][8] == 80  # 40 of 50


def test_band_pages_authorization(plan, people):
    from sinergi.performance.models import Band

    band = Band.objects.get(scheme="achievement", label="Baik")
    assert_authorization(
        url="/kinerja/predikat/",
        cases=[Expect("anonymous", None, 302), Expect("head of a UPT", people["head_a"], 200)],
    )
    assert_authorization(
        url=f"/kinerja/predikat/{band.pk}/ubah/",
        cases=[
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )


def test_evidence_download_authorization(plan, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    realisation = services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="40",
        evidence_file=SimpleUploadedFile("register.pdf", b"%PDF-1.4 bukti"),
    )
    assert_authorization(
        url=f"/kinerja/realisasi/{realisation.pk}/bukti/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    client = Client()
    client.force_login(people["head_a"])
    response = client.get(f"/kinerja/realisasi/{realisation.pk}/bukti/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bukti"
    assert "bukti-UPT-A-1-2026-tw1.pdf" in response["Content-Disposition"]


def test_compute_now_authorization(plan, people, units):
    from sinergi.core import metrics

    @metrics.register(code="testperf.view_fill", label="Uji", unit_of_measure="orang")
    def figure(query):
        return Decimal(3)

    try:
        indicator = make_indicator(
            plan.period, units.upt_a, "AUTO-V", metric_code="testperf.view_fill"
        )

        def state():
            return list(Realisation.objects.filter(indicator=indicator).values_list("quarter"))

        url = f"/kinerja/indikator/{indicator.pk}/hitung/"
        assert_authorization(
            url=url,
            method="post",
            data={"year": "2025"},
            state=state,
            cases=[
                Expect("anonymous", None, 302),
                Expect("head of that UPT", people["head_a"], 403),
                Expect("head of office", people["head"], 403),
            ],
        )
        assert_authorization(
            url=url,
            method="post",
            data={"year": "2025"},
            cases=[Expect("planning officer", people["planner"], 302)],
        )
        assert state() == [(1,), (2,), (3,), (4,)]  # a past year: all four quarters
    finally:
        metrics.unregister("testperf.view_fill")

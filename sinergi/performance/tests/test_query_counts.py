"""P11: the query count of every page of the performance app stays the same when the rows grow
(more indicators in more units, targets, realisation, budget links, agreements, SPM figures)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.performance import services
from sinergi.performance.models import Band, SpmService
from sinergi.performance.testing import make_indicator

pytestmark = pytest.mark.django_db


def _counted(sql):
    # the session middleware refreshes an idle session now and then: not the page's work
    return "django_session" not in sql and "SAVEPOINT" not in sql


def _fill(indicator, *, verify):
    services.target_set(actor=None, indicator=indicator, year=2026, quarter=0, value="100")
    services.target_set(actor=None, indicator=indicator, year=2026, quarter=1, value="25")
    services.target_set(actor=None, indicator=indicator, year=2025, quarter=0, value="90")
    for year, quarter, value in [(2025, 4, "80"), (2026, 1, "20")]:
        realisation = services.realisation_enter(
            actor=None,
            indicator=indicator,
            year=year,
            quarter=quarter,
            value=value,
            evidence_text="Register",
        )
        if verify:
            services.realisation_verify(actor=None, realisation=realisation)


def _grow(plan, units, budget, batch):
    """More of everything a page lists or sums."""
    goal = services.goal_save(actor=None, period=plan.period, code=f"T{batch}", statement="Tujuan")
    objective = services.objective_save(
        actor=None, goal=goal, code=f"S{batch}", statement="Sasaran"
    )
    subs = [budget.line_a.sub_kegiatan_id, budget.line_b.sub_kegiatan_id]
    for unit in (units.upt_a, units.upt_b, units.rehab_division, units.empowerment_division):
        for n in range(3):
            iku = unit == units.rehab_division and n == 0
            indicator = make_indicator(
                plan.period,
                unit,
                f"G{batch}-{unit.pk}-{n}",
                objective=objective,
                parent=None if iku else plan.iku,
                polarity=["maximize", "minimize", "maximize"][n],
                level="iku" if iku else "unit",
                sub_kegiatan_ids=subs,
            )
            _fill(indicator, verify=n % 2 == 0)
    services.agreement_draw(
        actor=None,
        unit=units.upt_b if batch == 1 else units.rehab_division,
        year=2026,
        head_name="Kepala",
        head_position="Kepala",
    )
    for service in SpmService.objects.filter(metric_code="")[:1]:
        services.spm_figure_save(
            actor=None, service=service, year=2026 - batch, needing=10, served=5
        )


def test_every_page_keeps_its_query_count_when_the_rows_grow(plan, people, units):
    from sinergi.budget.testing import make_small_budget

    budget = make_small_budget(units)
    services.indicator_save(
        actor=None,
        period=plan.period,
        unit=units.upt_a,
        code="UPT-A-1",
        name="Klien terlayani",
        unit_of_measure="orang",
        parent=plan.iku,
        objective=plan.objective,
        sub_kegiatan_ids=[budget.line_a.sub_kegiatan_id],
    )
    make_indicator(
        plan.period,
        units.rehab_division,
        "BID-1",
        objective=plan.objective,
        sub_kegiatan_ids=[budget.line_b.sub_kegiatan_id],
    )
    evidence = services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="40",
        evidence_file=SimpleUploadedFile("register.pdf", b"%PDF-1.4 bukti"),
    )
    agreement = services.agreement_draw(
        actor=None, unit=units.upt_a, year=2026, head_name="Saroni", head_position="Kepala UPT"
    )
    services.agreement_sign(actor=None, agreement=agreement, signed_on=dt.date(2026, 1, 5))
    disaster = SpmService.objects.get(code="korban-bencana")
    services.spm_figure_save(actor=None, service=disaster, year=2026, needing=100, served=90)
    band = Band.objects.get(scheme="achievement", label="Baik")
    served = plan.upt_a_served.pk
    pages = {
        "dashboard (year)": ("head", "/kinerja/?tahun=2026"),
        "dashboard (quarter)": ("planner", "/kinerja/?tahun=2026&triwulan=1"),
        "dashboard (one unit)": ("head", f"/kinerja/?tahun=2026&unit={units.rehab_division.pk}"),
        "unit": ("head_a", f"/kinerja/unit/{units.upt_a.pk}/?tahun=2026&triwulan=1"),
        "division": ("division", f"/kinerja/unit/{units.rehab_division.pk}/?tahun=2026"),
        "indicator": ("planner", f"/kinerja/indikator/{served}/?tahun=2026"),
        "realisation form": ("head_a", f"/kinerja/indikator/{served}/realisasi/"),
        "verification": ("planner", "/kinerja/verifikasi/?tahun=2026"),
        "plan": ("planner", "/kinerja/rencana/?tahun=2026"),
        "new indicator": ("planner", "/kinerja/indikator/baru/?tahun=2026"),
        "indicator form": ("planner", f"/kinerja/indikator/{served}/ubah/"),
        "targets": ("planner", f"/kinerja/indikator/{served}/target/2026/"),
        "period form": ("planner", f"/kinerja/rencana/periode/{plan.period.pk}/ubah/"),
        "new goal": ("planner", f"/kinerja/rencana/periode/{plan.period.pk}/tujuan/baru/"),
        "goal form": ("planner", f"/kinerja/rencana/tujuan/{plan.goal.pk}/ubah/"),
        "new objective": ("planner", f"/kinerja/rencana/tujuan/{plan.goal.pk}/sasaran/baru/"),
        "objective form": ("planner", f"/kinerja/rencana/sasaran/{plan.objective.pk}/ubah/"),
        "agreements": ("head", "/kinerja/pk/?tahun=2026"),
        "new agreement": ("planner", "/kinerja/pk/baru/"),
        "agreement": ("head_a", f"/kinerja/pk/{agreement.pk}/"),
        "agreement pdf": ("head_a", f"/kinerja/pk/{agreement.pk}/pk.pdf"),
        "bands": ("head", "/kinerja/predikat/"),
        "band form": ("planner", f"/kinerja/predikat/{band.pk}/ubah/"),
        "spm": ("head", "/kinerja/spm/?tahun=2026"),
        "spm figures": ("planner", f"/kinerja/spm/{disaster.pk}/2026/"),
        "spm source": ("planner", f"/kinerja/spm/layanan/{disaster.pk}/"),
        "lkjip": ("head", "/kinerja/lkjip/?tahun=2026"),
        "lkjip pdf": ("head", "/kinerja/lkjip/2026.pdf"),
        "lkjip html": ("head", "/kinerja/lkjip/2026.html"),
        "export": ("head", "/kinerja/capaian.xlsx?tahun=2026&triwulan=1"),
        "evidence": ("head_a", f"/kinerja/realisasi/{evidence.pk}/bukti/"),
    }
    clients = {}
    for who in {who for who, _url in pages.values()}:
        clients[who] = Client()
        clients[who].force_login(people[who])

    def counts():
        found = {}
        for name, (who, url) in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                response = clients[who].get(url)
            assert response.status_code == 200, f"{name}: {response.status_code}"
            found[name] = sum(1 for q in ctx.captured_queries if _counted(q["sql"]))
        return found

    counts()  # warm up sessions and caches
    first = counts()
    _grow(plan, units, budget, 1)
    assert counts() == first
    _grow(plan, units, budget, 2)
    assert counts() == first
    assert Decimal(first["unit"]) <= 25  # a handful of queries, not one per indicator

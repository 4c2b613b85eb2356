"""The monthly report (xlsx, PDF), the drill-down's scope and a KPA's rank among the units."""

import io
from unittest import mock

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from sinergi.accounts.testing import Expect, assert_authorization

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _sheet(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- Monthly report ------------------------------------------------------------------------------


def test_xlsx_report_ranks_units_with_status_projection_and_monthly_need(budget, people):
    rows = _sheet(_client(people["head"]).get("/anggaran/laporan.xlsx?tahun=2026&bulan=3"))
    header, *units = rows.to_python()
    assert header == [
        "Peringkat", "Kode unit", "Unit", "Pagu", "Anggaran kas s.d. bulan ini",
        "Realisasi s.d. bulan ini", "Serapan (%)", "Anggaran kas (%)", "Deviasi (poin)", "Status",
        "Perubahan sejak bulan lalu (poin)", "Akhir tahun menurut anggaran kas (%)",
        "Akhir tahun menurut laju saat ini (%)", "Tidak mencapai target berikutnya",
        "Harus direalisasikan per bulan untuk target berikutnya",
    ]  # fmt: skip
    # UPT A: 400.000 of 1.000.000 (40%), plan 300.000 (30%): ahead of plan, will reach 50% in April
    # UPT B: 600.000 of 2.000.000 (30%), plan 30%; needs 400.000 in 2 months for 50% by 30 April
    # Division: nothing realised of 1.000.000, plan 30%: 30 points behind
    assert [row[:3] for row in units] == [
        [1.0, "upt-rsbd-pasuruan", "UPT RSBD Pasuruan"],
        [2.0, "upt-pstw-magetan", "UPT PSTW Magetan"],
        [3.0, "bidang-dayasos", "Bidang Pemberdayaan Sosial"],
    ]
    assert [row[6:10] for row in units] == [
        [40.0, 30.0, -10.0, "Sesuai rencana"],
        [30.0, 30.0, 0.0, "Sesuai rencana"],
        [0.0, 30.0, 30.0, "Jauh tertinggal"],
    ]
    assert [row[13:] for row in units] == [
        [False, 50000.0],
        [True, 200000.0],
        [True, 250000.0],
    ]


def test_a_kpa_reports_only_on_its_own_unit(budget, people):
    rows = _sheet(_client(people["head_b"]).get("/anggaran/laporan.xlsx?tahun=2026&bulan=3"))
    assert [row[1] for row in rows.to_python()[1:]] == ["upt-pstw-magetan"]


def test_pdf_report_lists_the_units_that_will_miss_the_milestone(budget, people):
    def as_html(request, *, template, context, filename):
        return HttpResponse(render_to_string(template, context, request=request))

    with mock.patch("sinergi.budget.views.reports.pdf_response", side_effect=as_html):
        html = _client(people["head"]).get("/anggaran/laporan.pdf?bulan=3").content.decode()
    missing = html[html.index("Unit yang diperkirakan tidak mencapai 50% pada 30 Apr 2026") :]
    assert "UPT PSTW Magetan" in missing
    assert "Bidang Pemberdayaan Sosial" in missing
    assert "UPT RSBD Pasuruan" not in missing
    assert "Rp 250.000" in missing  # what the division must realise a month


def test_report_without_any_fiscal_year_is_404(people):
    assert _client(people["head"]).get("/anggaran/laporan.xlsx").status_code == 404


@pytest.mark.parametrize(("path", "pinned"), [("laporan.xlsx", 9), ("laporan.pdf", 10)])
def test_reports_take_a_fixed_number_of_queries(budget, people, path, pinned):
    from sinergi.budget.testing import make_line

    url = f"/anggaran/{path}?tahun=2026&bulan=3"
    client = _client(people["head"])

    def as_html(request, *, template, context, filename):
        return HttpResponse(render_to_string(template, context, request=request))

    with mock.patch("sinergi.budget.views.reports.pdf_response", side_effect=as_html):
        client.get(url)
        before = _count(client, url)
        for number in range(5):
            make_line(budget.year, people["head_a"].unit, sub=f"1.06.04.1.01.{number + 20:04d}")
        assert (before, _count(client, url)) == (pinned, pinned)


# --- Drill-down scope and a KPA's rank ------------------------------------------------------------


def test_drilling_into_another_units_figures_is_404(budget, people, units):
    assert_authorization(
        url=f"/anggaran/rincian/?tahun=2026&bulan=3&unit={units.upt_b.pk}",
        cases=[
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_a_kpa_drills_from_its_programs_to_its_lines(budget, people):
    client = _client(people["head_b"])
    line = budget.line_b
    sub = line.sub_kegiatan
    page = client.get(
        f"/anggaran/rincian/?tahun=2026&bulan=3&unit={line.unit_id}&program="
        f"{sub.kegiatan.program_id}&kegiatan={sub.kegiatan_id}&sub_kegiatan={sub.pk}"
    )
    assert [r.key for r in page.context["rows"]] == [line.pk]
    assert page.context["total"].absorption == 30
    content = page.content.decode()
    assert f'href="/anggaran/rekening/{line.pk}/"' in content


def test_the_unit_dashboard_shows_the_units_rank_among_all_units(budget, people, units):
    page = _client(people["head_b"]).get(f"/anggaran/unit/{units.upt_b.pk}/?tahun=2026&bulan=3")
    assert (page.context["rank"], page.context["rank_total"]) == (2, 3)
    assert 'data-testid="unit-rank">2 dari 3<' in page.content.decode()
    # the rank only: the other units' figures stay out of the KPA's page
    assert "UPT RSBD Pasuruan" not in page.content.decode()


def test_a_unit_without_lines_has_no_rank(budget, people, units):
    page = _client(people["finance"]).get(
        f"/anggaran/unit/{units.secretariat.pk}/?tahun=2026&bulan=3"
    )
    assert page.context["rank"] is None
    assert 'data-testid="unit-rank"' not in page.content.decode()

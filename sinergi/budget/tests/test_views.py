import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.budget import services
from sinergi.budget.models import FiscalYear, Realisation
from sinergi.budget.testing import grow_budget

pytestmark = pytest.mark.django_db


def test_dashboard_authorization(budget, people):
    assert_authorization(
        url="/anggaran/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_unit_dashboard_authorization(budget, people, units):
    assert_authorization(
        url=f"/anggaran/unit/{units.upt_b.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of that UPT", people["worker"], 403),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("finance officer", people["finance"], 200),
        ],
    )


def test_drill_authorization(budget, people):
    assert_authorization(
        url="/anggaran/rincian/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
        ],
    )


def test_line_detail_authorization(budget, people):
    assert_authorization(
        url=f"/anggaran/rekening/{budget.line_b.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker of that UPT", people["worker"], 403),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_realisation_entry_authorization(budget, people):
    def state():
        return list(Realisation.objects.order_by("pk").values_list("sp2d_number", flat=True))

    url = f"/anggaran/rekening/{budget.line_b.pk}/sp2d/baru/"
    for n, (who, user, status) in enumerate(
        [
            ("anonymous", None, 302),
            ("social worker", people["worker"], 403),
            ("head of another UPT", people["head_a"], 404),
            ("head of office (reads only)", people["head"], 403),
            ("head of the division above (not the KPA)", people["division"], 403),
            ("head of that UPT (the KPA)", people["head_b"], 302),
            ("finance officer", people["finance"], 302),
        ]
    ):
        assert_authorization(
            url=url,
            method="post",
            data={
                "sp2d_number": f"NEW-{n}",
                "paid_on": "2026-04-02",
                "sp2d_type": "LS",
                "amount": "1000",
            },
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state()[-2:] == ["NEW-5", "NEW-6"]


def test_realisation_entry_shows_the_pagu_rule_in_the_form(budget, people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post(
        f"/anggaran/rekening/{budget.line_a.pk}/sp2d/baru/",
        {"sp2d_number": "X", "paid_on": "2026-04-02", "sp2d_type": "LS", "amount": "600001"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rp 600.000" in content
    assert not Realisation.objects.filter(sp2d_number="X").exists()


def test_report_downloads_authorization(budget, people):
    for url in ("/anggaran/laporan.xlsx?tahun=2026&bulan=3", "/anggaran/laporan.pdf?bulan=3"):
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people["worker"], 403),
                Expect("finance officer", people["finance"], 200),
            ],
        )


def test_xlsx_report_is_a_spreadsheet(budget, people):
    client = Client()
    client.force_login(people["head"])
    response = client.get("/anggaran/laporan.xlsx?tahun=2026&bulan=3")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "serapan-2026-03.xlsx" in response["Content-Disposition"]


def test_dashboard_shows_absorption_alerts_and_plan_warning(budget, people):
    client = Client()
    client.force_login(people["head"])
    content = client.get("/anggaran/?tahun=2026&bulan=3").content.decode()
    assert 'data-testid="office-absorption">25,00%' in content
    assert "UPT PSTW Magetan" in content  # will miss 50% by 30 April
    assert 'data-testid="plan-mismatch"' in content
    assert 'id="budget-s-curve-data"' in content


def test_empty_state_when_no_budget_is_loaded(people):
    client = Client()
    client.force_login(people["finance"])
    response = client.get("/anggaran/")
    assert 'data-testid="budget-empty"' in response.content.decode()


def _grow(budget, units, n):
    grow_budget(budget.year, units.upt_a, n)


def _count(client, url):
    cache.clear()  # the dashboard caches its body: count the work of a first view
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/anggaran/?tahun=2026&bulan=3", 16),
        ("/anggaran/unit/{unit}/?tahun=2026&bulan=3", 17),
        ("/anggaran/rincian/?tahun=2026&bulan=3&unit={unit}", 12),
        ("/anggaran/rekening/{line}/", 12),
        ("/anggaran/sp2d/?tahun=2026", 8),
    ],
)
def test_pages_take_a_fixed_number_of_queries(budget, people, units, url, pinned):
    url = url.format(unit=units.upt_a.pk, line=budget.line_a.pk)
    client = Client()
    client.force_login(people["head"])
    client.get(url)  # warm caches (session, content types)
    before = _count(client, url)
    _grow(budget, units, 5)
    client.get(url)  # the idle timeout writes the session at most once a minute: not counted
    assert (before, _count(client, url)) == (pinned, pinned)


# --- SP2D list (keyset pages) and closing a fiscal year -----------------------------------------


def test_sp2d_list_authorization_and_scope(budget, people):
    assert_authorization(
        url="/anggaran/sp2d/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )
    client = Client()
    client.force_login(people["head_b"])
    page = client.get("/anggaran/sp2d/?tahun=2026").content.decode()
    # UPT B's head sees the SP2D charging UPT B's line only
    assert "SP2D-002" in page
    assert "SP2D-003" in page
    assert "SP2D-001" not in page
    client.force_login(people["head"])
    page = client.get("/anggaran/sp2d/?tahun=2026").content.decode()
    assert all(number in page for number in ("SP2D-001", "SP2D-002", "SP2D-003"))


def test_sp2d_list_pages_by_keyset_newest_first(budget, people, units):
    _grow(budget, units, 60)
    client = Client()
    client.force_login(people["head"])
    first = client.get("/anggaran/sp2d/?tahun=2026")
    items = first.context["page"].items
    assert len(items) == 50
    assert [r.paid_on for r in items] == sorted((r.paid_on for r in items), reverse=True)
    cursor = first.context["page"].next_cursor
    second = client.get(f"/anggaran/sp2d/?tahun=2026&cursor={cursor}")
    rest = second.context["page"].items
    assert len(rest) == Realisation.objects.count() - 50
    assert not {r.pk for r in items} & {r.pk for r in rest}
    stale = client.get("/anggaran/sp2d/?tahun=2026&cursor=rubbish")
    assert stale.status_code == 200
    assert len(stale.context["page"].items) == 50  # back on the first page, with a message


def test_closing_the_year_authorization(budget, people):
    assert_authorization(
        url="/anggaran/tahun/2026/status/",
        method="post",
        data={"status": "closed"},
        state=lambda: list(FiscalYear.objects.values_list("year", "status")),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people["head"], 403),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("finance officer", people["finance"], 302),
        ],
    )


def test_finance_closes_and_reopens_the_year_and_entries_are_refused_meanwhile(budget, people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post("/anggaran/tahun/2026/status/", {"status": "closed"}, follow=True)
    page = response.content.decode()
    assert 'data-testid="year-closed"' in page
    assert "Tahun anggaran 2026 telah ditutup" in page
    budget.year.refresh_from_db()
    assert budget.year.status == "closed"
    form = client.post(
        f"/anggaran/rekening/{budget.line_a.pk}/sp2d/baru/",
        {"sp2d_number": "Z-1", "paid_on": "2026-05-02", "sp2d_type": "LS", "amount": "1000"},
    )
    assert form.status_code == 200
    assert "sudah ditutup" in form.content.decode()
    assert not Realisation.objects.filter(sp2d_number="Z-1").exists()
    client.post("/anggaran/tahun/2026/status/", {"status": "open"})
    budget.year.refresh_from_db()
    assert budget.year.status == "open"


def test_closing_an_unknown_year_is_404(people):
    client = Client()
    client.force_login(people["finance"])
    assert client.post("/anggaran/tahun/1999/status/", {"status": "closed"}).status_code == 404


def test_dashboard_body_is_cached_until_the_next_write(budget, people):
    client = Client()
    client.force_login(people["head"])
    url = "/anggaran/?tahun=2026&bulan=3"
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        first = client.get(url).content.decode()
    assert len(cached) < _count(client, url)  # a cached body saves the figures' queries
    assert "25,00%" in first
    services.realisation_create(
        actor=None,
        fiscal_year=budget.year,
        sp2d_number="SP2D-NEW",
        paid_on=dt.date(2026, 3, 20),
        sp2d_type="LS",
        allocations={budget.line_c: Decimal(400000)},
    )
    after = client.get(url).content.decode()
    assert "35,00%" in after  # (1.000.000 + 400.000) / 4.000.000
    # another scope gets its own body
    client.force_login(people["head_a"])
    assert "40,00%" in client.get(url).content.decode()  # UPT A alone: 400.000 / 1.000.000


@pytest.mark.parametrize(
    ("url", "pinned"),
    [("/anggaran/?tahun=2026&bulan=3", 8), ("/anggaran/unit/{unit}/?tahun=2026&bulan=3", 9)],
)
def test_a_repeated_dashboard_view_reads_its_body_from_the_cache(
    budget, people, units, url, pinned
):
    url = url.format(unit=units.upt_b.pk)
    client = Client()
    client.force_login(people["head"])
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) == pinned
    _grow(budget, units, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) == pinned


def test_the_unit_dashboard_follows_every_write(budget, people, units):
    client = Client()
    client.force_login(people["head_b"])
    url = f"/anggaran/unit/{units.upt_b.pk}/?tahun=2026&bulan=3"
    cache.clear()
    assert 'data-testid="unit-absorption">30,00%' in client.get(url).content.decode()
    services.realisation_create(
        actor=None,
        fiscal_year=budget.year,
        sp2d_number="SP2D-UNIT",
        paid_on=dt.date(2026, 3, 25),
        sp2d_type="LS",
        allocations={budget.line_b: Decimal(200000)},
    )
    assert 'data-testid="unit-absorption">40,00%' in client.get(url).content.decode()

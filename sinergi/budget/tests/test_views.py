import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.budget import services
from sinergi.budget.models import Realisation
from sinergi.budget.testing import make_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, units):
    return {
        "worker": make_user("social_worker", units.upt_b),
        "head_a": make_user("head_of_upt", units.upt_a),
        "head_b": make_user("head_of_upt", units.upt_b),
        "division": make_user("head_of_division", units.rehab_division),
        "finance": make_user("finance_officer", units.secretariat),
        "head": make_user("head_of_office", units.office),
    }


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
    for i in range(n):
        line = make_line(
            budget.year,
            units.upt_a,
            sub=f"1.06.04.1.01.{i + 10:04d}",
            account="5.1.02.01.01.0024",
        )
        services.cash_plan_set(actor=None, line=line, amounts=[Decimal(1000)] * 12)
        services.realisation_create(
            actor=None,
            fiscal_year=budget.year,
            sp2d_number=f"G-{i}",
            paid_on=dt.date(2026, 2, 1),
            sp2d_type="LS",
            allocations={line: Decimal(500)},
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/anggaran/?tahun=2026&bulan=3", 23),
        ("/anggaran/unit/{unit}/?tahun=2026&bulan=3", 22),
        ("/anggaran/rincian/?tahun=2026&bulan=3&unit={unit}", 17),
        ("/anggaran/rekening/{line}/", 13),
    ],
)
def test_pages_take_a_fixed_number_of_queries(budget, people, units, url, pinned):
    url = url.format(unit=units.upt_a.pk, line=budget.line_a.pk)
    client = Client()
    client.force_login(people["head"])
    client.get(url)  # warm caches (session, content types)
    assert _count(client, url) == pinned
    _grow(budget, units, 5)
    assert _count(client, url) == pinned

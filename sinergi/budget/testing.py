"""Test helpers: a small DPA for three units with a cash plan and three SP2D (numbers in the tests)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sinergi.budget import services
from sinergi.budget.models import BudgetLine, FiscalYear


@dataclass
class SmallBudget:
    year: FiscalYear
    line_a: BudgetLine  # UPT A, pagu 1.000.000, plan 100.000 x 10 months
    line_b: BudgetLine  # UPT B, pagu 2.000.000, plan 200.000 x 10 months
    line_c: BudgetLine  # empowerment division, pagu 1.000.000, plan 100.000 x 9 (does not add up)


def make_line(
    year: FiscalYear,
    unit: Any,
    *,
    program: str = "1.06.04",
    kegiatan: str = "1.06.04.1.01",
    sub: str = "1.06.04.1.01.0001",
    account: str = "5.1.02.01.01.0024",
    pagu: str = "1000000",
) -> BudgetLine:
    line, _outcome = services.line_save(
        actor=None,
        fiscal_year=year,
        program=(program, f"Program {program}"),
        kegiatan=(kegiatan, f"Kegiatan {kegiatan}"),
        sub_kegiatan=(sub, f"Sub kegiatan {sub}"),
        account_code=account,
        account_name=f"Belanja {account}",
        unit=unit,
        pptk_name="Budi Santoso",
        pagu=Decimal(pagu),
    )
    return line


def make_small_budget(units: Any) -> SmallBudget:
    year = services.fiscal_year_get_or_create(actor=None, year=2026)
    line_a = make_line(year, units.upt_a)
    line_b = make_line(
        year,
        units.upt_b,
        kegiatan="1.06.04.1.03",
        sub="1.06.04.1.03.0001",
        account="5.1.06.01.01.0001",
        pagu="2000000",
    )
    line_c = make_line(
        year,
        units.empowerment_division,
        program="1.06.02",
        kegiatan="1.06.02.1.02",
        sub="1.06.02.1.02.0001",
        account="5.1.02.02.01.0001",
    )
    k = Decimal("1000")
    ZERO = Decimal(0)
    services.cash_plan_set(actor=None, line=line_a, amounts=[100 * k] * 10 + [ZERO, ZERO])
    services.cash_plan_set(actor=None, line=line_b, amounts=[200 * k] * 10 + [ZERO, ZERO])
    services.cash_plan_set(actor=None, line=line_c, amounts=[100 * k] * 9 + [ZERO, ZERO, ZERO])
    services.realisation_create(
        actor=None,
        fiscal_year=year,
        sp2d_number="SP2D-001",
        paid_on=dt.date(2026, 1, 15),
        sp2d_type="LS",
        allocations={line_a: 100 * k},
    )
    services.realisation_create(
        actor=None,
        fiscal_year=year,
        sp2d_number="SP2D-002",
        paid_on=dt.date(2026, 2, 20),
        sp2d_type="LS",
        allocations={line_a: 300 * k, line_b: 200 * k},
    )
    services.realisation_create(
        actor=None,
        fiscal_year=year,
        sp2d_number="SP2D-003",
        paid_on=dt.date(2026, 3, 10),
        sp2d_type="GU",
        allocations={line_b: 400 * k},
    )
    services.milestone_save(
        actor=None,
        fiscal_year=year,
        due_on=dt.date(2026, 4, 30),
        target_percent=Decimal("50"),
        source="test",
    )
    return SmallBudget(year, line_a, line_b, line_c)


def grow_budget(
    year: FiscalYear, unit: Any, n: int, *, also_charge: BudgetLine | None = None
) -> None:
    """`n` more lines of `unit`, each with a cash plan and an SP2D (also charging 1 to
    `also_charge`): for the tests pinning that a page's queries do not grow with the rows."""
    from sinergi.budget.models import Realisation

    for _ in range(n):
        number = Realisation.objects.count() + 1
        line = make_line(year, unit, sub=f"1.06.04.1.01.{number + 100:04d}")
        services.cash_plan_set(actor=None, line=line, amounts=[Decimal(1000)] * 12)
        allocations = {line: Decimal(500)}
        if also_charge is not None:
            allocations[also_charge] = Decimal(1)
        services.realisation_create(
            actor=None,
            fiscal_year=year,
            sp2d_number=f"G-{number}",
            paid_on=dt.date(year.year, 2, 1),
            sp2d_type="LS",
            allocations=allocations,
        )

"""Test helpers: a small Renstra with an IKU of the office and indicators of the two UPT."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sinergi.performance import services
from sinergi.performance.models import Goal, Indicator, Objective, RenstraPeriod


@dataclass
class SmallPlan:
    period: RenstraPeriod
    goal: Goal
    objective: Objective
    iku: Indicator  # office: % PPKS served who become independent, target 2026 = 80, maximize
    upt_a_served: Indicator  # UPT A: clients served (maximize), 2026 target 200, Q1 target 50
    upt_a_complaints: Indicator  # UPT A: complaints (minimize), 2026 target 10
    upt_b_occupancy: Indicator  # UPT B: occupancy % (range 80-95)


def make_indicator(period: RenstraPeriod, unit: Any, code: str, **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "name": f"Indikator {code}",
        "unit_of_measure": "orang",
        "polarity": "maximize",
    }
    defaults.update(fields)
    return services.indicator_save(actor=None, period=period, unit=unit, code=code, **defaults)


def make_small_plan(units: Any) -> SmallPlan:
    period = services.period_save(
        actor=None, name="Renstra 2025-2029", start_year=2025, end_year=2029
    )
    goal = services.goal_save(
        actor=None, period=period, code="T1", statement="Meningkatnya kesejahteraan sosial PPKS"
    )
    objective = services.objective_save(
        actor=None, goal=goal, code="S1", statement="Meningkatnya kemandirian PPKS"
    )
    iku = make_indicator(
        period,
        units.office,
        "IKU-1",
        level="iku",
        objective=objective,
        name="Persentase PPKS yang mandiri setelah pelayanan di UPT",
        unit_of_measure="%",
    )
    served = make_indicator(
        period, units.upt_a, "UPT-A-1", parent=iku, objective=objective, name="Klien terlayani"
    )
    complaints = make_indicator(
        period,
        units.upt_a,
        "UPT-A-2",
        objective=objective,
        name="Jumlah pengaduan layanan",
        polarity="minimize",
        unit_of_measure="pengaduan",
    )
    occupancy = make_indicator(
        period,
        units.upt_b,
        "UPT-B-1",
        objective=objective,
        name="Tingkat hunian panti",
        polarity="range",
        unit_of_measure="%",
    )
    services.target_set(actor=None, indicator=iku, year=2026, quarter=0, value=Decimal("80"))
    services.target_set(actor=None, indicator=served, year=2026, quarter=0, value=Decimal("200"))
    services.target_set(actor=None, indicator=served, year=2026, quarter=1, value=Decimal("50"))
    services.target_set(actor=None, indicator=complaints, year=2026, quarter=0, value=Decimal("10"))
    services.target_set(
        actor=None,
        indicator=occupancy,
        year=2026,
        quarter=0,
        low=Decimal("80"),
        high=Decimal("95"),
    )
    return SmallPlan(period, goal, objective, iku, served, complaints, occupancy)

"""Milestones, the year-end projections and the units that will miss the next milestone, and the
office's rank among the provincial offices."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max
from django.shortcuts import get_object_or_404

from sinergi.budget.models import FiscalYear, Milestone, PhysicalProgress, ProvincialOffice
from sinergi.budget.selectors.absorption import league_table
from sinergi.budget.selectors.figures import CENT, HUNDRED, ZERO, Absorption, percent_of


def milestones(fiscal_year: FiscalYear) -> list[Milestone]:
    return list(fiscal_year.milestones.order_by("due_on"))


def milestone_get(pk: int) -> Milestone:
    """One milestone (office-wide data: every reader of the budget sees them), else Http404."""
    return get_object_or_404(Milestone.objects.select_related("fiscal_year"), pk=pk)


def progress_by_month(*, sub_kegiatan_id: int, unit_id: int) -> dict[int, PhysicalProgress]:
    """The physical progress a unit reported for a sub kegiatan, by month (one query)."""
    return {
        row.month: row
        for row in PhysicalProgress.objects.filter(sub_kegiatan_id=sub_kegiatan_id, unit_id=unit_id)
    }


def next_milestone(fiscal_year: FiscalYear, month: int) -> Milestone | None:
    """The first milestone falling in `month` or later (the current month still counts as open)."""
    return (
        fiscal_year.milestones.filter(due_on__gte=dt.date(fiscal_year.year, month, 1))
        .order_by("due_on")
        .first()
    )


def months_until(milestone: Milestone, month: int) -> int:
    """Months left to realise before the milestone, counting the current month."""
    return max(milestone.due_on.month - month + 1, 1)


@dataclass
class Projection:
    row: Absorption
    from_plan: Decimal | None  # % at year end if the rest of the cash plan is realised
    from_pace: Decimal | None  # % at year end at the average monthly pace so far
    at_milestone: Decimal | None  # % expected at the next milestone at that pace
    shortfall: Decimal = ZERO  # amount still needed to reach the next milestone
    per_month: Decimal = ZERO  # ... per remaining month
    will_miss: bool = False


def project(row: Absorption, *, month: int, milestone: Milestone | None) -> Projection:
    """Year-end projection (cash plan, pace) and what a group must realise for the next milestone."""
    pace = row.realised / month if month else ZERO
    from_plan_amount = min(row.realised + max(row.plan_year - row.plan, ZERO), row.pagu)
    from_pace_amount = min(pace * 12, row.pagu)
    projection = Projection(
        row=row,
        from_plan=percent_of(from_plan_amount, row.pagu),
        from_pace=percent_of(from_pace_amount, row.pagu),
        at_milestone=None,
    )
    if milestone is not None and row.pagu:
        remaining_months = months_until(milestone, month)
        # the current month counts as open: at the pace, the months still to come add pace each
        expected = min(row.realised + pace * (remaining_months - 1), row.pagu)
        projection.at_milestone = percent_of(expected, row.pagu)
        target = (row.pagu * milestone.target_percent / HUNDRED).quantize(CENT)
        projection.shortfall = max(target - row.realised, ZERO)
        projection.per_month = (projection.shortfall / remaining_months).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        projection.will_miss = (
            projection.shortfall > 0
            and projection.at_milestone is not None
            and projection.at_milestone < milestone.target_percent
        )
    return projection


def unit_projections(
    *, viewer: Any, fiscal_year: FiscalYear, month: int
) -> tuple[Milestone | None, list[Projection]]:
    """The next milestone and each unit's projection, units that will miss it first."""
    milestone = next_milestone(fiscal_year, month)
    rows = league_table(viewer=viewer, fiscal_year=fiscal_year, month=month)
    projections = [project(r, month=month, milestone=milestone) for r in rows]
    for p in projections:
        p.row.extra.update(from_plan=p.from_plan, from_pace=p.from_pace)
    projections.sort(key=lambda p: (not p.will_miss, -p.shortfall))
    return milestone, projections


@dataclass
class ProvincialRank:
    month: int | None
    rows: list[ProvincialOffice]
    own: ProvincialOffice | None
    rank: int | None
    total: int


def provincial_ranking(*, fiscal_year: FiscalYear, month: int) -> ProvincialRank:
    """All provincial offices at the latest month up to `month` with figures, by absorption."""
    latest = ProvincialOffice.objects.filter(fiscal_year=fiscal_year, month__lte=month).aggregate(
        m=Max("month")
    )["m"]
    if latest is None:
        return ProvincialRank(month=None, rows=[], own=None, rank=None, total=0)
    rows = list(ProvincialOffice.objects.filter(fiscal_year=fiscal_year, month=latest))
    rows.sort(key=lambda r: (-(percent_of(r.realisation, r.pagu) or ZERO), r.office_name))
    own, rank = None, None
    for position, row in enumerate(rows, start=1):
        row.rank = position  # type: ignore[attr-defined]
        row.absorption = percent_of(row.realisation, row.pagu)  # type: ignore[attr-defined]
        if row.is_own_office:
            own, rank = row, position
    return ProvincialRank(month=latest, rows=rows, own=own, rank=rank, total=len(rows))

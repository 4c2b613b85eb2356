"""Reads of the plan: periods, the tujuan > sasaran > indicator tree, one indicator with its
targets and realisations, the verification queue, budget absorption of the linked sub kegiatan,
and the Perjanjian Kinerja."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from sinergi.accounts.permissions import scope_queryset
from sinergi.budget import selectors as budget
from sinergi.performance.models import (
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    PeriodLock,
    Realisation,
    RenstraPeriod,
    Target,
)
from sinergi.performance.permissions import access_indicator, scope_indicators


def period_list() -> QuerySet[RenstraPeriod]:
    return RenstraPeriod.objects.order_by("-start_year")


def period_for_year(year: int) -> RenstraPeriod | None:
    return RenstraPeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()


def period_get(pk: int) -> RenstraPeriod | None:
    return RenstraPeriod.objects.filter(pk=pk).first()


def goal_get(pk: int) -> Goal | None:
    """A tujuan with its period (the plan is the office's: every reader may see it)."""
    return Goal.objects.select_related("period").filter(pk=pk).first()


def objective_get(pk: int) -> Objective | None:
    """A sasaran with its tujuan and period."""
    return Objective.objects.select_related("goal__period").filter(pk=pk).first()


def default_year(today_year: int) -> int:
    """This year when a plan covers it, else the last year of the latest plan (or this year)."""
    if period_for_year(today_year) is not None:
        return today_year
    latest = RenstraPeriod.objects.order_by("-end_year").first()
    return latest.end_year if latest is not None else today_year


@dataclass
class ObjectiveNode:
    objective: Objective
    indicators: list[Indicator]


@dataclass
class GoalNode:
    goal: Goal
    objectives: list[ObjectiveNode]


def plan_tree(*, viewer: Any, period: RenstraPeriod) -> tuple[list[GoalNode], list[Indicator]]:
    """Tujuan > sasaran > the viewer's indicators of a period, and the indicators under no sasaran
    (3 queries)."""
    indicators = list(
        scope_indicators(Indicator.objects.filter(period=period), viewer)
        .select_related("unit", "parent")
        .order_by("sort_order", "code")
    )
    by_objective: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_objective[indicator.objective_id].append(indicator)
    goals = Goal.objects.filter(period=period).prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("code"))
    )
    tree = [
        GoalNode(
            goal=goal,
            objectives=[
                ObjectiveNode(objective=o, indicators=by_objective.get(o.pk, []))
                for o in goal.objectives.all()
            ],
        )
        for goal in goals.order_by("code")
    ]
    return tree, by_objective.get(None, [])


def indicator_list(*, viewer: Any, period: RenstraPeriod | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("unit", "period", "objective")
    if period is not None:
        qs = qs.filter(period=period)
    return scope_indicators(qs, viewer)


def indicator_get(*, viewer: Any, pk: int) -> Indicator:
    """One indicator in the viewer's scope (Http404 otherwise) with its period, unit and sasaran."""
    queryset = Indicator.objects.select_related("period", "unit", "objective__goal", "parent")
    return access_indicator(viewer, pk, queryset)


def targets_of(indicator: Indicator) -> dict[tuple[int, int], Target]:
    """The indicator's targets by (year, quarter) (one query)."""
    return {(t.year, t.quarter): t for t in indicator.targets.all()}


def realisations_of(indicator: Indicator) -> dict[tuple[int, int], Realisation]:
    """The indicator's realisations by (year, quarter) (one query)."""
    return {
        (r.year, r.quarter): r
        for r in indicator.realisations.select_related("entered_by", "verified_by")
    }


def locked_quarters(year: int) -> set[int]:
    """The quarters of `year` closed for reporting (one query)."""
    return set(PeriodLock.objects.filter(year=year).values_list("quarter", flat=True))


def verification_queue(*, viewer: Any, year: int | None = None) -> QuerySet[Realisation]:
    """Entries waiting for verification in the viewer's scope (keyset-paginate by year, quarter, pk)."""
    qs = Realisation.objects.filter(verified=False).select_related("indicator__unit", "entered_by")
    if year:
        qs = qs.filter(year=year)
    return scope_queryset(qs, viewer, unit_path_field="indicator__unit__path")


def realisation_list(
    *, viewer: Any, year: int | None = None, verified: bool | None = None
) -> QuerySet[Realisation]:
    """Realisations of indicators in the viewer's scope."""
    qs = Realisation.objects.all()
    if year:
        qs = qs.filter(year=year)
    if verified is not None:
        qs = qs.filter(verified=verified)
    return scope_queryset(qs, viewer, unit_path_field="indicator__unit__path")


def realisation_get(*, viewer: Any, pk: int) -> Realisation:
    from sinergi.accounts.permissions import access_object

    return access_object(
        Realisation.objects.select_related("indicator__unit", "indicator__period"),
        viewer,
        unit_path_field="indicator__unit__path",
        pk=pk,
    )


@dataclass(frozen=True)
class SubKegiatanAbsorption:
    sub_kegiatan_id: int
    code: str
    name: str
    pagu: Decimal
    realised: Decimal
    absorption: Decimal | None


def absorption_of_links(
    *, viewer: Any, indicator_ids: list[int], year: int, month: int | None = None
) -> dict[int, list[SubKegiatanAbsorption]]:
    """Budget absorption of the sub kegiatan linked to each indicator, for the fiscal year `year`
    (up to `month`, else the month of the latest SP2D): indicator id -> rows. A fixed number of
    queries (budget's set-based selectors), whatever the number of indicators; links to sub
    kegiatan of other years, or outside the viewer's budget scope, give no row."""
    if not indicator_ids:
        return {}
    links = list(
        Indicator.sub_kegiatan.through.objects.filter(indicator_id__in=indicator_ids)
        .order_by("indicator_id", "subkegiatan_id")
        .values_list("indicator_id", "subkegiatan_id")
    )
    if not links:
        return {}
    fiscal_year = budget.fiscal_year_get(year)
    if fiscal_year is None or fiscal_year.year != year:
        return {}
    month = month or budget.latest_month(fiscal_year)
    rows = {
        a.key: a
        for a in budget.absorption_by(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group="sub_kegiatan"
        )
    }
    found: dict[int, list[SubKegiatanAbsorption]] = defaultdict(list)
    for indicator_id, sub_id in links:
        row = rows.get(sub_id)
        if row is None:
            continue
        found[indicator_id].append(
            SubKegiatanAbsorption(
                sub_kegiatan_id=sub_id,
                code=row.code,
                name=row.label,
                pagu=row.pagu,
                realised=row.realised,
                absorption=row.absorption,
            )
        )
    return dict(found)


def linked_sub_kegiatan_ids(indicator: Indicator) -> list[int]:
    """The ids of the sub kegiatan linked to the indicator (one query)."""
    return sorted(
        indicator.sub_kegiatan.through.objects.filter(indicator=indicator).values_list(
            "subkegiatan_id", flat=True
        )
    )


def combined_absorption(rows: list[SubKegiatanAbsorption]) -> Decimal | None:
    pagu = sum((r.pagu for r in rows), Decimal(0))
    realised = sum((r.realised for r in rows), Decimal(0))
    return budget.percent_of(realised, pagu)


def agreement_list(*, viewer: Any, year: int | None = None) -> QuerySet[PerformanceAgreement]:
    qs = PerformanceAgreement.objects.select_related("unit")
    if year:
        qs = qs.filter(year=year)
    return scope_queryset(qs, viewer, unit_path_field="unit__path")


def agreement_get(*, viewer: Any, pk: int) -> PerformanceAgreement:
    from sinergi.accounts.permissions import access_object

    return access_object(
        PerformanceAgreement.objects.select_related("unit", "head"),
        viewer,
        unit_path_field="unit__path",
        pk=pk,
    )


def agreement_items(agreement: PerformanceAgreement) -> list[Any]:
    return list(
        agreement.items.select_related("indicator").order_by(
            "indicator__sort_order", "indicator__code"
        )
    )

"""Reads of the budget, scoped to the viewer: absorption by any level of the DPA, the S-curve,
the league table of units, projections, milestone alerts and the provincial ranking.

Every figure is computed set-based: a fixed handful of grouped queries whatever the number of
lines or SP2D (no per-row queries). Formulas follow DOMAIN.md 6.2:
absorption % = realised / pagu; plan % = cash plan up to the month / pagu; deviation = plan % -
absorption % (points); achievement = realised / cash plan up to the month.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, F, Max, OuterRef, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import sees_everything
from sinergi.budget.models import (
    AbsorptionSummary,
    BudgetLine,
    BudgetRevision,
    CashPlan,
    FiscalYear,
    Kegiatan,
    Milestone,
    PhysicalProgress,
    Program,
    ProvincialOffice,
    Realisation,
    RealisationAllocation,
    SubKegiatan,
)
from sinergi.budget.permissions import access_line, scope_lines, scope_summaries
from sinergi.organisation.models import Unit

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# group name -> the BudgetLine field it groups by
GROUPS = {
    "unit": "unit_id",
    "program": "sub_kegiatan__kegiatan__program_id",
    "kegiatan": "sub_kegiatan__kegiatan_id",
    "sub_kegiatan": "sub_kegiatan_id",
    "account_class": "account_class",
    "line": "id",
    "all": None,
}
DRILL_ORDER = ["unit", "program", "kegiatan", "sub_kegiatan", "line"]
# filter name (query parameter) -> BudgetLine lookup
FILTERS = {
    "unit": "unit_id",
    "program": "sub_kegiatan__kegiatan__program_id",
    "kegiatan": "sub_kegiatan__kegiatan_id",
    "sub_kegiatan": "sub_kegiatan_id",
    "account_class": "account_class",
}


def percent_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole x 100, two decimals; None when the whole is zero."""
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def traffic_light(deviation: Decimal | None, fiscal_year: FiscalYear) -> str:
    """green / amber / red from the deviation behind the cash plan and the year's thresholds."""
    if deviation is None or deviation < fiscal_year.warning_points:
        return "green"
    if deviation < fiscal_year.critical_points:
        return "amber"
    return "red"


@dataclass
class Absorption:
    """Absorption of one group (a unit, program, ... or everything) at the end of a month."""

    key: Any
    label: str = ""
    code: str = ""
    pagu: Decimal = ZERO
    plan: Decimal = ZERO  # cash plan, cumulative to the month
    plan_previous: Decimal = ZERO
    plan_year: Decimal = ZERO  # the 12 months of the cash plan
    realised: Decimal = ZERO  # SP2D, cumulative to the month
    realised_previous: Decimal = ZERO  # cumulative to the month before
    light: str = "green"
    rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def absorption(self) -> Decimal | None:
        return percent_of(self.realised, self.pagu)

    @property
    def absorption_previous(self) -> Decimal | None:
        return percent_of(self.realised_previous, self.pagu)

    @property
    def change(self) -> Decimal | None:
        if self.absorption is None or self.absorption_previous is None:
            return None
        return self.absorption - self.absorption_previous

    @property
    def plan_percent(self) -> Decimal | None:
        return percent_of(self.plan, self.pagu)

    @property
    def deviation(self) -> Decimal | None:
        """Points behind (positive) or ahead of (negative) the cash plan."""
        if self.plan_percent is None or self.absorption is None:
            return None
        return self.plan_percent - self.absorption

    @property
    def achievement(self) -> Decimal | None:
        return percent_of(self.realised, self.plan)

    @property
    def remaining(self) -> Decimal:
        return self.pagu - self.realised

    @property
    def plan_mismatch(self) -> bool:
        return self.plan_year != self.pagu


# --- Years and lines -----------------------------------------------------------------------------


def fiscal_year_list() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.order_by("-year")


def fiscal_year_get(year: int | str | None) -> FiscalYear | None:
    """The year asked for, else the latest year that has a DPA (None when there is none)."""
    if year:
        try:
            return FiscalYear.objects.filter(year=int(year)).first()
        except (TypeError, ValueError):
            return None
    return FiscalYear.objects.order_by("-year").first()


def latest_month(fiscal_year: FiscalYear) -> int:
    """The month of the latest SP2D of the year (1 when there is none yet)."""
    last = Realisation.objects.filter(fiscal_year=fiscal_year).aggregate(last=Max("paid_on"))[
        "last"
    ]
    return last.month if last else 1


# Pass as `viewer` for figures of the whole office outside a request (demo data, jobs).
SYSTEM = object()


def lines(*, viewer: Any, fiscal_year: FiscalYear, **filters: Any) -> QuerySet[BudgetLine]:
    """The viewer's lines of the year, narrowed by FILTERS names (unit, program, kegiatan...)."""
    lookups = {FILTERS[k]: v for k, v in filters.items() if k in FILTERS and v not in (None, "")}
    if viewer is SYSTEM:
        return BudgetLine.objects.filter(fiscal_year=fiscal_year, **lookups)
    return scope_lines(BudgetLine.objects.filter(fiscal_year=fiscal_year, **lookups), viewer)


def line_get(*, viewer: Any, pk: int) -> BudgetLine:
    """One line in the viewer's scope (Http404 otherwise), with its hierarchy and unit."""
    queryset = BudgetLine.objects.select_related(
        "fiscal_year", "unit", "sub_kegiatan__kegiatan__program"
    )
    return access_line(viewer, pk, queryset)


def line_revisions(line: BudgetLine) -> QuerySet[BudgetRevision]:
    return line.revisions.select_related("created_by").order_by("revised_on", "id")


ALLOCATION_ORDERING = ("-paid_on", "-id")
REALISATION_ORDERING = ("-paid_on", "-id")


def line_allocations(line: BudgetLine) -> QuerySet[RealisationAllocation]:
    """The SP2D charged to `line`, newest first (page them with ALLOCATION_ORDERING)."""
    return line.allocations.select_related("realisation")


def line_months(line: BudgetLine) -> list[dict[str, Any]]:
    """The 12 months of a line: cash plan and realised, each with its cumulative total (2 queries)."""
    plan = dict(line.cash_plan.values_list("month", "amount"))
    realised = dict(
        line.allocations.annotate(month=ExtractMonth("paid_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    rows, plan_cum, realised_cum = [], ZERO, ZERO
    for month in range(1, 13):
        plan_cum += plan.get(month, ZERO)
        realised_cum += realised.get(month, ZERO)
        rows.append(
            {
                "month": month,
                "plan": plan.get(month, ZERO),
                "realised": realised.get(month, ZERO),
                "plan_cumulative": plan_cum,
                "realised_cumulative": realised_cum,
                "absorption": percent_of(realised_cum, line.pagu),
            }
        )
    return rows


def allocation_list(*, viewer: Any, fiscal_year: FiscalYear) -> QuerySet[RealisationAllocation]:
    """What each SP2D of the year charged to the viewer's lines (a unit's view of the SP2D; page
    with ALLOCATION_ORDERING: the index on (line, paid_on) serves it whatever the office's size)."""
    visible = lines(viewer=viewer, fiscal_year=fiscal_year)
    return RealisationAllocation.objects.filter(line__in=visible).select_related(
        "realisation", "line__sub_kegiatan"
    )


def realisation_list(*, viewer: Any, fiscal_year: FiscalYear) -> QuerySet[Realisation]:
    """SP2D of the year charging at least one line in the viewer's scope (page them with
    REALISATION_ORDERING; office-wide readers need no join at all)."""
    if viewer is SYSTEM or sees_everything(viewer):
        return Realisation.objects.filter(fiscal_year=fiscal_year)
    visible = lines(viewer=viewer, fiscal_year=fiscal_year)
    return Realisation.objects.filter(
        fiscal_year=fiscal_year,
        pk__in=RealisationAllocation.objects.filter(line__in=visible).values("realisation_id"),
    )


# --- Absorption ----------------------------------------------------------------------------------


def _labels(group: str, keys: Iterable[Any]) -> dict[Any, tuple[str, str]]:
    """(code, label) of each group key: one query for the groups that are rows of a table."""
    keys = [k for k in keys if k is not None]
    if group == "unit":
        return {u.pk: (u.code, u.name) for u in Unit.objects.filter(pk__in=keys)}
    named: dict[str, QuerySet[Any]] = {
        "program": Program.objects.all(),
        "kegiatan": Kegiatan.objects.all(),
        "sub_kegiatan": SubKegiatan.objects.all(),
    }
    if group in named:
        return {o.pk: (o.code, o.name) for o in named[group].filter(pk__in=keys)}
    if group == "line":
        rows = BudgetLine.objects.filter(pk__in=keys).values_list(
            "pk", "account_code", "account_name", "sub_kegiatan__code"
        )
        return {pk: (f"{sub} / {code}", name) for pk, code, name, sub in rows}
    return {k: (str(k), str(k)) for k in keys}


def data_version(fiscal_year: FiscalYear) -> str:
    """A stamp that changes whenever anything the dashboard shows for the year changes: the
    summaries (rebuilt, with new ids, by every write), milestones, provincial figures, the units'
    names and the year's thresholds. One query; the dashboard caches its body under it."""
    summary = AbsorptionSummary._meta.db_table
    milestone = Milestone._meta.db_table
    office = ProvincialOffice._meta.db_table
    unit = Unit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {summary} WHERE fiscal_year_id = %s), "  # noqa: S608
            f"(SELECT MAX(id) FROM {summary} WHERE fiscal_year_id = %s), "
            f"(SELECT SUM(realised) + SUM(plan) + SUM(pagu) FROM {summary} WHERE fiscal_year_id = %s), "
            f"(SELECT COUNT(*) FROM {milestone} WHERE fiscal_year_id = %s), "
            f"(SELECT MAX(updated_at) FROM {milestone} WHERE fiscal_year_id = %s), "
            f"(SELECT COUNT(*) FROM {office} WHERE fiscal_year_id = %s), "
            f"(SELECT MAX(updated_at) FROM {office} WHERE fiscal_year_id = %s), "
            f"(SELECT MAX(updated_at) FROM {unit})",
            [fiscal_year.pk] * 7,
        )
        stamp = cursor.fetchone()
    return "|".join(str(part) for part in [*stamp, fiscal_year.updated_at])


# Groups and filters the summaries answer (models/summary.py); others are computed from the lines.
SUMMARY_GROUPS = {"unit": "unit_id", "program": "program_id", "all": None}
SUMMARY_FILTERS = {"unit": "unit_id", "program": "program_id"}


def _summary_ok(group: str, filters: dict[str, Any]) -> bool:
    used = {k for k, v in filters.items() if k in FILTERS and v not in (None, "")}
    return group in SUMMARY_GROUPS and used <= set(SUMMARY_FILTERS)


def summaries(*, viewer: Any, fiscal_year: FiscalYear, **filters: Any) -> QuerySet[Any]:
    """The viewer's summary rows of the year, narrowed by unit and program."""
    lookups = {
        SUMMARY_FILTERS[k]: v
        for k, v in filters.items()
        if k in SUMMARY_FILTERS and v not in (None, "")
    }
    queryset = AbsorptionSummary.objects.filter(fiscal_year=fiscal_year, **lookups)
    return queryset if viewer is SYSTEM else scope_summaries(queryset, viewer)


def _absorption_from_summaries(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, group: str, **filters: Any
) -> dict[Any, Absorption]:
    """The figures of `absorption_by` from the summary rows (one grouped query)."""
    key = SUMMARY_GROUPS[group]
    fields = [key, "month"] if key else ["month"]
    grouped = (
        summaries(viewer=viewer, fiscal_year=fiscal_year, **filters)
        .values(*fields)
        .annotate(pagu=Sum("pagu"), plan=Sum("plan"), realised=Sum("realised"))
        .order_by()
    )
    rows: dict[Any, Absorption] = {}
    for found in grouped:
        k = found[key] if key else None
        item = rows.get(k) or rows.setdefault(k, Absorption(key=k))
        m = found["month"]
        if m == 0:
            item.pagu += found["pagu"] or ZERO
            continue
        plan, realised = found["plan"] or ZERO, found["realised"] or ZERO
        item.plan_year += plan
        if m <= month:
            item.plan += plan
            item.realised += realised
        if m <= month - 1:
            item.plan_previous += plan
            item.realised_previous += realised
    return rows


def absorption_by(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, group: str = "unit", **filters: Any
) -> list[Absorption]:
    """Absorption at the end of `month` of each group of the viewer's lines.

    `group` is a key of GROUPS; "all" gives one row for everything the viewer sees. By unit, by
    program or in total (filtered by unit or program at most) the figures come from the summaries
    (1 query); the other groups are computed from the lines (4 queries).
    """
    if _summary_ok(group, filters):
        rows = _absorption_from_summaries(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group=group, **filters
        )
    else:
        rows = _absorption_from_lines(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group=group, **filters
        )
    if group != "all":
        labels = _labels(group, rows)
        for k, item in rows.items():
            item.code, item.label = labels.get(k, (str(k), str(k)))
    for item in rows.values():
        item.light = traffic_light(item.deviation, fiscal_year)
    return sorted(rows.values(), key=lambda a: (a.code, str(a.key)))


def _absorption_from_lines(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, group: str, **filters: Any
) -> dict[Any, Absorption]:
    """The figures of `absorption_by` computed from the lines, cash plan and SP2D (3 queries)."""
    scoped = lines(viewer=viewer, fiscal_year=fiscal_year, **filters)
    key = GROUPS[group]
    end = month_end(fiscal_year.year, month)
    # before January: the last day of the year before, which no SP2D of this year matches
    previous_end = (
        month_end(fiscal_year.year, month - 1)
        if month > 1
        else fiscal_year.starts_on - dt.timedelta(days=1)
    )

    def key_of(row: dict[str, Any], prefix: str) -> Any:
        return None if key is None else row[f"{prefix}{key}"]

    rows: dict[Any, Absorption] = {}
    pagu_rows = (
        [scoped.aggregate(pagu=Sum("pagu"))]
        if key is None
        else scoped.values(key).annotate(pagu=Sum("pagu")).order_by()
    )
    for row in pagu_rows:
        k = key_of(row, "")
        if key is None and row["pagu"] is None:
            continue
        rows[k] = Absorption(key=k, pagu=row["pagu"] or ZERO)
    plan_qs = CashPlan.objects.filter(line__in=scoped)
    plan_sums = {
        "plan": Sum(Case(When(month__lte=month, then=F("amount")), default=ZERO)),
        "plan_previous": Sum(Case(When(month__lte=month - 1, then=F("amount")), default=ZERO)),
        "plan_year": Sum("amount"),
    }
    plan_rows = (
        [plan_qs.aggregate(**plan_sums)]
        if key is None
        else plan_qs.values(f"line__{key}").annotate(**plan_sums).order_by()
    )
    for row in plan_rows:
        target = rows.get(key_of(row, "line__"))
        if target is not None:
            target.plan = row["plan"] or ZERO
            target.plan_previous = row["plan_previous"] or ZERO
            target.plan_year = row["plan_year"] or ZERO
    realised_qs = RealisationAllocation.objects.filter(line__in=scoped, paid_on__lte=end)
    realised_sums = {
        "realised": Sum("amount"),
        "realised_previous": Sum(
            Case(When(paid_on__lte=previous_end, then=F("amount")), default=ZERO)
        ),
    }
    realised_rows = (
        [realised_qs.aggregate(**realised_sums)]
        if key is None
        else realised_qs.values(f"line__{key}").annotate(**realised_sums).order_by()
    )
    for row in realised_rows:
        target = rows.get(key_of(row, "line__"))
        if target is not None:
            target.realised = row["realised"] or ZERO
            target.realised_previous = row["realised_previous"] or ZERO
    return rows


def office_absorption(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, **filters: Any
) -> Absorption:
    """One row for everything the viewer sees (the office for office-wide roles)."""
    found = absorption_by(
        viewer=viewer, fiscal_year=fiscal_year, month=month, group="all", **filters
    )
    return found[0] if found else Absorption(key=None)


def league_table(*, viewer: Any, fiscal_year: FiscalYear, month: int) -> list[Absorption]:
    """Units ranked by absorption (highest first); ties go to the smaller deviation, then name."""
    rows = absorption_by(viewer=viewer, fiscal_year=fiscal_year, month=month, group="unit")
    rows.sort(
        key=lambda a: (
            -(a.absorption if a.absorption is not None else Decimal("-1")),
            a.deviation if a.deviation is not None else ZERO,
            a.label,
        )
    )
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def s_curve(
    *, viewer: Any, fiscal_year: FiscalYear, until_month: int, **filters: Any
) -> dict[str, Any]:
    """Cumulative plan % for 12 months and realised % up to `until_month` (1 query from the
    summaries when filtered by unit or program at most, else 3 queries)."""
    if _summary_ok("all", filters):
        by_month: dict[int, tuple[Decimal, Decimal]] = {}
        for found in (
            summaries(viewer=viewer, fiscal_year=fiscal_year, **filters)
            .values("month")
            .annotate(pagu=Sum("pagu"), plan=Sum("plan"), realised=Sum("realised"))
            .order_by()
        ):
            pagu_or_plan = found["pagu"] if found["month"] == 0 else found["plan"]
            by_month[found["month"]] = (pagu_or_plan or ZERO, found["realised"] or ZERO)
        return _curve(
            by_month.get(0, (ZERO, ZERO))[0],
            {m: v[0] for m, v in by_month.items() if m},
            {m: v[1] for m, v in by_month.items() if m},
            until_month,
        )
    scoped = lines(viewer=viewer, fiscal_year=fiscal_year, **filters)
    pagu = scoped.aggregate(pagu=Sum("pagu"))["pagu"] or ZERO
    plan = dict(
        CashPlan.objects.filter(line__in=scoped)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("month", "total")
    )
    realised = dict(
        RealisationAllocation.objects.filter(line__in=scoped)
        .annotate(month=ExtractMonth("paid_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("month", "total")
    )
    return _curve(pagu, plan, realised, until_month)


def _curve(
    pagu: Decimal, plan: dict[int, Decimal], realised: dict[int, Decimal], until_month: int
) -> dict[str, Any]:
    plan_points, realised_points, plan_cum, realised_cum = [], [], ZERO, ZERO
    for month in range(1, 13):
        plan_cum += plan.get(month) or ZERO
        realised_cum += realised.get(month) or ZERO
        plan_points.append(float(percent_of(plan_cum, pagu) or 0))
        if month <= until_month:
            realised_points.append(float(percent_of(realised_cum, pagu) or 0))
    return {"plan": plan_points, "realised": realised_points}


# --- Milestones and projections ----------------------------------------------------------------


def milestones(fiscal_year: FiscalYear) -> list[Milestone]:
    return list(fiscal_year.milestones.order_by("due_on"))


def milestone_get(pk: int) -> Milestone:
    """One milestone (office-wide data: every reader of the budget sees them), else Http404."""
    return get_object_or_404(Milestone.objects.select_related("fiscal_year"), pk=pk)


def progress_by_month(sub_kegiatan_id: int) -> dict[int, PhysicalProgress]:
    """The physical progress reported for a sub kegiatan, by month (one query)."""
    return {
        row.month: row for row in PhysicalProgress.objects.filter(sub_kegiatan_id=sub_kegiatan_id)
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


def mismatch_count(*, viewer: Any, fiscal_year: FiscalYear, **filters: Any) -> int:
    """How many of the viewer's lines have a cash plan that does not add up to the pagu."""
    if _summary_ok("all", filters):
        total = (
            summaries(viewer=viewer, fiscal_year=fiscal_year, **filters)
            .filter(month=0)
            .aggregate(n=Sum("mismatched_lines"))["n"]
        )
        return int(total or 0)
    return cash_plan_mismatches(viewer=viewer, fiscal_year=fiscal_year, **filters).count()


def cash_plan_mismatches(
    *, viewer: Any, fiscal_year: FiscalYear, **filters: Any
) -> QuerySet[BudgetLine]:
    """Lines whose 12 cash-plan months do not add up to the pagu (or that have no cash plan)."""
    # A correlated sum per line (index on the cash plan's line) rather than a join and GROUP BY of
    # every line with its 12 months.
    plan_total = (
        CashPlan.objects.filter(line=OuterRef("pk"))
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        lines(viewer=viewer, fiscal_year=fiscal_year, **filters)
        .annotate(plan_total=Coalesce(Subquery(plan_total), ZERO))
        .exclude(plan_total=F("pagu"))
        .select_related("sub_kegiatan", "unit")
        .order_by("sub_kegiatan__code", "account_code")
    )


# --- Provincial ranking --------------------------------------------------------------------------


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


MONTH_NAMES = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


def drill_trail(chosen: dict[str, Any]) -> list[dict[str, Any]]:
    """The chosen unit/program/kegiatan/sub kegiatan (code, name, the filters up to it): 1 query each."""
    trail: list[dict[str, Any]] = []
    so_far: dict[str, Any] = {}
    for name in DRILL_ORDER[:-1]:
        if name not in chosen:
            break
        so_far[name] = chosen[name]
        code, label = _labels(name, [chosen[name]]).get(chosen[name], ("?", "?"))
        trail.append({"level": name, "code": code, "label": label, "filters": dict(so_far)})
    return trail

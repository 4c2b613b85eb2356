"""Absorption at any level of the DPA (office, unit, program, kegiatan, sub kegiatan, account class,
line), the league of units, the S-curve and the cash plans that do not add up.

By unit, by program or in total the figures come from the absorption summaries (one grouped query
whatever the number of SP2D); the other levels are computed from the lines (three queries).
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, ExtractMonth

from sinergi.budget.models import (
    AbsorptionSummary,
    BudgetLine,
    CashPlan,
    FiscalYear,
    Kegiatan,
    Milestone,
    Program,
    ProvincialOffice,
    RealisationAllocation,
    SubKegiatan,
)
from sinergi.budget.permissions import scope_summaries
from sinergi.budget.selectors.figures import (
    ZERO,
    Absorption,
    month_end,
    percent_of,
    traffic_light,
)
from sinergi.budget.selectors.lines import FILTERS, SYSTEM, lines
from sinergi.organisation.models import Unit

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


def summary_figures(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, group: str, **filters: Any
) -> QuerySet[Any]:
    """The figures behind `absorption_by` read from the summaries: one row per group key (one row
    in all for "all") with the pagu, the cash plan (to the month, to the month before, the year)
    and the SP2D (to the month, to the month before): pagu_total, plan_to_month, plan_to_previous,
    plan_of_year, realised_to_month, realised_to_previous. One grouped query; month 0 holds the
    pagu."""
    months = Q(month__gte=1)
    sums = {
        "pagu_total": Sum("pagu", filter=Q(month=0)),
        "plan_to_month": Sum("plan", filter=months & Q(month__lte=month)),
        "plan_to_previous": Sum("plan", filter=months & Q(month__lte=month - 1)),
        "plan_of_year": Sum("plan", filter=months),
        "realised_to_month": Sum("realised", filter=months & Q(month__lte=month)),
        "realised_to_previous": Sum("realised", filter=months & Q(month__lte=month - 1)),
    }
    key = SUMMARY_GROUPS[group]
    scoped = summaries(viewer=viewer, fiscal_year=fiscal_year, **filters)
    if key is None:
        return scoped.values("fiscal_year_id").annotate(**sums).order_by()
    return scoped.values(key).annotate(**sums).order_by()


def _absorption_from_summaries(
    *, viewer: Any, fiscal_year: FiscalYear, month: int, group: str, **filters: Any
) -> dict[Any, Absorption]:
    """The figures of `absorption_by` from the summary rows (one grouped query)."""
    key = SUMMARY_GROUPS[group]
    rows: dict[Any, Absorption] = {}
    for found in summary_figures(
        viewer=viewer, fiscal_year=fiscal_year, month=month, group=group, **filters
    ):
        k = found[key] if key else None
        rows[k] = Absorption(
            key=k,
            pagu=found["pagu_total"] or ZERO,
            plan=found["plan_to_month"] or ZERO,
            plan_previous=found["plan_to_previous"] or ZERO,
            plan_year=found["plan_of_year"] or ZERO,
            realised=found["realised_to_month"] or ZERO,
            realised_previous=found["realised_to_previous"] or ZERO,
        )
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


def _grouped(queryset: QuerySet[Any], key: str | None, sums: dict[str, Any]) -> list[Any]:
    """The sums of `queryset` in all (one dict when `key` is None) or per value of `key`."""
    if key is None:
        return [queryset.aggregate(**sums)]
    return list(queryset.values(key).annotate(**sums).order_by())


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
    for row in _grouped(scoped, key, {"pagu": Sum("pagu")}):
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
    for row in _grouped(plan_qs, key and f"line__{key}", plan_sums):
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
    for row in _grouped(realised_qs, key and f"line__{key}", realised_sums):
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


def unit_rank(*, fiscal_year: FiscalYear, month: int, unit_id: int) -> tuple[int | None, int]:
    """(rank, number of units) of a unit in the league of the whole office: a KPA sees where
    its unit stands without seeing the other units' figures (2 queries)."""
    table = league_table(viewer=SYSTEM, fiscal_year=fiscal_year, month=month)
    rank = next((row.rank for row in table if row.key == unit_id), None)
    return rank, len(table)


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

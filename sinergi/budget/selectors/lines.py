"""Reads of the years, the viewer's lines, a line's months and the SP2D lists."""

from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404

from sinergi.accounts.permissions import sees_everything
from sinergi.budget.models import (
    BudgetLine,
    BudgetRevision,
    FiscalYear,
    Realisation,
    RealisationAllocation,
)
from sinergi.budget.permissions import access_line, scope_lines
from sinergi.budget.selectors.figures import ZERO, percent_of

# filter name (query parameter) -> BudgetLine lookup
FILTERS = {
    "unit": "unit_id",
    "program": "sub_kegiatan__kegiatan__program_id",
    "kegiatan": "sub_kegiatan__kegiatan_id",
    "sub_kegiatan": "sub_kegiatan_id",
    "account_class": "account_class",
}


def fiscal_year_list() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.order_by("-year")


def fiscal_year_get(year: int | str | None) -> FiscalYear | None:
    """The year asked for, else the latest year that has a DPA (None when there is none)."""
    return fiscal_years(year)[0]


def fiscal_years(year: int | str | None) -> tuple[FiscalYear | None, list[FiscalYear]]:
    """The year asked for (else the latest; None when unknown or none was set up) and every year,
    newest first, for the year selector: one query (a handful of rows)."""
    years = list(FiscalYear.objects.order_by("-year"))
    if not year:
        return (years[0] if years else None), years
    try:
        wanted = int(year)
    except (TypeError, ValueError):
        return None, years
    return next((y for y in years if y.year == wanted), None), years


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


def realisation_get(*, viewer: Any, pk: int) -> Realisation:
    """One SP2D charging at least one line in the viewer's scope, else Http404."""
    queryset = Realisation.objects.select_related("fiscal_year")
    if viewer is not SYSTEM and not sees_everything(viewer):
        visible = scope_lines(BudgetLine.objects.all(), viewer)
        charged = RealisationAllocation.objects.filter(line__in=visible)
        queryset = queryset.filter(pk__in=charged.values("realisation_id"))
    try:
        return queryset.get(pk=pk)
    except (Realisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def realisation_allocations(
    *, viewer: Any, realisation: Realisation
) -> list[RealisationAllocation]:
    """What an SP2D charged to each of the viewer's lines, in code order (one query)."""
    queryset = realisation.allocations.select_related("line__sub_kegiatan", "line__unit")
    if viewer is not SYSTEM:
        queryset = queryset.filter(line__in=scope_lines(BudgetLine.objects.all(), viewer))
    return list(queryset.order_by("line__sub_kegiatan__code", "line__account_code"))

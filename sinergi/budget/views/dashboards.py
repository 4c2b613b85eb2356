"""The head's dashboard, a KPA's unit dashboard and the drill-down from the office to a line.

Both dashboards cache their body (the figures below the header) under the viewer's scope, the
period, the language and `selectors.data_version`, which changes with every write: a cached body is
never stale, and a repeated view costs a handful of small queries whatever the number of SP2D.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import require_permission, sees_everything
from sinergi.budget import selectors
from sinergi.budget.models import FiscalYear
from sinergi.budget.views.common import (
    ALERT_LIMIT,
    Period,
    chart,
    empty_page,
    int_or_none,
    period_of,
)
from sinergi.organisation import selectors as organisation

DASHBOARD_CACHE_SECONDS = 15 * 60


def _cached_body(
    request: HttpRequest,
    *,
    scope: str,
    period: Period,
    template: str,
    figures: Callable[[], dict[str, Any]],
) -> str:
    """The rendered `template` for this scope and period, from the cache while no write changed
    the year's figures (one query to know), else rendered from `figures()` and cached."""
    stamp = "|".join(
        [
            template,
            scope,
            str(period.fiscal_year.pk),
            str(period.month),
            get_language() or "",
            selectors.data_version(period.fiscal_year),
        ]
    )
    key = "budget:body:" + hashlib.sha256(stamp.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, {**period.context(), **figures()}, request=request)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    return body


def _office_figures(viewer: Any, fiscal_year: FiscalYear, month: int) -> dict[str, Any]:
    """Everything the dashboard body shows (a fixed handful of grouped queries)."""
    milestone, projections = selectors.unit_projections(
        viewer=viewer, fiscal_year=fiscal_year, month=month
    )
    office = selectors.office_absorption(viewer=viewer, fiscal_year=fiscal_year, month=month)
    return {
        "office": office,
        "office_projection": selectors.project(office, month=month, milestone=milestone),
        "league": sorted((p.row for p in projections), key=lambda r: r.rank or 0),
        "alerts": [p for p in projections if p.will_miss][:ALERT_LIMIT],
        "alert_count": sum(1 for p in projections if p.will_miss),
        "projections": {p.row.key: p for p in projections},
        "milestone": milestone,
        "milestones": selectors.milestones(fiscal_year),
        "ranking": selectors.provincial_ranking(fiscal_year=fiscal_year, month=month),
        "mismatch_count": selectors.mismatch_count(viewer=viewer, fiscal_year=fiscal_year),
        "chart": chart(
            selectors.s_curve(viewer=viewer, fiscal_year=fiscal_year, until_month=month)
        ),
    }


@require_GET
@require_permission("budget.view_budgetline")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The head's view: office absorption, S-curve, unit league table, alerts, provincial rank.
    The body below the header is cached per scope, period, language and data version."""
    period = period_of(request)
    if period is None:
        return empty_page(request)
    viewer = request.user
    whole_office = sees_everything(viewer)
    unit = getattr(viewer, "unit", None)
    body = _cached_body(
        request,
        scope="all" if whole_office else getattr(unit, "path", ""),
        period=period,
        template="budget/includes/dashboard_body.html",
        figures=lambda: _office_figures(viewer, period.fiscal_year, period.month),
    )
    context = {**period.context(), "whole_office": whole_office, "body": body}
    return render(request, "budget/dashboard.html", context)


def _unit_figures(viewer: Any, unit: Any, fiscal_year: FiscalYear, month: int) -> dict[str, Any]:
    """What a unit's dashboard body shows: the unit's absorption and projection, its rank among
    all units, its programs, the lines whose cash plan does not add up, the S-curve."""
    filters = {"unit": unit.pk}
    row = selectors.office_absorption(
        viewer=viewer, fiscal_year=fiscal_year, month=month, **filters
    )
    milestone = selectors.next_milestone(fiscal_year, month)
    rank, units = selectors.unit_rank(fiscal_year=fiscal_year, month=month, unit_id=unit.pk)
    return {
        "unit": unit,
        "row": row,
        "rank": rank if row.pagu else None,
        "rank_total": units,
        "projection": selectors.project(row, month=month, milestone=milestone),
        "milestone": milestone,
        "programs": selectors.absorption_by(
            viewer=viewer, fiscal_year=fiscal_year, month=month, group="program", **filters
        ),
        "mismatches": list(
            selectors.cash_plan_mismatches(viewer=viewer, fiscal_year=fiscal_year, **filters)[
                :ALERT_LIMIT
            ]
        ),
        "chart": chart(
            selectors.s_curve(viewer=viewer, fiscal_year=fiscal_year, until_month=month, **filters)
        ),
    }


@require_GET
@require_permission("budget.view_budgetline")
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A KPA's view of its unit: absorption, rank, S-curve, programs, projection and plan
    warnings. The unit lies in the viewer's scope, so its figures are the same for every viewer:
    the body is cached per unit, period, language and data version."""
    unit = organisation.unit_get(viewer=request.user, pk=pk)  # 404 outside the viewer's scope
    period = period_of(request)
    if period is None:
        return empty_page(request)
    body = _cached_body(
        request,
        scope=f"unit:{unit.pk}",
        period=period,
        template="budget/includes/unit_body.html",
        figures=lambda: _unit_figures(request.user, unit, period.fiscal_year, period.month),
    )
    return render(
        request, "budget/unit_dashboard.html", {**period.context(), "unit": unit, "body": body}
    )


@require_GET
@require_permission("budget.view_budgetline")
def drill(request: HttpRequest) -> HttpResponse:
    """Absorption one level below the chosen one: office -> unit -> program -> ... -> line."""
    period = period_of(request)
    if period is None:
        return empty_page(request)
    fiscal_year, month = period.fiscal_year, period.month
    filters = {name: int_or_none(request.GET.get(name)) for name in selectors.DRILL_ORDER[:-1]}
    chosen = {k: v for k, v in filters.items() if v is not None}
    if "unit" in chosen:  # a unit outside the viewer's scope: the same 404 as a missing one
        organisation.unit_get(viewer=request.user, pk=chosen["unit"])
    level = next((name for name in selectors.DRILL_ORDER if name not in chosen), "line")
    if request.GET.get("per") == "account_class":
        level = "account_class"
    rows = selectors.absorption_by(
        viewer=request.user, fiscal_year=fiscal_year, month=month, group=level, **chosen
    )
    base = f"tahun={fiscal_year.year}&bulan={month}" + "".join(
        f"&{k}={v}" for k, v in chosen.items()
    )
    context = {
        **period.context(),
        "rows": rows,
        "level": level,
        "base_query": base,
        "trail": selectors.drill_trail(chosen),
        "keep": list(chosen.items()),
        "total": selectors.office_absorption(
            viewer=request.user, fiscal_year=fiscal_year, month=month, **chosen
        ),
    }
    return render(request, "budget/drill.html", context)

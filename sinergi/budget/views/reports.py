"""The monthly absorption report of the units in the viewer's scope, as xlsx and PDF."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sinergi.accounts.permissions import require_permission
from sinergi.budget import selectors
from sinergi.budget.models import Milestone
from sinergi.budget.views.common import Period, period_of
from sinergi.core.exports import ExportColumn, pdf_response, xlsx_response

LIGHTS = {
    "green": gettext_lazy("On track"),
    "amber": gettext_lazy("Behind"),
    "red": gettext_lazy("Far behind"),
}


def _report(request: HttpRequest) -> tuple[Period, Milestone | None, list[selectors.Projection]]:
    """The period asked for, the next milestone and each unit's figures and projection, in the
    order of the league table (404 when no fiscal year was set up: nothing to report)."""
    period = period_of(request)
    if period is None:
        raise Http404
    milestone, projections = selectors.unit_projections(
        viewer=request.user, fiscal_year=period.fiscal_year, month=period.month
    )
    projections.sort(key=lambda p: p.row.rank or 0)
    return period, milestone, projections


def _light(projection: Any) -> str:
    return str(LIGHTS[projection.row.light])


REPORT_COLUMNS = [
    ExportColumn("row.rank", gettext_lazy("Rank"), kind="int"),
    ExportColumn("row.code", gettext_lazy("Unit code")),
    ExportColumn("row.label", gettext_lazy("Unit")),
    ExportColumn("row.pagu", gettext_lazy("Pagu"), kind="money"),
    ExportColumn("row.plan", gettext_lazy("Cash plan to date"), kind="money"),
    ExportColumn("row.realised", gettext_lazy("Realisation to date"), kind="money"),
    ExportColumn("row.absorption", gettext_lazy("Absorption (%)"), kind="decimal"),
    ExportColumn("row.plan_percent", gettext_lazy("Cash plan (%)"), kind="decimal"),
    ExportColumn("row.deviation", gettext_lazy("Deviation (points)"), kind="decimal"),
    ExportColumn(_light, gettext_lazy("Status")),
    ExportColumn("row.change", gettext_lazy("Change since last month (points)"), kind="decimal"),
    ExportColumn("from_plan", gettext_lazy("Year end by the cash plan (%)"), kind="decimal"),
    ExportColumn("from_pace", gettext_lazy("Year end at the current pace (%)"), kind="decimal"),
    ExportColumn("will_miss", gettext_lazy("Will miss the next milestone"), kind="bool"),
    ExportColumn(
        "per_month", gettext_lazy("To realise per month for the next milestone"), kind="money"
    ),
]


@require_GET
@require_permission("budget.view_budgetline")
def report_xlsx(request: HttpRequest) -> HttpResponse:
    period, _milestone, projections = _report(request)
    return xlsx_response(
        filename=f"serapan-{period.fiscal_year.year}-{period.month:02d}",
        sheet_title=_("Absorption"),
        columns=REPORT_COLUMNS,
        rows=projections,
    )


@require_GET
@require_permission("budget.view_budgetline")
def report_pdf(request: HttpRequest) -> HttpResponse:
    period, milestone, projections = _report(request)
    fiscal_year, month = period.fiscal_year, period.month
    office = selectors.office_absorption(viewer=request.user, fiscal_year=fiscal_year, month=month)
    context = {
        **period.context(),
        "title": _("Budget absorption report"),
        "projections": projections,
        "office": office,
        "office_projection": selectors.project(office, month=month, milestone=milestone),
        "milestone": milestone,
        "alerts": [p for p in projections if p.will_miss],
    }
    return pdf_response(
        request,
        template="budget/report_pdf.html",
        context=context,
        filename=f"serapan-{fiscal_year.year}-{month:02d}",
    )

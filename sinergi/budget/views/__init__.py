"""Budget pages: office and unit dashboards, drill-down to the lines, a line with its SP2D and
revisions, SP2D entry and cancellation, milestones, the provincial table and the monthly
absorption report (xlsx, PDF). Thin: parse, select, render."""

from sinergi.budget.views.dashboards import dashboard, drill, unit_dashboard
from sinergi.budget.views.lines import line_detail, progress_create, revision_create
from sinergi.budget.views.planning import (
    fiscal_year_status,
    fiscal_year_thresholds,
    milestone_edit,
    milestone_list,
    provincial_list,
)
from sinergi.budget.views.realisations import (
    realisation_cancel,
    realisation_create,
    realisation_list,
)
from sinergi.budget.views.reports import report_pdf, report_xlsx

__all__ = [
    "dashboard",
    "drill",
    "fiscal_year_status",
    "fiscal_year_thresholds",
    "line_detail",
    "milestone_edit",
    "milestone_list",
    "progress_create",
    "provincial_list",
    "realisation_cancel",
    "realisation_create",
    "realisation_list",
    "report_pdf",
    "report_xlsx",
    "revision_create",
    "unit_dashboard",
]

"""Writes of the budget: fiscal years, DPA lines and their revisions, cash plans, SP2D realisations,
physical progress, milestones and the provincial table. Every change writes an audit event, and
the absorption summaries follow in the same transaction."""

from sinergi.budget.services.bulk import (
    BulkResult,
    cash_plans_import,
    dpa_lines_import,
    progress_import,
)
from sinergi.budget.services.dpa import (
    cash_plan_set,
    fiscal_year_get_or_create,
    fiscal_year_set_status,
    fiscal_year_set_thresholds,
    line_realised,
    line_save,
    pagu_revise,
    split_quarters,
)
from sinergi.budget.services.monitoring import (
    milestone_save,
    progress_report,
    provincial_office_save,
)
from sinergi.budget.services.realisations import realisation_cancel, realisation_create
from sinergi.budget.services.summaries import (
    summaries_deferred,
    summaries_rebuild,
    summaries_refresh,
)

__all__ = [
    "BulkResult",
    "cash_plan_set",
    "cash_plans_import",
    "dpa_lines_import",
    "fiscal_year_get_or_create",
    "fiscal_year_set_status",
    "fiscal_year_set_thresholds",
    "line_realised",
    "line_save",
    "milestone_save",
    "pagu_revise",
    "progress_import",
    "progress_report",
    "provincial_office_save",
    "realisation_cancel",
    "realisation_create",
    "split_quarters",
    "summaries_deferred",
    "summaries_rebuild",
    "summaries_refresh",
]

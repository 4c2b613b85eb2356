"""Writes of the performance app (every change audited in its own transaction)."""

from sinergi.performance.services.agreements import agreement_draw, agreement_sign, band_save
from sinergi.performance.services.plan import (
    check_year,
    goal_save,
    indicator_save,
    objective_save,
    period_save,
    target_set,
    validate_target,
)
from sinergi.performance.services.realisation import (
    check_evidence_file,
    fill_automatic,
    fill_indicator,
    period_is_locked,
    period_lock,
    period_unlock,
    quarter_bounds,
    realisation_enter,
    realisation_fill,
    realisation_unlock,
    realisation_verify,
    scheduled_fill,
)
from sinergi.performance.services.spm import spm_figure_save, spm_fill, spm_service_save
from sinergi.performance.services.summary import (
    summaries_deferred,
    summaries_rebuild,
    summaries_refresh,
)

__all__ = [
    "agreement_draw",
    "agreement_sign",
    "band_save",
    "check_evidence_file",
    "check_year",
    "fill_automatic",
    "fill_indicator",
    "goal_save",
    "indicator_save",
    "objective_save",
    "period_is_locked",
    "period_lock",
    "period_save",
    "period_unlock",
    "quarter_bounds",
    "realisation_enter",
    "realisation_fill",
    "realisation_unlock",
    "realisation_verify",
    "scheduled_fill",
    "spm_figure_save",
    "spm_fill",
    "spm_service_save",
    "summaries_deferred",
    "summaries_rebuild",
    "summaries_refresh",
    "target_set",
    "validate_target",
]

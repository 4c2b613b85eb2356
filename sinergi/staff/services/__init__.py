"""Writes of the staff app, split by topic; every change is audited in its own transaction."""

from sinergi.staff.models.periods import due_on
from sinergi.staff.services.employees import (
    check_nip,
    employee_create,
    employee_update,
    supervisor_chain,
)
from sinergi.staff.services.monthly import (
    EVIDENCE_EXTENSIONS,
    evidence_max_bytes,
    is_closed,
    month_close,
    month_reopen,
    month_submit,
    realisation_save,
)
from sinergi.staff.services.reminders import send_reminders
from sinergi.staff.services.skp import (
    evaluation_save,
    predikat_for,
    rhk_delete,
    rhk_save,
    skp_approve,
    skp_create,
    skp_open_revision,
    skp_period,
    skp_return,
    skp_submit,
)
from sinergi.staff.services.summaries import compliance_refresh

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "check_nip",
    "compliance_refresh",
    "due_on",
    "employee_create",
    "employee_update",
    "evaluation_save",
    "evidence_max_bytes",
    "is_closed",
    "month_close",
    "month_reopen",
    "month_submit",
    "predikat_for",
    "realisation_save",
    "rhk_delete",
    "rhk_save",
    "send_reminders",
    "skp_approve",
    "skp_create",
    "skp_open_revision",
    "skp_period",
    "skp_return",
    "skp_submit",
    "supervisor_chain",
]

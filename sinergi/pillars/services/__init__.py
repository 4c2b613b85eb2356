"""Writes of the pillars app (every change audited), split by topic."""

from sinergi.pillars.services.aid import (
    batch_approve,
    committed_on_line,
    cycle_generate,
    entitlement_exclude,
    follow_up_create,
    funding_set,
    insert_entitlements,
    rate_add,
)
from sinergi.pillars.services.payments import (
    ResultFileRejected,
    RowProblem,
    bank_file_export,
    bank_file_lines,
    can_export_bank_file,
    nominative_request,
    read_result_file,
    record_nominative,
    result_apply,
)
from sinergi.pillars.services.registry import (
    check_account,
    check_nik,
    member_create,
    member_set_account,
    member_set_status,
    member_update,
    training_add,
)

__all__ = [
    "ResultFileRejected",
    "RowProblem",
    "bank_file_export",
    "bank_file_lines",
    "batch_approve",
    "can_export_bank_file",
    "check_account",
    "check_nik",
    "committed_on_line",
    "cycle_generate",
    "entitlement_exclude",
    "follow_up_create",
    "funding_set",
    "insert_entitlements",
    "member_create",
    "member_set_account",
    "member_set_status",
    "member_update",
    "nominative_request",
    "rate_add",
    "read_result_file",
    "record_nominative",
    "result_apply",
    "training_add",
]

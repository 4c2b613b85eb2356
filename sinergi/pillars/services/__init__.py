"""Writes of the pillars app (every change audited), split by topic."""

from sinergi.pillars.services.aid import (
    batch_approve,
    committed_on_line,
    cycle_generate,
    entitlement_exclude,
    follow_up_create,
    insert_entitlements,
)
from sinergi.pillars.services.bank_files import (
    bank_file_export,
    bank_file_lines,
    can_export_bank_file,
    check_columns,
    check_payable,
    layout_save,
    nominative_request,
    record_nominative,
)
from sinergi.pillars.services.checks import check_account, check_employee, check_nik
from sinergi.pillars.services.reference import reference_load
from sinergi.pillars.services.registry import (
    member_create,
    member_set_account,
    member_set_status,
    member_update,
    training_add,
)
from sinergi.pillars.services.results import (
    ResultFileRejected,
    RowProblem,
    read_result_file,
    result_apply,
)
from sinergi.pillars.services.schemes import funding_set, rate_add
from sinergi.pillars.services.summaries import refresh_totals, summaries_rebuild

__all__ = [
    "ResultFileRejected",
    "RowProblem",
    "bank_file_export",
    "bank_file_lines",
    "batch_approve",
    "can_export_bank_file",
    "check_account",
    "check_columns",
    "check_employee",
    "check_nik",
    "check_payable",
    "committed_on_line",
    "cycle_generate",
    "entitlement_exclude",
    "follow_up_create",
    "funding_set",
    "insert_entitlements",
    "layout_save",
    "member_create",
    "member_set_account",
    "member_set_status",
    "member_update",
    "nominative_request",
    "rate_add",
    "read_result_file",
    "record_nominative",
    "reference_load",
    "refresh_totals",
    "result_apply",
    "summaries_rebuild",
    "training_add",
]

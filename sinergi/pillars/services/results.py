"""The bank's result file: every row checked against the batch first (unknown references,
amounts or accounts that differ, a reference or an account twice, transfers already settled),
then applied at once or not at all, with the paid total recorded as one realisation (SP2D) on the
cycle's budget line through the budget app's services."""

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget import services as budget
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah
from sinergi.core.tabular import CellError, Column
from sinergi.core.tabular.readers import SpreadsheetError, inspect_file, open_sheet
from sinergi.pillars.models import (
    AuditAction,
    Batch,
    BatchStatus,
    Entitlement,
    EntitlementStatus,
    ResultImport,
    transfer_reference,
)
from sinergi.pillars.permissions import RECONCILE_BATCH
from sinergi.pillars.services.summaries import summaries_rebuild

ZERO = Decimal("0")
CHUNK = 2000


PAID_WORDS = {"berhasil", "sukses", "success", "successful", "paid", "dibayar", "ok", "lunas"}
FAILED_WORDS = {"gagal", "failed", "fail", "ditolak", "rejected", "retur", "return"}
HEADERS = {
    "reference": {"referensi", "reference", "ref", "no_referensi", "no referensi"},
    "status": {"status"},
    "amount": {"nominal", "amount", "jumlah"},
    "reason": {"alasan", "reason", "keterangan", "keterangan_gagal"},
    "account": {"no_rekening", "nomor_rekening", "rekening", "norek", "account", "account_number"},
}
_AMOUNT = Column("nominal", "Nominal", kind="decimal")


@dataclass
class RowProblem:
    row: int
    message: str


class ResultFileRejected(ApplicationError):
    """The result file was refused as a whole; `problems` lists every row's problem."""

    def __init__(self, message: str, problems: list[RowProblem]) -> None:
        super().__init__(message, code="result_rejected")
        self.problems = problems


@dataclass
class _Parsed:
    paid: list[int] = field(default_factory=list)
    failed: dict[str, list[int]] = field(default_factory=dict)
    paid_amount: Decimal = ZERO
    problems: list[RowProblem] = field(default_factory=list)


def _header_map(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header.strip().lower()
        for name, spellings in HEADERS.items():
            if key in spellings and name not in found:
                found[name] = index
    return found


@dataclass(frozen=True)
class _Transfer:
    pk: int
    amount: Decimal
    status: str
    account_number: str


def _known_transfers(batch: Batch) -> dict[str, _Transfer]:
    return {
        transfer_reference(pk, attempt): _Transfer(pk, amount, status, account)
        for pk, attempt, amount, status, account in Entitlement.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .values_list("pk", "attempt", "amount", "status", "account_number")
        .iterator(chunk_size=CHUNK)
    }


def _account_text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell of a spreadsheet
        text = text[:-2]
    return "".join(text.split())


class _RowChecker:
    """The checks of one result file's rows against the batch's transfers."""

    def __init__(self, batch: Batch, columns: dict[str, int]) -> None:
        self.known = _known_transfers(batch)
        self.columns = columns
        self.references: dict[str, int] = {}  # reference -> first row
        self.accounts: dict[str, int] = {}  # account number -> first row

    def problem(self, number: int, cell: Any) -> tuple[str | None, _Transfer | None, str]:
        """(problem or None, the transfer, the status text) of one row."""
        reference = str(cell("reference") or "").strip()
        status_text = str(cell("status") or "").strip().lower()
        entry = self.known.get(reference)
        problem: str | None = None
        if reference in self.references:
            problem = _(
                "Reference %(ref)s appears twice (also on row %(other)s). Keep one row."
            ) % {"ref": reference, "other": self.references[reference]}
        elif entry is None:
            problem = _(
                "Reference %(ref)s is not a transfer of this batch. Check that the file belongs "
                "to this batch."
            ) % {"ref": reference}
        elif entry.status != EntitlementStatus.PENDING:
            problem = _("Transfer %(ref)s was already settled by an earlier result file.") % {
                "ref": reference
            }
        elif status_text not in PAID_WORDS | FAILED_WORDS:
            problem = _("Status %(status)s is unknown: write berhasil or gagal.") % {
                "status": cell("status") or ""
            }
        else:
            problem = self._amount_problem(cell("amount"), entry) or self._account_problem(
                number, cell, entry
            )
        self.references.setdefault(reference, number)
        return problem, entry, status_text

    def _amount_problem(self, value: Any, entry: _Transfer) -> str | None:
        try:
            amount = Decimal(_AMOUNT.parse(value))
        except CellError as error:
            return str(error.message)
        if amount != entry.amount:
            return _("The amount %(amount)s differs from the entitlement of %(expected)s.") % {
                "amount": rupiah(amount),
                "expected": rupiah(entry.amount),
            }
        return None

    def _account_problem(self, number: int, cell: Any, entry: _Transfer) -> str | None:
        if "account" not in self.columns:
            return None
        account = _account_text(cell("account"))
        if not account:
            return None
        if account in self.accounts:
            return _(
                "Account %(account)s appears twice (also on row %(other)s): each member is paid "
                "into their own account. Ask the bank to check the file."
            ) % {"account": account, "other": self.accounts[account]}
        self.accounts[account] = number
        if account != entry.account_number:
            return _(
                "Account %(account)s differs from the account %(expected)s the transfer was sent "
                "to. Check that the file belongs to this batch."
            ) % {"account": account, "expected": entry.account_number}
        return None


def _parse_rows(batch: Batch, headers: list[str], rows: Any) -> _Parsed:
    columns = _header_map(headers)
    missing = [n for n in ("reference", "status", "amount") if n not in columns]
    if missing:
        raise ApplicationError(
            _(
                "The result file needs the columns referensi, status and nominal (alasan for "
                "failed transfers). Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)},
            code="missing_columns",
        )
    checker = _RowChecker(batch, columns)
    parsed = _Parsed()
    for number, cells in rows:

        def cell(name: str, cells: Any = cells) -> Any:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        if not any(c not in (None, "") for c in cells):
            continue  # an empty line
        problem, entry, status_text = checker.problem(number, cell)
        if problem or entry is None:
            parsed.problems.append(RowProblem(number, str(problem)))
            continue
        if status_text in PAID_WORDS:
            parsed.paid.append(entry.pk)
            parsed.paid_amount += entry.amount
        else:
            reason = str(cell("reason") or "").strip()[:255] or _("no reason given")
            parsed.failed.setdefault(reason, []).append(entry.pk)
    return parsed


def read_result_file(batch: Batch, content: bytes, filename: str) -> _Parsed:
    """Every row of the file checked against the batch (no change is made)."""
    suffix = Path(filename).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(content)
        handle.flush()
        try:
            info = inspect_file(Path(handle.name), filename)
            with open_sheet(Path(handle.name), info) as sheet:
                return _parse_rows(batch, sheet.headers, sheet.rows)
        except SpreadsheetError as error:
            raise ApplicationError(error.message, code="unreadable") from error


def _update_in_chunks(ids: list[int], **values: Any) -> None:
    step = 50_000 if connection.vendor == "postgresql" else 500
    for start in range(0, len(ids), step):
        Entitlement.objects.filter(pk__in=ids[start : start + step]).update(**values)


@transaction.atomic
def result_apply(
    *,
    actor: Any,
    batch: Batch,
    content: bytes,
    filename: str,
    paid_on: dt.date,
    sp2d_number: str = "",
) -> ResultImport:
    """Apply the bank's result file: paid and failed transfers marked, the paid total recorded as
    one realisation (SP2D) on the cycle's budget line. Refused as a whole, with every row's
    problem, for unknown references, amounts or accounts that differ, a reference or an account
    twice, or transfers already settled; a realisation the budget refuses (above the pagu, an
    SP2D number already used) undoes everything too."""
    if actor is None or not actor.has_perm(RECONCILE_BATCH):
        raise ApplicationError(_("Your role may not apply bank result files."), code="forbidden")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__budget_line__fiscal_year", "cycle__scheme")
        .get(pk=batch.pk)
    )
    if batch.status == BatchStatus.RECONCILED:
        raise ApplicationError(
            _(
                "Every transfer of this batch is already settled by an earlier result file. "
                "Nothing was changed."
            ),
            code="already_reconciled",
        )
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.EXPORTED):
        raise ApplicationError(
            _("Result files are applied to approved batches that were sent to the bank."),
            code="not_sent",
        )
    parsed = read_result_file(batch, content, filename)
    if parsed.problems:
        raise ResultFileRejected(
            _(
                "The result file was not applied: %(count)d rows have problems (listed below). "
                "Nothing was changed. Correct the file and upload it again."
            )
            % {"count": len(parsed.problems)},
            parsed.problems,
        )
    if not parsed.paid and not parsed.failed:
        raise ApplicationError(_("The result file has no rows."), code="empty")
    line = batch.cycle.budget_line
    sp2d_number = sp2d_number.strip()
    if parsed.paid and line is not None and not sp2d_number:
        raise ApplicationError(
            _("Enter the SP2D number of the payment: it is recorded as realisation."),
            field_errors={"sp2d_number": [_("Required when transfers were paid.")]},
        )
    if paid_on > dt.date.today():
        raise ApplicationError(
            _("The payment date lies in the future."), field_errors={"paid_on": [_("Check it.")]}
        )
    result = ResultImport.objects.create(
        batch=batch,
        uploaded_by=actor,
        sha256=hashlib.sha256(content).hexdigest(),
        paid_count=len(parsed.paid),
        failed_count=sum(len(ids) for ids in parsed.failed.values()),
        paid_amount=parsed.paid_amount,
        paid_on=paid_on,
        sp2d_number=sp2d_number,
    )
    now = timezone.now()
    _update_in_chunks(
        parsed.paid, status=EntitlementStatus.PAID, paid_on=paid_on, result=result, updated_at=now
    )
    for reason, ids in parsed.failed.items():
        _update_in_chunks(
            ids,
            status=EntitlementStatus.FAILED,
            failure_reason=reason,
            result=result,
            updated_at=now,
        )
    if parsed.paid and line is not None:
        result.realisation = budget.realisation_create(
            actor=actor,
            fiscal_year=line.fiscal_year,
            sp2d_number=sp2d_number,
            paid_on=paid_on,
            sp2d_type="LS",
            allocations={line: parsed.paid_amount},
            description=f"{batch.cycle} #{batch.number}"[:255],
        )
        result.save(update_fields=["realisation", "updated_at"])
    summaries_rebuild([batch.pk])
    if not Entitlement.objects.filter(batch=batch, status=EntitlementStatus.PENDING).exists():
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.RECONCILED, reconciled_at=now, updated_at=now
        )
    audit.record(
        actor=actor,
        action=AuditAction.RESULT_APPLIED,
        target=batch,
        changes={"paid": [None, result.paid_count], "failed": [None, result.failed_count]},
        extra={
            "sha256": result.sha256,
            "paid_amount": str(result.paid_amount),
            "sp2d_number": sp2d_number,
            "realisation": result.realisation_id,
        },
    )
    return result

"""Writes around the money leaving: the bank bulk-transfer file, the bank's result file (all rows
checked, then applied at once or not at all) with the realisation on the budget line, and the
record of every daftar nominatif printed."""

import csv
import datetime as dt
import hashlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.budget import services as budget
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah
from sinergi.core.tabular import CellError, Column
from sinergi.core.tabular.readers import SpreadsheetError, inspect_file, open_sheet
from sinergi.pillars.models import (
    AuditAction,
    BankFileLayout,
    Batch,
    BatchStatus,
    Entitlement,
    EntitlementStatus,
    NominativeDocument,
    ResultImport,
    transfer_reference,
)
from sinergi.pillars.permissions import ADD_CYCLE, RECONCILE_BATCH, VIEW_CYCLE

ZERO = Decimal("0")
CHUNK = 2000


# --- Bank bulk-transfer file ---------------------------------------------------------------------


def can_export_bank_file(actor: Any) -> bool:
    return bool(actor.has_perm(RECONCILE_BATCH) or actor.has_perm(ADD_CYCLE))


def _amount_text(amount: Decimal, amount_format: str) -> str:
    if amount_format == BankFileLayout.AmountFormat.INTEGER:
        return str(int(amount))
    text = f"{amount:.2f}"
    return (
        text.replace(".", ",")
        if amount_format == BankFileLayout.AmountFormat.DECIMAL_COMMA
        else text
    )


def bank_file_lines(batch: Batch, layout: BankFileLayout) -> Iterator[str]:
    """The file's text in chunks: an optional header line, then one line per entitlement to pay."""
    columns = list(layout.columns)
    description = layout.description_template.format(
        scheme=batch.cycle.scheme.short_name, quarter=batch.cycle.quarter, year=batch.cycle.year
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=layout.separator, lineterminator="\r\n")
    if layout.has_header:
        writer.writerow([c["header"] for c in columns])
    rows = (
        Entitlement.objects.filter(batch=batch, status=EntitlementStatus.PENDING)
        .order_by("id")
        .values_list(
            "id",
            "attempt",
            "account_number",
            "account_holder",
            "bank__code",
            "bank__short_name",
            "amount",
            "regency_id",
            "pillar_type__code",
        )
    )
    amount_format = layout.amount_format
    for sequence, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        values = {
            "sequence": sequence,
            "reference": transfer_reference(row[0], row[1]),
            "account_number": row[2],
            "account_holder": row[3],
            "bank_code": row[4],
            "bank_name": row[5],
            "amount": _amount_text(row[6], amount_format),
            "description": description,
            "regency_code": row[7],
            "pillar_type": row[8],
        }
        writer.writerow(
            [values[c["field"]] if "field" in c else c.get("value", "") for c in columns]
        )
        if sequence % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@transaction.atomic
def bank_file_export(
    *, actor: Any, batch: Batch, layout: BankFileLayout
) -> tuple[str, Iterator[str]]:
    """Record the export (one audit event; the batch becomes "sent to the bank") and return the
    download name and the file's text, streamed. Only approved batches are paid."""
    if not can_export_bank_file(actor):
        raise ApplicationError(_("Your role may not make bank transfer files."), code="forbidden")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__scheme")
        .get(pk=batch.pk)
    )
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.EXPORTED, BatchStatus.RECONCILED):
        raise ApplicationError(
            _("The batch is not approved yet. The bank file is made after the approval."),
            code="not_approved",
        )
    pending = Entitlement.objects.filter(batch=batch, status=EntitlementStatus.PENDING).count()
    if pending == 0:
        raise ApplicationError(
            _("Every transfer of this batch is already settled; there is nothing left to pay."),
            code="nothing_to_pay",
        )
    now = timezone.now()
    if batch.status == BatchStatus.APPROVED:
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.EXPORTED, exported_at=now, updated_at=now
        )
    audit.record(
        actor=actor,
        action=AuditAction.BANK_FILE_EXPORTED,
        target=batch,
        changes={"status": [batch.status, BatchStatus.EXPORTED]}
        if batch.status == BatchStatus.APPROVED
        else None,
        extra={"layout": layout.code, "rows": pending},
        kind=AuditEvent.Kind.READ,
    )
    cycle = batch.cycle
    filename = f"transfer-{cycle.scheme.code}-{cycle.year}-tw{cycle.quarter}-b{batch.number}.csv"
    return filename, bank_file_lines(batch, layout)


# --- The bank's result file ---------------------------------------------------------------------

PAID_WORDS = {"berhasil", "sukses", "success", "successful", "paid", "dibayar", "ok", "lunas"}
FAILED_WORDS = {"gagal", "failed", "fail", "ditolak", "rejected", "retur", "return"}
HEADERS = {
    "reference": {"referensi", "reference", "ref", "no_referensi", "no referensi"},
    "status": {"status"},
    "amount": {"nominal", "amount", "jumlah"},
    "reason": {"alasan", "reason", "keterangan", "keterangan_gagal"},
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
    known = {
        transfer_reference(pk, attempt): (pk, amount, status)
        for pk, attempt, amount, status in Entitlement.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .values_list("pk", "attempt", "amount", "status")
        .iterator(chunk_size=CHUNK)
    }
    parsed, seen = _Parsed(), dict[str, int]()
    ref_i, status_i, amount_i = columns["reference"], columns["status"], columns["amount"]
    reason_i = columns.get("reason")
    for number, cells in rows:

        def cell(index: int | None, cells: Any = cells) -> Any:
            return cells[index] if index is not None and index < len(cells) else None

        reference = str(cell(ref_i) or "").strip()
        if not reference and not any(c not in (None, "") for c in cells):
            continue  # an empty line
        problem = None
        entry = known.get(reference)
        status_text = str(cell(status_i) or "").strip().lower()
        if reference in seen:
            problem = _(
                "Reference %(ref)s appears twice (also on row %(other)s). Keep one row."
            ) % {
                "ref": reference,
                "other": seen[reference],
            }
        elif entry is None:
            problem = _(
                "Reference %(ref)s is not a transfer of this batch. Check that the file belongs "
                "to this batch."
            ) % {"ref": reference}
        elif entry[2] != EntitlementStatus.PENDING:
            problem = _("Transfer %(ref)s was already settled by an earlier result file.") % {
                "ref": reference
            }
        elif status_text not in PAID_WORDS | FAILED_WORDS:
            problem = _("Status %(status)s is unknown: write berhasil or gagal.") % {
                "status": cell(status_i) or ""
            }
        else:
            try:
                amount = _AMOUNT.parse(cell(amount_i))
            except CellError as error:
                problem = error.message
            else:
                if Decimal(amount) != entry[1]:
                    problem = _(
                        "The amount %(amount)s differs from the entitlement of %(expected)s."
                    ) % {"amount": rupiah(Decimal(amount)), "expected": rupiah(entry[1])}
        seen.setdefault(reference, number)
        if problem:
            parsed.problems.append(RowProblem(number, str(problem)))
            continue
        assert entry is not None
        if status_text in PAID_WORDS:
            parsed.paid.append(entry[0])
            parsed.paid_amount += entry[1]
        else:
            reason = str(cell(reason_i) or "").strip()[:255] or _("no reason given")
            parsed.failed.setdefault(reason, []).append(entry[0])
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
    for start in range(0, len(ids), 50_000 if connection.vendor == "postgresql" else 500):
        Entitlement.objects.filter(pk__in=ids[start : start + 50_000]).update(**values)


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
    problem, for unknown references, amounts that differ, duplicate rows or settled transfers."""
    if actor is None or not actor.has_perm(RECONCILE_BATCH):
        raise ApplicationError(_("Your role may not apply bank result files."), code="forbidden")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__budget_line__fiscal_year", "cycle__scheme")
        .get(pk=batch.pk)
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


# --- Daftar nominatif -------------------------------------------------------------------------


def nominative_request(*, actor: Any, batch: Batch) -> NominativeDocument:
    """Queue a big daftar nominatif; the job (pillars.tasks.write_nominative) starts after commit.

    The task is found by its dotted path: tasks sit above services in the app's layers."""
    from functools import partial

    from django.utils.module_loading import import_string

    if actor is None or not actor.has_perm(VIEW_CYCLE):
        raise ApplicationError(_("Your role may not print this list."), code="forbidden")
    document = NominativeDocument.objects.create(batch=batch, requested_by=actor)
    task = import_string("sinergi.pillars.tasks.write_nominative")
    transaction.on_commit(partial(task.enqueue, document.pk))
    return document


def record_nominative(*, actor: Any, batch: Batch, rows: int) -> None:
    """A printed daftar nominatif shows people's names and accounts: logged as a read."""
    if actor is not None and not actor.has_perm(VIEW_CYCLE):
        raise ApplicationError(_("Your role may not print this list."), code="forbidden")
    audit.record(
        actor=actor,
        action=AuditAction.NOMINATIVE_PRINTED,
        target=batch,
        extra={"rows": rows},
        kind=AuditEvent.Kind.READ,
    )

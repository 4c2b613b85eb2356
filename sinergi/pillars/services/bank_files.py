"""The money leaving: the bank bulk-transfer file (a CSV layout per bank, kept as data and edited
by finance), the check that a batch can be paid at all (every transfer has bank details, no
account twice), and the record of every daftar nominatif printed."""

import csv
import io
import operator
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.pillars.models import (
    AuditAction,
    Bank,
    BankFileLayout,
    Batch,
    BatchStatus,
    Entitlement,
    EntitlementStatus,
    NominativeDocument,
    transfer_reference,
)
from sinergi.pillars.permissions import (
    ADD_CYCLE,
    CHANGE_LAYOUT,
    RECONCILE_BATCH,
    VIEW_CYCLE,
)

CHUNK = 2000
SEPARATORS = {",": ",", ";": ";", "|": "|", "tab": "\t", "\t": "\t"}
REQUIRED_FIELDS = ("reference", "account_number", "amount")
SHOWN = 5  # references named in a message before "and N more"


# --- Can the batch be paid? -----------------------------------------------------------------------


def _references(rows: list[tuple[int, int]], total: int) -> str:
    shown = ", ".join(transfer_reference(pk, attempt) for pk, attempt in rows[:SHOWN])
    if total > SHOWN:
        shown += " " + _("and %(count)d more") % {"count": total - SHOWN}
    return shown


def check_payable(batch: Batch) -> None:
    """Refuse a batch whose unpaid transfers lack bank details or send two transfers to one
    account: the message names the transfers, so the officer can exclude or correct them."""
    pending = Entitlement.objects.filter(batch=batch, status=EntitlementStatus.PENDING)
    missing = pending.filter(Q(account_number="") | Q(account_holder=""))
    missing_rows = list(missing.order_by("id").values_list("id", "attempt")[: SHOWN + 1])
    if missing_rows:
        total = missing.count() if len(missing_rows) > SHOWN else len(missing_rows)
        raise ApplicationError(
            _(
                "%(count)d transfers of this batch have no account number or holder name "
                "(%(references)s). Exclude them, or correct the members' bank accounts and pay "
                "them in a follow-up batch."
            )
            % {"count": total, "references": _references(missing_rows, total)},
            code="missing_bank_details",
        )
    doubled = list(
        pending.values_list("bank_id", "account_number")
        .annotate(n=Count("*"))
        .filter(n__gt=1)
        .order_by("bank_id", "account_number")[:SHOWN]
    )
    if doubled:
        bank_id, number, n = doubled[0]
        rows = list(
            pending.filter(bank_id=bank_id, account_number=number)
            .order_by("id")
            .values_list("id", "attempt")
        )
        bank = Bank.objects.filter(pk=bank_id).values_list("short_name", flat=True).first()
        raise ApplicationError(
            _(
                "Account %(bank)s %(number)s receives %(count)d transfers in this batch "
                "(%(references)s). Each member is paid into their own account: exclude the wrong "
                "one and correct that member's account."
            )
            % {
                "bank": bank or "",
                "number": number,
                "count": n,
                "references": _references(rows, len(rows)),
            },
            code="duplicate_account",
        )


# --- Layouts ------------------------------------------------------------------------------------


def _layout_error(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_layout", field_errors={field: [message]})


def check_columns(columns: Any) -> list[dict[str, str]]:
    """The columns of a layout: each a header and either one of BankFileLayout.FIELDS or a fixed
    value; the reference, the account number and the amount must be among them."""
    if not isinstance(columns, list) or not columns:
        raise _layout_error(_("Give the layout at least one column."), "columns")
    cleaned: list[dict[str, str]] = []
    for number, column in enumerate(columns, start=1):
        header = str(column.get("header", "")).strip() if isinstance(column, dict) else ""
        if not header or len(header) > 60:
            raise _layout_error(
                _("Column %(number)d needs a header of at most 60 characters.")
                % {"number": number},
                "columns",
            )
        if "field" in column:
            if column["field"] not in BankFileLayout.FIELDS:
                raise _layout_error(
                    _("Column %(number)d: %(field)s is unknown. Use one of: %(fields)s.")
                    % {
                        "number": number,
                        "field": column["field"],
                        "fields": ", ".join(BankFileLayout.FIELDS),
                    },
                    "columns",
                )
            cleaned.append({"header": header, "field": str(column["field"])})
        else:
            cleaned.append({"header": header, "value": str(column.get("value", ""))[:60]})
    present = {c.get("field") for c in cleaned}
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if missing:
        raise _layout_error(
            _(
                "The layout must hold the columns %(missing)s: the bank needs the account and "
                "the amount, and the result file is matched by the reference."
            )
            % {"missing": ", ".join(missing)},
            "columns",
        )
    return cleaned


def _check_description(template: str) -> str:
    template = template.strip()
    try:
        sample = template.format(scheme="BOP PILAR SOSIAL", quarter=1, year=2026)
    except (KeyError, IndexError, ValueError):
        raise _layout_error(
            _("The description may only use {scheme}, {quarter} and {year}."),
            "description_template",
        ) from None
    if not sample:
        raise _layout_error(_("Write the description of the transfers."), "description_template")
    return template


LAYOUT_FIELDS = [
    "code",
    "name",
    "bank",
    "columns",
    "separator",
    "has_header",
    "amount_format",
    "description_template",
    "is_default",
    "is_confirmed",
    "notes",
]


@transaction.atomic
def layout_save(
    *,
    actor: Any,
    layout: BankFileLayout | None = None,
    code: str,
    name: str,
    bank: Bank,
    columns: list[dict[str, str]],
    separator: str = ",",
    has_header: bool = True,
    amount_format: str = BankFileLayout.AmountFormat.INTEGER,
    description_template: str = "{scheme} TW{quarter} {year}",
    is_default: bool = False,
    is_confirmed: bool = False,
    notes: str = "",
) -> BankFileLayout:
    """Create or change a bank's bulk-transfer layout. Making one the default unsets the other."""
    if actor is not None and not actor.has_perm(CHANGE_LAYOUT):
        raise ApplicationError(_("Your role may not change bank file layouts."), code="forbidden")
    if separator not in SEPARATORS:
        raise _layout_error(_("Choose a separator: comma, semicolon, | or tab."), "separator")
    if layout is not None:
        layout = BankFileLayout.objects.select_for_update().get(pk=layout.pk)
    before = audit.snapshot(layout, LAYOUT_FIELDS) if layout is not None else {}
    target = layout or BankFileLayout()
    target.code = code.strip().lower()
    target.name = " ".join(name.split())
    target.bank = bank
    target.columns = check_columns(columns)
    target.separator = SEPARATORS[separator]
    target.has_header = has_header
    target.amount_format = amount_format
    target.description_template = _check_description(description_template)
    target.is_default = is_default
    target.is_confirmed = is_confirmed
    target.notes = notes.strip()
    target.full_clean(validate_unique=False, validate_constraints=False)
    if is_default:
        BankFileLayout.objects.filter(is_default=True).exclude(pk=target.pk).update(
            is_default=False
        )
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise _layout_error(
            _("Another layout already has the code %(code)s. Choose another code.")
            % {"code": target.code},
            "code",
        ) from exc
    changes = audit.changes_between(before, audit.snapshot(target, LAYOUT_FIELDS))
    audit.record(actor=actor, action=AuditAction.LAYOUT_SAVED, target=target, changes=changes)
    return target


# --- The bulk-transfer file -----------------------------------------------------------------------


def can_export_bank_file(actor: Any) -> bool:
    return bool(actor.has_perm(RECONCILE_BATCH) or actor.has_perm(ADD_CYCLE))


def _amount_text(amount: Any, amount_format: str) -> str:
    if amount_format == BankFileLayout.AmountFormat.INTEGER:
        return str(int(amount))
    text = f"{amount:.2f}"
    return (
        text.replace(".", ",")
        if amount_format == BankFileLayout.AmountFormat.DECIMAL_COMMA
        else text
    )


def bank_file_lines(batch: Batch, layout: BankFileLayout) -> Iterator[str]:
    """The file's text in chunks: an optional header line, then one line per transfer to pay.

    Each line's values are picked from one tuple by a single `itemgetter` (the layout's columns
    mapped to positions once), so a 100k-row file costs little more than a bare CSV write."""
    columns = list(layout.columns)
    description = layout.description_template.format(
        scheme=batch.cycle.scheme.short_name, quarter=batch.cycle.quarter, year=batch.cycle.year
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=layout.separator, lineterminator="\r\n")
    if layout.has_header:
        writer.writerow([c["header"] for c in columns])
    fields = list(BankFileLayout.FIELDS)
    constants = [c.get("value", "") for c in columns if "field" not in c]
    positions, next_constant = [], len(fields)
    for column in columns:
        if "field" in column:
            positions.append(fields.index(column["field"]))
        else:
            positions.append(next_constant)
            next_constant += 1
    pick = operator.itemgetter(*positions)
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
    for sequence, (pk, attempt, account, holder, code, bank, amount, regency, kind) in enumerate(
        rows.iterator(chunk_size=CHUNK), start=1
    ):
        # In the order of BankFileLayout.FIELDS, then the layout's fixed values.
        values = (
            sequence,
            transfer_reference(pk, attempt),
            account,
            holder,
            code,
            bank,
            _amount_text(amount, amount_format),
            description,
            regency,
            kind,
            *constants,
        )
        picked = pick(values)
        writer.writerow(picked if len(positions) > 1 else (picked,))
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
    download name and the file's text, streamed. Only approved batches whose every transfer has
    bank details and its own account are paid."""
    if not can_export_bank_file(actor):
        raise ApplicationError(_("Your role may not make bank transfer files."), code="forbidden")
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__scheme")
        .get(pk=batch.pk)
    )
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.EXPORTED):
        raise ApplicationError(
            _("The batch is not approved yet. The bank file is made after the approval.")
            if batch.status == BatchStatus.DRAFT
            else _("Every transfer of this batch is already settled; there is nothing to pay."),
            code="not_approved" if batch.status == BatchStatus.DRAFT else "nothing_to_pay",
        )
    pending = Entitlement.objects.filter(batch=batch, status=EntitlementStatus.PENDING).count()
    if pending == 0:
        raise ApplicationError(
            _("Every transfer of this batch is already settled; there is nothing left to pay."),
            code="nothing_to_pay",
        )
    check_payable(batch)
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

"""Writes of the quarterly aid: cycle generation (set-based), maker-checker approval, exclusions
during review and follow-up batches for failed transfers."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget import selectors as budget_selectors
from sinergi.budget import services as budget
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah
from sinergi.pillars.models import (
    AidRate,
    AidScheme,
    AuditAction,
    Batch,
    BatchStatus,
    Cycle,
    Entitlement,
    EntitlementFailure,
    EntitlementStatus,
    Member,
    SchemeFunding,
    quarter_start,
    rates_in_force,
)
from sinergi.pillars.permissions import ADD_CYCLE, APPROVE_BATCH, can_manage_unit
from sinergi.pillars.services.bank_files import check_payable
from sinergi.pillars.services.summaries import refresh_totals, summaries_rebuild

ZERO = Decimal("0")


def _deny(message: str) -> ApplicationError:
    return ApplicationError(message, code="forbidden")


# --- Generation ------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rates_source(rates: dict[tuple[int, str], AidRate]) -> tuple[str, list[Any]]:
    """The applicable rates as a derived table (type_id, role, rate_id, amount), portable SQL."""
    parts, params = [], []
    for (type_id, role), rate in sorted(rates.items()):
        parts.append(
            "SELECT CAST(%s AS integer) AS type_id, CAST(%s AS varchar(24)) AS role, "
            "CAST(%s AS bigint) AS rate_id, CAST(%s AS numeric(18, 2)) AS amount"
        )
        params += [type_id, role, rate.pk, str(rate.amount)]
    return " UNION ALL ".join(parts), params


def _eligible_from(
    rates: dict[tuple[int, str], AidRate], unit_path: str, start: dt.date, end: dt.date
) -> tuple[str, list[Any]]:
    """FROM/WHERE of the members eligible for a quarter: active (not suspended, not ended), with a
    ready bank account, serving during the quarter, managed in the unit's subtree."""
    source, params = _rates_source(rates)
    member, unit = _q(Member._meta.db_table), _q("organisation_unit")
    sql = (
        f"FROM {member} m "
        f"JOIN ({source}) r ON r.type_id = m.pillar_type_id AND r.role = m.role "
        f"JOIN {unit} u ON u.id = m.unit_id "
        "WHERE m.status = 'active' AND m.account_ready AND m.active_from <= %s "
        "AND (m.active_until IS NULL OR m.active_until >= %s) AND u.path LIKE %s"
    )
    return sql, [*params, end, start, f"{unit_path}%"]


def insert_entitlements(*, cycle: Cycle, batch: Batch, rates: dict[Any, AidRate]) -> int:
    """One INSERT ... SELECT of every eligible member's entitlement; members already entitled for
    the scheme and quarter (another unit's cycle) are skipped by the unique constraint."""
    from_sql, from_params = _eligible_from(rates, cycle.unit.path, cycle.starts_on, cycle.ends_on)
    now = timezone.now()
    table = _q(Entitlement._meta.db_table)
    sql = (
        f"INSERT INTO {table} (cycle_id, batch_id, member_id, scheme_id, year, quarter, "
        "pillar_type_id, role, regency_id, rate_id, amount, bank_id, account_number, "
        "account_holder, status, attempt, failure_reason, created_at, updated_at) "
        "SELECT %s, %s, m.id, %s, %s, %s, m.pillar_type_id, m.role, m.regency_id, r.rate_id, "
        "r.amount, m.bank_id, m.account_number, m.account_holder, 'pending', 1, '', %s, %s "
        f"{from_sql} ORDER BY m.id "
        "ON CONFLICT (member_id, scheme_id, year, quarter) DO NOTHING"
    )
    params = [
        cycle.pk,
        batch.pk,
        cycle.scheme_id,
        cycle.year,
        cycle.quarter,
        now,
        now,
        *from_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@transaction.atomic
def cycle_generate(
    *,
    actor: Any,
    scheme: AidScheme,
    year: int,
    quarter: int,
    unit: Any = None,
    pptk_name: str = "",
    treasurer_name: str = "",
    kpa_name: str = "",
) -> Cycle:
    """Generate a quarter's entitlements for every eligible member of `unit`'s subtree (the
    actor's unit by default), set-based, as batch 1 under review. The rate in force on the
    quarter's first day applies. One audit event."""
    unit = unit if unit is not None else getattr(actor, "unit", None)
    if unit is None or not can_manage_unit(actor, unit, ADD_CYCLE):
        raise _deny(_("You can only generate cycles for your own unit."))
    if not 1 <= int(quarter) <= 4:
        raise ApplicationError(
            _("Choose a quarter from 1 to 4."), field_errors={"quarter": [_("1 to 4.")]}
        )
    if not scheme.is_active:
        raise ApplicationError(_("This scheme is no longer active. Choose an active scheme."))
    start = quarter_start(year, quarter)
    rates = rates_in_force(scheme.pk, start)
    if not rates:
        raise ApplicationError(
            _("No rate of this scheme is in force on %(date)s. Add the rates first (Aid schemes).")
            % {"date": start.strftime("%d-%m-%Y")},
            code="no_rate",
        )
    funding = SchemeFunding.objects.filter(scheme=scheme, year=year).select_related("budget_line")
    line = funding[0].budget_line if funding else None
    cycle = Cycle(
        scheme=scheme,
        year=year,
        quarter=quarter,
        unit=unit,
        budget_line=line,
        pptk_name=pptk_name or (line.pptk_name if line else ""),
        treasurer_name=treasurer_name,
        kpa_name=kpa_name,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _(
                "Quarter %(quarter)s of %(year)s of this scheme was already generated for this "
                "unit. Open the existing cycle."
            )
            % {"quarter": quarter, "year": year},
            code="conflict",
        ) from exc
    batch = Batch.objects.create(cycle=cycle, number=1, created_by=actor)
    inserted = insert_entitlements(cycle=cycle, batch=batch, rates=rates)
    if inserted == 0:
        raise ApplicationError(
            _(
                "No member is eligible for this quarter: none is active during it with a ready "
                "bank account, or all are already in another cycle of the quarter. Check the "
                "registry (status, active period, bank account)."
            ),
            code="nothing_eligible",
        )
    refresh_totals(batch)
    audit.record(
        actor=actor,
        action=AuditAction.CYCLE_GENERATED,
        target=cycle,
        changes={"entitlements": [None, batch.entitlement_count]},
        extra={
            "batch": batch.pk,
            "total": str(batch.total_amount),
            "rates": {f"{t}/{r or '*'}": str(rate.amount) for (t, r), rate in rates.items()},
        },
    )
    return cycle


# --- Review and approval ------------------------------------------------------------------------


@transaction.atomic
def entitlement_exclude(*, actor: Any, entitlement: Entitlement, reason: str) -> Entitlement:
    """Take one entitlement out of a batch under review (e.g. the member died), with the reason."""
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__unit")
        .get(pk=entitlement.batch_id)
    )
    if not can_manage_unit(actor, batch.cycle.unit, ADD_CYCLE):
        raise _deny(_("Only the pillar officers of the cycle's unit can change it."))
    if batch.status != BatchStatus.DRAFT:
        raise ApplicationError(
            _("The batch is already approved; entitlements can only be excluded under review."),
            code="not_draft",
        )
    if not reason.strip():
        raise ApplicationError(
            _("Write why this entitlement is excluded."), field_errors={"reason": [_("Required.")]}
        )
    updated = Entitlement.objects.filter(
        pk=entitlement.pk, status=EntitlementStatus.PENDING
    ).update(status=EntitlementStatus.EXCLUDED, failure_reason=reason.strip()[:255])
    if updated:
        refresh_totals(batch)
        audit.record(
            actor=actor,
            action=AuditAction.ENTITLEMENT_EXCLUDED,
            target=batch,
            changes={"status": [EntitlementStatus.PENDING, EntitlementStatus.EXCLUDED]},
            extra={"entitlement": entitlement.pk, "reason": reason.strip()},
        )
    entitlement.refresh_from_db()
    return entitlement


def committed_on_line(line: Any, *, excluding_batch: Batch | None = None) -> Decimal:
    """Approved or sent amounts on `line` not yet realised (reserved against its pagu)."""
    queryset = Entitlement.objects.filter(
        cycle__budget_line=line,
        status=EntitlementStatus.PENDING,
        batch__status__in=[BatchStatus.APPROVED, BatchStatus.EXPORTED],
    )
    if excluding_batch is not None:
        queryset = queryset.exclude(batch=excluding_batch)
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def batch_approve(*, actor: Any, batch: Batch) -> Batch:
    """The checker approves a batch under review. Refused: the maker approving their own batch, a
    batch already approved (a concurrent approval), transfers without bank details or two to one
    account, and a total above what remains of the pagu. The budget line is locked while its
    remainder is checked, so two batches charged to it cannot both take its last rupiah."""
    if actor is None or not actor.has_perm(APPROVE_BATCH):
        raise _deny(_("Your role may not approve payment batches."))
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("cycle__budget_line__fiscal_year", "approved_by")
        .get(pk=batch.pk)
    )
    if batch.status != BatchStatus.DRAFT:
        raise ApplicationError(
            _("This batch was already approved (by %(name)s). Reload the page.")
            % {"name": batch.approved_by.get_full_name() if batch.approved_by else "-"},
            code="conflict",
        )
    if batch.created_by_id == actor.pk:
        raise ApplicationError(
            _(
                "You generated this batch, so you cannot approve it too (maker-checker). Ask "
                "another finance officer to approve it."
            ),
            code="maker_checker",
        )
    if batch.entitlement_count == 0:
        raise ApplicationError(_("The batch has no entitlement left to pay."), code="empty")
    check_payable(batch)
    line = batch.cycle.budget_line
    if line is not None:
        line = (
            budget_selectors.lines(viewer=budget_selectors.SYSTEM, fiscal_year=line.fiscal_year)
            .select_for_update(of=("self",))
            .select_related("sub_kegiatan")
            .get(pk=line.pk)
        )
        remaining = line.pagu - budget.line_realised(line) - committed_on_line(line)
        if batch.total_amount > remaining:
            raise ApplicationError(
                _(
                    "This batch would take line %(line)s above its pagu of %(pagu)s: only "
                    "%(remaining)s remains. Lower the amount, or revise the pagu first."
                )
                % {
                    "line": f"{line.sub_kegiatan.code} / {line}",
                    "pagu": rupiah(line.pagu),
                    "remaining": rupiah(remaining),
                },
                code="above_pagu",
            )
    now = timezone.now()
    updated = Batch.objects.filter(pk=batch.pk, status=BatchStatus.DRAFT).update(
        status=BatchStatus.APPROVED, approved_by=actor, approved_at=now, updated_at=now
    )
    if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
        raise ApplicationError(
            _("This batch was already approved. Reload the page."), code="conflict"
        )
    batch.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.BATCH_APPROVED,
        target=batch,
        changes={"status": [BatchStatus.DRAFT, BatchStatus.APPROVED]},
        extra={"entitlements": batch.entitlement_count, "total": str(batch.total_amount)},
    )
    return batch


# --- Follow-up batches ----------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(*, actor: Any, cycle: Cycle) -> Batch:
    """Put the cycle's failed transfers whose member now has a ready account into a new batch
    under review, with the account as it is now; the failed attempts are kept."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("unit").get(pk=cycle.pk)
    if not can_manage_unit(actor, cycle.unit, ADD_CYCLE):
        raise _deny(_("Only the pillar officers of the cycle's unit can make a follow-up batch."))
    failed = Entitlement.objects.filter(
        cycle=cycle, status=EntitlementStatus.FAILED, member__account_ready=True
    )
    ids = list(failed.values_list("pk", flat=True))
    if not ids:
        raise ApplicationError(
            _(
                "There is no failed transfer whose member has a ready bank account. Correct the "
                "members' bank accounts first, then make the follow-up batch."
            ),
            code="nothing_to_follow_up",
        )
    number = (cycle.batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    batch = Batch.objects.create(cycle=cycle, number=number, created_by=actor)
    EntitlementFailure.objects.bulk_create(
        [
            EntitlementFailure(
                entitlement_id=e.pk,
                batch_id=e.batch_id,
                attempt=e.attempt,
                bank_id=e.bank_id,
                account_number=e.account_number,
                reason=e.failure_reason,
            )
            for e in Entitlement.objects.filter(pk__in=ids).only(
                "pk", "batch_id", "attempt", "bank_id", "account_number", "failure_reason"
            )
        ],
        batch_size=1000,
    )
    earlier_batches = set(
        Entitlement.objects.filter(pk__in=ids).values_list("batch_id", flat=True).distinct()
    )
    member = Member.objects.filter(pk=OuterRef("member_id"))
    Entitlement.objects.filter(pk__in=ids).update(
        batch=batch,
        status=EntitlementStatus.PENDING,
        attempt=F("attempt") + 1,
        failure_reason="",
        result=None,
        bank_id=Subquery(member.values("bank_id")[:1]),
        account_number=Subquery(member.values("account_number")[:1]),
        account_holder=Subquery(member.values("account_holder")[:1]),
        updated_at=timezone.now(),
    )
    refresh_totals(batch)
    summaries_rebuild(earlier_batches)
    audit.record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_CREATED,
        target=batch,
        changes={"entitlements": [None, batch.entitlement_count]},
        extra={"cycle": cycle.pk, "total": str(batch.total_amount)},
    )
    return batch

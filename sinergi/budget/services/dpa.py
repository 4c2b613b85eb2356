"""Writes of the DPA: fiscal years, lines one by one, pagu revisions and a line's cash plan."""

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget.models import (
    AuditAction,
    BudgetLine,
    BudgetRevision,
    CashPlan,
    FiscalYear,
    Kegiatan,
    Program,
    RealisationAllocation,
    SubKegiatan,
)
from sinergi.budget.models.dpa import account_class_of
from sinergi.budget.services.rules import (
    ZERO,
    author_of,
    require_in_year,
    require_open,
    today_within,
)
from sinergi.budget.services.summaries import summaries_changed, summaries_changed_everywhere
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah


@transaction.atomic
def fiscal_year_get_or_create(*, actor: Any, year: int) -> FiscalYear:
    """The fiscal year `year`, created open when missing."""
    fiscal_year, created = FiscalYear.objects.get_or_create(year=year)
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.FISCAL_YEAR_SAVED,
            target=fiscal_year,
            changes={"year": [None, year], "status": [None, fiscal_year.status]},
        )
    return fiscal_year


@transaction.atomic
def fiscal_year_set_status(*, actor: Any, fiscal_year: FiscalYear, status: str) -> FiscalYear:
    """Close a year (no more entries, revisions, progress or milestones) or open it again."""
    if status not in FiscalYear.Status.values:
        raise ApplicationError(_("Choose open or closed."), code="invalid_status")
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if fiscal_year.status == status:
        return fiscal_year
    old = fiscal_year.status
    fiscal_year.status = status
    fiscal_year.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.FISCAL_YEAR_SAVED,
        target=fiscal_year,
        changes={"status": [old, status]},
    )
    return fiscal_year


def _upsert_named(
    model: Any, *, fiscal_year: FiscalYear, code: str, name: str, **parent: Any
) -> tuple[Any, bool]:
    """The program, kegiatan or sub kegiatan `code` of the year, created or renamed; and whether
    an existing one moved to another parent (then the summaries of every unit change)."""
    obj = model.objects.filter(fiscal_year=fiscal_year, code=code).first()
    if obj is None:
        obj = model(fiscal_year=fiscal_year, code=code, name=name, **parent)
        obj.full_clean()
        obj.save()
        return obj, False
    moved = any(getattr(obj, f"{k}_id") != v.pk for k, v in parent.items())
    if obj.name != name or moved:
        obj.name = name
        for key, value in parent.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()
    return obj, moved


LINE_FIELDS = ["account_code", "account_name", "unit", "pptk_name", "pagu", "sub_kegiatan"]


@transaction.atomic
def line_save(
    *,
    actor: Any,
    fiscal_year: FiscalYear,
    program: tuple[str, str],
    kegiatan: tuple[str, str],
    sub_kegiatan: tuple[str, str],
    account_code: str,
    account_name: str,
    unit: Any,
    pptk_name: str = "",
    pagu: Decimal,
    revised_on: dt.date | None = None,
) -> tuple[BudgetLine, str]:
    """Create or update a DPA line by (sub kegiatan, account code, unit); say "created", "updated"
    or "unchanged". A new pagu on an existing line is recorded as an amendment, never overwritten."""
    require_open(fiscal_year)
    prog, _moved = _upsert_named(Program, fiscal_year=fiscal_year, code=program[0], name=program[1])
    keg, kegiatan_moved = _upsert_named(
        Kegiatan, fiscal_year=fiscal_year, code=kegiatan[0], name=kegiatan[1], program=prog
    )
    sub, sub_moved = _upsert_named(
        SubKegiatan,
        fiscal_year=fiscal_year,
        code=sub_kegiatan[0],
        name=sub_kegiatan[1],
        kegiatan=keg,
    )
    if kegiatan_moved or sub_moved:
        summaries_changed_everywhere(fiscal_year.pk)
    line = (
        BudgetLine.objects.select_for_update()
        .filter(sub_kegiatan=sub, account_code=account_code, unit=unit)
        .first()
    )
    if line is None:
        line = BudgetLine(
            fiscal_year=fiscal_year,
            sub_kegiatan=sub,
            account_code=account_code,
            account_name=account_name,
            account_class=account_class_of(account_code),
            unit=unit,
            pptk_name=pptk_name,
            pagu=pagu,
        )
        line.full_clean()
        line.save()
        BudgetRevision.objects.create(
            line=line,
            kind=BudgetRevision.Kind.INITIAL,
            old_pagu=ZERO,
            new_pagu=pagu,
            revised_on=revised_on or fiscal_year.starts_on,
            reference="DPA",
            created_by=author_of(actor),
        )
        audit.record(
            actor=actor,
            action=AuditAction.LINE_CREATED,
            target=line,
            changes={k: [None, v] for k, v in audit.snapshot(line, LINE_FIELDS).items()},
        )
        summaries_changed(fiscal_year.pk, [line.unit_id])
        return line, "created"
    before = audit.snapshot(line, LINE_FIELDS)
    line.account_name = account_name
    line.pptk_name = pptk_name
    line.full_clean()
    changes = audit.changes_between(before, audit.snapshot(line, LINE_FIELDS))
    if changes:
        line.save()
        audit.record(actor=actor, action=AuditAction.LINE_UPDATED, target=line, changes=changes)
    if Decimal(pagu) != line.pagu:
        pagu_revise(
            actor=actor,
            line=line,
            new_pagu=Decimal(pagu),
            kind=BudgetRevision.Kind.AMENDMENT,
            revised_on=revised_on or today_within(fiscal_year),
            reference=_("DPA import"),
            reason="",
        )
        line.refresh_from_db()
        return line, "updated"
    return line, "updated" if changes else "unchanged"


def line_realised(line: BudgetLine) -> Decimal:
    """Everything realised (SP2D) on `line` so far."""
    total = RealisationAllocation.objects.filter(line=line).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


@transaction.atomic
def pagu_revise(
    *,
    actor: Any,
    line: BudgetLine,
    new_pagu: Decimal,
    kind: str,
    revised_on: dt.date,
    reference: str,
    reason: str,
) -> BudgetRevision:
    """Record a pergeseran/perubahan of a line's pagu; the line's pagu becomes the new one.

    A pagu below what has already been realised on the line is refused.
    """
    line = BudgetLine.objects.select_for_update().select_related("fiscal_year").get(pk=line.pk)
    require_open(line.fiscal_year)
    require_in_year(line.fiscal_year, revised_on, "revised_on")
    realised = line_realised(line)
    if new_pagu < realised:
        raise ApplicationError(
            _(
                "The new pagu %(pagu)s of line %(line)s is below the %(realised)s already "
                "realised on it. Enter at least %(realised)s."
            )
            % {"pagu": rupiah(new_pagu), "line": str(line), "realised": rupiah(realised)},
            code="pagu_below_realised",
            field_errors={"new_pagu": [_("Enter at least the amount already realised.")]},
        )
    revision = BudgetRevision(
        line=line,
        kind=kind,
        old_pagu=line.pagu,
        new_pagu=new_pagu,
        revised_on=revised_on,
        reference=reference,
        reason=reason,
        created_by=author_of(actor),
    )
    revision.full_clean()
    revision.save()
    old = line.pagu
    line.pagu = new_pagu
    line.save(update_fields=["pagu", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.PAGU_REVISED,
        target=line,
        changes={"pagu": [old, new_pagu]},
        extra={"kind": kind, "reference": reference, "reason": reason},
    )
    summaries_changed(line.fiscal_year_id, [line.unit_id])
    return revision


# --- Cash plan -------------------------------------------------------------------------------


CENT = Decimal("0.01")


def split_quarters(quarters: Sequence[Decimal]) -> list[Decimal]:
    """The 12 months of a quarterly cash plan: each quarter split evenly over its 3 months, to the
    cent, the remainder in its last month (100 -> 33.33, 33.33, 33.34), so the months add up to
    exactly the quarters."""
    if len(quarters) != 4:
        raise ApplicationError(_("A quarterly cash plan has 4 quarters. Enter all four."))
    months: list[Decimal] = []
    for quarter in quarters:
        third = (Decimal(quarter) / 3).quantize(CENT, rounding=ROUND_DOWN)
        months += [third, third, Decimal(quarter) - 2 * third]
    return months


@transaction.atomic
def cash_plan_set(*, actor: Any, line: BudgetLine, amounts: Sequence[Decimal]) -> list[CashPlan]:
    """Set the 12 monthly amounts of a line's cash plan. Months that do not add up to the pagu are
    accepted: the pages flag them (see selectors.cash_plan_mismatches)."""
    if len(amounts) != 12:
        raise ApplicationError(_("A cash plan has 12 months. Enter an amount for every month."))
    if any(Decimal(a) < 0 for a in amounts):
        raise ApplicationError(_("Cash plan amounts cannot be negative. Enter 0 or more."))
    require_open(line.fiscal_year)
    existing = {c.month: c for c in CashPlan.objects.select_for_update().filter(line=line)}
    before = {str(m): str(c.amount) for m, c in existing.items()}
    rows = []
    for month, amount in enumerate(amounts, start=1):
        row = existing.get(month) or CashPlan(line=line, month=month)
        row.amount = Decimal(amount)
        rows.append(row)
    CashPlan.objects.bulk_create([r for r in rows if r.pk is None])
    CashPlan.objects.bulk_update([r for r in rows if r.pk is not None], ["amount", "updated_at"])
    after = {str(r.month): str(r.amount) for r in rows}
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(actor=actor, action=AuditAction.CASH_PLAN_SET, target=line, changes=changes)
        summaries_changed(line.fiscal_year_id, [line.unit_id])
    return rows


@transaction.atomic
def fiscal_year_set_thresholds(
    *, actor: Any, fiscal_year: FiscalYear, warning_points: Decimal, critical_points: Decimal
) -> FiscalYear:
    """Set the deviation behind the cash plan (points) from which a unit shows amber and red."""
    warning_points, critical_points = Decimal(warning_points), Decimal(critical_points)
    if not ZERO < warning_points < critical_points <= Decimal(100):
        raise ApplicationError(
            _(
                "The amber threshold must be above 0 and below the red one, and the red one at "
                "most 100 points, e.g. 5 and 10."
            ),
            code="invalid_thresholds",
            field_errors={"critical_points": [_("Enter a figure above the amber threshold.")]},
        )
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    before = audit.snapshot(fiscal_year, ["warning_points", "critical_points"])
    fiscal_year.warning_points = warning_points
    fiscal_year.critical_points = critical_points
    fiscal_year.full_clean()
    changes = audit.changes_between(
        before, audit.snapshot(fiscal_year, ["warning_points", "critical_points"])
    )
    if changes:
        fiscal_year.save(update_fields=["warning_points", "critical_points", "updated_at"])
        audit.record(
            actor=actor, action=AuditAction.FISCAL_YEAR_SAVED, target=fiscal_year, changes=changes
        )
    return fiscal_year

"""Writes of the budget: fiscal years, DPA lines and their revisions, cash plans, SP2D realisations,
physical progress, milestones and the provincial table. Every change writes an audit event."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
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
    Milestone,
    PhysicalProgress,
    Program,
    ProvincialOffice,
    Realisation,
    RealisationAllocation,
    SubKegiatan,
)
from sinergi.budget.models.dpa import account_class_of
from sinergi.budget.permissions import can_enter_realisation
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah

ZERO = Decimal("0")


def _require_open(fiscal_year: FiscalYear) -> None:
    if fiscal_year.status != FiscalYear.Status.OPEN:
        raise ApplicationError(
            _("Fiscal year %(year)s is closed. Reopen it first, or choose an open year.")
            % {"year": fiscal_year.year},
            code="year_closed",
        )


def _require_in_year(fiscal_year: FiscalYear, on: dt.date, field: str) -> None:
    if on.year != fiscal_year.year:
        raise ApplicationError(
            _(
                "The date %(date)s lies outside fiscal year %(year)s. Enter a date between "
                "1 January and 31 December %(year)s."
            )
            % {"date": on.strftime("%d-%m-%Y"), "year": fiscal_year.year},
            code="date_outside_year",
            field_errors={field: [_("Enter a date within the fiscal year.")]},
        )


def _today_within(fiscal_year: FiscalYear) -> dt.date:
    """Today, moved into the fiscal year when the year is past or still to come."""
    return min(max(dt.date.today(), fiscal_year.starts_on), fiscal_year.ends_on)


# --- Fiscal years and the DPA structure ---------------------------------------------------------


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


def _upsert_named(
    model: Any, *, fiscal_year: FiscalYear, code: str, name: str, **parent: Any
) -> Any:
    obj = model.objects.filter(fiscal_year=fiscal_year, code=code).first()
    if obj is None:
        obj = model(fiscal_year=fiscal_year, code=code, name=name, **parent)
        obj.full_clean()
        obj.save()
    elif obj.name != name or any(getattr(obj, f"{k}_id") != v.pk for k, v in parent.items()):
        obj.name = name
        for key, value in parent.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()
    return obj


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
    _require_open(fiscal_year)
    prog = _upsert_named(Program, fiscal_year=fiscal_year, code=program[0], name=program[1])
    keg = _upsert_named(
        Kegiatan, fiscal_year=fiscal_year, code=kegiatan[0], name=kegiatan[1], program=prog
    )
    sub = _upsert_named(
        SubKegiatan,
        fiscal_year=fiscal_year,
        code=sub_kegiatan[0],
        name=sub_kegiatan[1],
        kegiatan=keg,
    )
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
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action=AuditAction.LINE_CREATED,
            target=line,
            changes={k: [None, v] for k, v in audit.snapshot(line, LINE_FIELDS).items()},
        )
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
            revised_on=revised_on or _today_within(fiscal_year),
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
    _require_open(line.fiscal_year)
    _require_in_year(line.fiscal_year, revised_on, "revised_on")
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
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
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
    return revision


# --- Cash plan -------------------------------------------------------------------------------


@transaction.atomic
def cash_plan_set(*, actor: Any, line: BudgetLine, amounts: Sequence[Decimal]) -> list[CashPlan]:
    """Set the 12 monthly amounts of a line's cash plan. Months that do not add up to the pagu are
    accepted: the pages flag them (see selectors.cash_plan_mismatches)."""
    if len(amounts) != 12:
        raise ApplicationError(_("A cash plan has 12 months. Enter an amount for every month."))
    if any(Decimal(a) < 0 for a in amounts):
        raise ApplicationError(_("Cash plan amounts cannot be negative. Enter 0 or more."))
    _require_open(line.fiscal_year)
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
    return rows


# --- Realisations ------------------------------------------------------------------------------


@transaction.atomic
def realisation_create(
    *,
    actor: Any,
    fiscal_year: FiscalYear,
    sp2d_number: str,
    paid_on: dt.date,
    sp2d_type: str,
    allocations: Mapping[BudgetLine, Decimal],
    description: str = "",
) -> Realisation:
    """Record one SP2D charged to one or more lines.

    Refused: a duplicate SP2D number in the year, a date outside the year, a line of another
    fiscal year or outside the actor's unit, and an amount that would take a line above its pagu.
    """
    _require_open(fiscal_year)
    sp2d_number = sp2d_number.strip()
    _require_in_year(fiscal_year, paid_on, "paid_on")
    if not allocations:
        raise ApplicationError(_("An SP2D must charge at least one budget line. Choose a line."))
    if Realisation.objects.filter(fiscal_year=fiscal_year, sp2d_number=sp2d_number).exists():
        raise ApplicationError(
            _(
                "SP2D number %(number)s is already recorded for %(year)s. Check the number: each "
                "SP2D is entered once."
            )
            % {"number": sp2d_number, "year": fiscal_year.year},
            code="duplicate_sp2d",
            field_errors={"sp2d_number": [_("This SP2D number is already recorded.")]},
        )
    line_ids = [line.pk for line in allocations]
    locked = {
        line.pk: line
        for line in BudgetLine.objects.select_for_update().filter(pk__in=line_ids).order_by("pk")
    }
    realised = dict(
        RealisationAllocation.objects.filter(line_id__in=line_ids)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
    )
    for given, amount in allocations.items():
        line = locked[given.pk]
        if line.fiscal_year_id != fiscal_year.pk:
            raise ApplicationError(
                _("Line %(line)s belongs to another fiscal year. Choose a line of %(year)s.")
                % {"line": str(line), "year": fiscal_year.year}
            )
        if not can_enter_realisation(actor, line):
            raise ApplicationError(
                _(
                    "You can only enter SP2D for the lines of your own unit. Ask the finance "
                    "staff to enter this one."
                ),
                code="not_your_unit",
            )
        if Decimal(amount) <= 0:
            raise ApplicationError(
                _("The amount charged to a line must be more than zero. Correct the amount."),
                field_errors={"amount": [_("Enter an amount above zero.")]},
            )
        remaining = line.pagu - (realised.get(line.pk) or ZERO)
        if Decimal(amount) > remaining:
            raise ApplicationError(
                _(
                    "This SP2D would take line %(line)s above its pagu of %(pagu)s: only "
                    "%(remaining)s remains. Lower the amount, or revise the pagu first."
                )
                % {
                    "line": f"{line.sub_kegiatan.code} / {line}",
                    "pagu": rupiah(line.pagu),
                    "remaining": rupiah(remaining),
                },
                code="above_pagu",
                field_errors={
                    "amount": [
                        _("At most %(remaining)s remains.") % {"remaining": rupiah(remaining)}
                    ]
                },
            )
    total = sum((Decimal(a) for a in allocations.values()), ZERO)
    realisation = Realisation(
        fiscal_year=fiscal_year,
        sp2d_number=sp2d_number,
        paid_on=paid_on,
        sp2d_type=sp2d_type,
        amount=total,
        description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    realisation.full_clean()
    realisation.save()
    RealisationAllocation.objects.bulk_create(
        [
            RealisationAllocation(
                realisation=realisation, line_id=line.pk, paid_on=paid_on, amount=Decimal(amount)
            )
            for line, amount in allocations.items()
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_RECORDED,
        target=realisation,
        changes={
            "sp2d_number": [None, sp2d_number],
            "paid_on": [None, paid_on.isoformat()],
            "sp2d_type": [None, sp2d_type],
            "amount": [None, str(total)],
        },
        extra={"lines": {str(line.pk): str(a) for line, a in allocations.items()}},
    )
    return realisation


# --- Physical progress, milestones, provincial table -------------------------------------------


@transaction.atomic
def progress_report(
    *, actor: Any, sub_kegiatan: SubKegiatan, month: int, percent: Decimal, reported_by: str
) -> PhysicalProgress:
    """Set the physical progress of a sub kegiatan for a month (the latest report counts)."""
    row = PhysicalProgress.objects.filter(sub_kegiatan=sub_kegiatan, month=month).first()
    old = row.percent if row else None
    row = row or PhysicalProgress(sub_kegiatan=sub_kegiatan, month=month)
    row.percent = Decimal(percent)
    row.reported_by = reported_by
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.PROGRESS_REPORTED,
        target=sub_kegiatan,
        changes={f"month_{month}": [old, row.percent]},
    )
    return row


@transaction.atomic
def milestone_save(
    *, actor: Any, fiscal_year: FiscalYear, due_on: dt.date, target_percent: Decimal, source: str
) -> Milestone:
    """Set the absorption target for a date of the year (one target per date)."""
    _require_in_year(fiscal_year, due_on, "due_on")
    milestone = Milestone.objects.filter(fiscal_year=fiscal_year, due_on=due_on).first()
    old = milestone.target_percent if milestone else None
    milestone = milestone or Milestone(fiscal_year=fiscal_year, due_on=due_on)
    milestone.target_percent = Decimal(target_percent)
    milestone.source = source
    milestone.full_clean()
    milestone.save()
    audit.record(
        actor=actor,
        action=AuditAction.MILESTONE_SAVED,
        target=milestone,
        changes={"target_percent": [old, milestone.target_percent]},
        extra={"source": source},
    )
    return milestone


@transaction.atomic
def provincial_office_save(
    *,
    actor: Any,
    fiscal_year: FiscalYear,
    month: int,
    office_name: str,
    pagu: Decimal,
    realisation: Decimal,
    is_own_office: bool = False,
) -> ProvincialOffice:
    """Set one provincial office's pagu and realisation at the end of `month`."""
    row = ProvincialOffice.objects.filter(
        fiscal_year=fiscal_year, month=month, office_name=office_name
    ).first()
    before = audit.snapshot(row, ["pagu", "realisation"]) if row else {}
    row = row or ProvincialOffice(fiscal_year=fiscal_year, month=month, office_name=office_name)
    row.pagu = Decimal(pagu)
    row.realisation = Decimal(realisation)
    row.is_own_office = is_own_office
    row.full_clean()
    row.save()
    changes = audit.changes_between(before, audit.snapshot(row, ["pagu", "realisation"]))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.PROVINCIAL_OFFICE_SAVED, target=row, changes=changes
        )
    return row

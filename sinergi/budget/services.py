"""Writes of the budget: fiscal years, DPA lines and their revisions, cash plans, SP2D realisations,
physical progress, milestones and the provincial table. Every change writes an audit event."""

import contextlib
import contextvars
import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget.models import (
    AbsorptionSummary,
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
from sinergi.core.tabular.spec import staged_kind
from sinergi.core.tabular.staging import StagedRows, StagingWriter
from sinergi.core.tabular.upsert import TableUpsert

ZERO = Decimal("0")


# --- Absorption summaries (models/summary.py) ----------------------------------------------------

_deferred: contextvars.ContextVar[dict[int, set[int]] | None] = contextvars.ContextVar(
    "budget_summaries_deferred", default=None
)


@contextlib.contextmanager
def summaries_deferred() -> Iterator[None]:
    """Collect the summary refreshes of many writes and run them once, at the end of the block
    (imports, the demo). Use it inside the writes' transaction."""
    if _deferred.get() is not None:  # already deferred by an outer block
        yield
        return
    token = _deferred.set(defaultdict(set))
    try:
        yield
        pending = _deferred.get() or {}
    finally:
        _deferred.reset(token)
    for year_id, unit_ids in pending.items():
        summaries_refresh(fiscal_year_id=year_id, unit_ids=unit_ids)


def _summaries_changed(fiscal_year_id: int, unit_ids: Iterable[int]) -> None:
    pending = _deferred.get()
    if pending is not None:
        pending[fiscal_year_id].update(unit_ids)
    else:
        summaries_refresh(fiscal_year_id=fiscal_year_id, unit_ids=unit_ids)


def _lock_units(fiscal_year_id: int, unit_ids: Sequence[int]) -> None:
    """Serialise refreshes of the same units (PostgreSQL advisory locks, in unit order, held to the
    end of the transaction), so a refresh always sees the writes committed before it."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one write transaction at a time
    with connection.cursor() as cursor:
        for unit_id in sorted(unit_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4004 + fiscal_year_id, unit_id])


@transaction.atomic
def summaries_refresh(*, fiscal_year_id: int, unit_ids: Iterable[int] | None = None) -> int:
    """Rebuild the absorption summaries of a year (of some units only when `unit_ids` is given)
    from the lines, the cash plan and the SP2D: three grouped queries and one insert. Returns the
    number of summary rows written."""
    units = None if unit_ids is None else sorted(set(unit_ids))
    if units is not None:
        if not units:
            return 0
        _lock_units(fiscal_year_id, units)
    line_filter: dict[str, Any] = {"fiscal_year_id": fiscal_year_id}
    if units is not None:
        line_filter["unit_id__in"] = units
    program = "sub_kegiatan__kegiatan__program_id"
    rows: dict[tuple[int, int, int], AbsorptionSummary] = {}

    def row(unit_id: int, program_id: int, month: int) -> AbsorptionSummary:
        key = (unit_id, program_id, month)
        if key not in rows:
            rows[key] = AbsorptionSummary(
                fiscal_year_id=fiscal_year_id, unit_id=unit_id, program_id=program_id, month=month
            )
        return rows[key]

    year_rows = (
        BudgetLine.objects.filter(**line_filter)
        .annotate(planned=Coalesce(Sum("cash_plan__amount"), ZERO))
        .values_list("unit_id", program, "pagu", "planned")
    )
    for unit_id, program_id, pagu, planned in year_rows:
        summary = row(unit_id, program_id, 0)
        summary.pagu += pagu
        summary.plan += planned
        summary.lines += 1
        summary.mismatched_lines += planned != pagu
    lines_of = {f"line__{k}": v for k, v in line_filter.items()}
    plans = (
        CashPlan.objects.filter(**lines_of)
        .values_list("line__unit_id", f"line__{program}", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for unit_id, program_id, month, total in plans:
        row(unit_id, program_id, month).plan += total
    realised = (
        RealisationAllocation.objects.filter(**lines_of)
        .annotate(month=ExtractMonth("paid_on"))
        .values_list("line__unit_id", f"line__{program}", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for unit_id, program_id, month, total in realised:
        row(unit_id, program_id, month).realised += total
    stale = AbsorptionSummary.objects.filter(fiscal_year_id=fiscal_year_id)
    if units is not None:
        stale = stale.filter(unit_id__in=units)
    stale.delete()
    AbsorptionSummary.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


def summaries_rebuild(*, fiscal_year: FiscalYear | None = None) -> int:
    """Rebuild the summaries of one year, or of every year; returns the rows written."""
    years = [fiscal_year] if fiscal_year is not None else list(FiscalYear.objects.all())
    return sum(summaries_refresh(fiscal_year_id=year.pk) for year in years)


def _require_open(fiscal_year: FiscalYear) -> None:
    """Refuse writes to a closed year (its status read afresh: it may have been closed since)."""
    status = FiscalYear.objects.filter(pk=fiscal_year.pk).values_list("status", flat=True).first()
    fiscal_year.status = status or fiscal_year.status
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
        _summaries_changed(fiscal_year.pk, [line.unit_id])
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
    _summaries_changed(line.fiscal_year_id, [line.unit_id])
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
        _summaries_changed(line.fiscal_year_id, [line.unit_id])
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
    _summaries_changed(fiscal_year.pk, {line.unit_id for line in locked.values()})
    return realisation


# --- Physical progress, milestones, provincial table -------------------------------------------


@transaction.atomic
def progress_report(
    *, actor: Any, sub_kegiatan: SubKegiatan, month: int, percent: Decimal, reported_by: str
) -> PhysicalProgress:
    """Set the physical progress of a sub kegiatan for a month (the latest report counts)."""
    _require_open(sub_kegiatan.fiscal_year)
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
    _require_open(fiscal_year)
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


# --- Set-based writes of the DPA and cash-plan imports ------------------------------------------


def _table_upsert(
    model: Any, *, fields: Sequence[str], key: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> tuple[int, int, int]:
    """Upsert `rows` (dicts of model attnames) into `model`'s table in one statement through the
    import engine's TableUpsert (COPY + INSERT ... ON CONFLICT on PostgreSQL); (created, updated,
    unchanged)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    staged_fields = [(name, staged_kind(by_attname[name])) for name in fields]
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", newline="\n", suffix=".tsv") as handle:
        writer = StagingWriter(handle, staged_fields)
        for number, row in enumerate(rows, start=1):
            writer.write(number, dict(row))
        handle.flush()
        staged = StagedRows(Path(handle.name), staged_fields, writer.count)
        result = TableUpsert(model, fields=list(fields), key=list(key)).run(staged)
    return result.created, result.updated, result.unchanged


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _open_years(years: Iterable[int], actor: Any) -> dict[int, FiscalYear]:
    found = {}
    for year in sorted(set(years)):
        fiscal_year = fiscal_year_get_or_create(actor=actor, year=year)
        _require_open(fiscal_year)
        found[year] = fiscal_year
    return found


@transaction.atomic
def dpa_lines_import(*, actor: Any, rows: Sequence[Mapping[str, Any]]) -> BulkResult:
    """Create or update DPA lines set-based (the DPA import): programs, kegiatan and sub kegiatan
    by (year, code), lines by (sub kegiatan, account code, unit), one statement per table. A new
    line gets its initial revision, a changed pagu an amendment (history, never overwritten).

    Each row: year, program_code/name, kegiatan_code/name, sub_code/name, account_code,
    account_name, unit_id, pptk_name, pagu. The caller has checked every row (codes, units, a pagu
    not below what was realised, closed years); a closed year still stops everything here."""
    result = BulkResult()
    if not rows:
        return result
    years = _open_years((row["year"] for row in rows), actor)
    year_ids = [fy.pk for fy in years.values()]

    def upsert_named(model: Any, level: str, parent: tuple[str, str] | None) -> dict[Any, int]:
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        for row in rows:
            y = years[row["year"]].pk
            values = {"fiscal_year_id": y, "code": row[f"{level}_code"]}
            values["name"] = row[f"{level}_name"]
            if parent is not None:
                field, parent_level = parent
                values[field] = ids[parent_level][(y, row[f"{parent_level}_code"])]
            wanted[(y, values["code"])] = values
        fields = ["fiscal_year_id", "code", "name", *([parent[0]] if parent else [])]
        _table_upsert(model, fields=fields, key=["fiscal_year_id", "code"], rows=wanted.values())
        return {
            (y, code): pk
            for pk, y, code in model.objects.filter(fiscal_year_id__in=year_ids).values_list(
                "pk", "fiscal_year_id", "code"
            )
        }

    ids: dict[str, dict[Any, int]] = {}
    ids["program"] = upsert_named(Program, "program", None)
    ids["kegiatan"] = upsert_named(Kegiatan, "kegiatan", ("program_id", "program"))
    ids["sub"] = upsert_named(SubKegiatan, "sub", ("kegiatan_id", "kegiatan"))

    def line_key(values: Mapping[str, Any]) -> tuple[int, str, int]:
        return (values["sub_kegiatan_id"], values["account_code"], values["unit_id"])

    existing = {
        (sub, account, unit): (pk, pagu)
        for pk, sub, account, unit, pagu in BudgetLine.objects.filter(
            fiscal_year_id__in=year_ids
        ).values_list("pk", "sub_kegiatan_id", "account_code", "unit_id", "pagu")
    }
    lines = []
    for row in rows:
        y = years[row["year"]].pk
        lines.append(
            {
                "fiscal_year_id": y,
                "sub_kegiatan_id": ids["sub"][(y, row["sub_code"])],
                "account_code": row["account_code"],
                "account_name": row["account_name"],
                "account_class": account_class_of(row["account_code"]),
                "unit_id": row["unit_id"],
                "pptk_name": row["pptk_name"] or "",
                "pagu": Decimal(row["pagu"]),
            }
        )
    result.created, result.updated, result.unchanged = _table_upsert(
        BudgetLine,
        fields=list(lines[0]),
        key=["sub_kegiatan_id", "account_code", "unit_id"],
        rows=lines,
    )
    new_ids = {
        (sub, account, unit): pk
        for pk, sub, account, unit in BudgetLine.objects.filter(
            fiscal_year_id__in=year_ids
        ).values_list("pk", "sub_kegiatan_id", "account_code", "unit_id")
    }
    by_year_id = {fy.pk: fy for fy in years.values()}
    author = actor if getattr(actor, "is_authenticated", False) else None
    revisions = []
    for values in lines:
        key, fiscal_year = line_key(values), by_year_id[values["fiscal_year_id"]]
        before = existing.get(key)
        if before is None:
            revisions.append(
                BudgetRevision(
                    line_id=new_ids[key],
                    kind=BudgetRevision.Kind.INITIAL,
                    old_pagu=ZERO,
                    new_pagu=values["pagu"],
                    revised_on=fiscal_year.starts_on,
                    reference="DPA",
                    created_by=author,
                )
            )
        elif before[1] != values["pagu"]:
            revisions.append(
                BudgetRevision(
                    line_id=before[0],
                    kind=BudgetRevision.Kind.AMENDMENT,
                    old_pagu=before[1],
                    new_pagu=values["pagu"],
                    revised_on=_today_within(fiscal_year),
                    reference=_("DPA import"),
                    created_by=author,
                )
            )
    BudgetRevision.objects.bulk_create(revisions, batch_size=2000)
    for fiscal_year in years.values():
        units = {v["unit_id"] for v in lines if v["fiscal_year_id"] == fiscal_year.pk}
        _summaries_changed(fiscal_year.pk, units)
    return result


@transaction.atomic
def cash_plans_import(*, actor: Any, plans: Mapping[int, Sequence[Decimal]]) -> BulkResult:
    """Set the 12 months of many lines' cash plans set-based (the cash-plan import): `plans` maps
    a line id to its 12 amounts. A line with no plan yet counts as created, one whose months all
    stay the same as unchanged; only the lines that change are written (one statement)."""
    result = BulkResult()
    if not plans:
        return result
    lines = list(
        BudgetLine.objects.filter(pk__in=list(plans)).values_list("pk", "fiscal_year_id", "unit_id")
    )
    for year in FiscalYear.objects.filter(pk__in={y for _pk, y, _u in lines}):
        _require_open(year)
    before: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for line_id, month, amount in CashPlan.objects.filter(line_id__in=list(plans)).values_list(
        "line_id", "month", "amount"
    ):
        before[line_id][month] = amount
    cells: list[dict[str, Any]] = []
    changed: set[int] = set()
    for line_id, amounts in plans.items():
        if len(amounts) != 12 or any(Decimal(a) < 0 for a in amounts):
            raise ApplicationError(
                _("A cash plan has 12 months of 0 or more. Correct the amounts."),
                code="invalid_cash_plan",
            )
        months = {m: Decimal(a) for m, a in enumerate(amounts, start=1)}
        old = before.get(line_id)
        if old == months:
            result.unchanged += 1
            continue
        if old:
            result.updated += 1
        else:
            result.created += 1
        changed.add(line_id)
        cells.extend({"line_id": line_id, "month": m, "amount": a} for m, a in months.items())
    if cells:
        _table_upsert(
            CashPlan, fields=["line_id", "month", "amount"], key=["line_id", "month"], rows=cells
        )
    by_year: dict[int, set[int]] = defaultdict(set)
    for pk, year_id, unit_id in lines:
        if pk in changed:
            by_year[year_id].add(unit_id)
    for year_id, units in by_year.items():
        _summaries_changed(year_id, units)
    return result

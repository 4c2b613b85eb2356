"""Writes of the monitoring data: physical progress, milestones and the provincial table."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget.models import (
    AuditAction,
    BudgetLine,
    FiscalYear,
    Milestone,
    PhysicalProgress,
    ProvincialOffice,
    SubKegiatan,
)
from sinergi.budget.permissions import can_report_progress
from sinergi.budget.services.rules import ZERO, require_in_year, require_open
from sinergi.core.errors import ApplicationError

HUNDRED = Decimal("100")


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    sub_kegiatan: SubKegiatan,
    unit: Any,
    month: int,
    percent: Decimal,
    reported_by: str,
) -> PhysicalProgress:
    """Set the physical progress of a unit's sub kegiatan for a month (the latest report counts).

    Refused: a closed year, a month outside 1-12, a percent outside 0-100, a unit without lines in
    the sub kegiatan, and a KPA reporting for another unit."""
    require_open(sub_kegiatan.fiscal_year)
    if not can_report_progress(actor, unit.pk):
        raise ApplicationError(
            _(
                "You can only report the physical progress of your own unit. Ask the finance "
                "staff to enter this one."
            ),
            code="not_your_unit",
        )
    if not 1 <= int(month) <= 12:
        raise ApplicationError(
            _("Choose a month from 1 to 12."),
            code="invalid_month",
            field_errors={"month": [_("Choose a month from 1 to 12.")]},
        )
    percent = Decimal(percent)
    if not ZERO <= percent <= HUNDRED:
        raise ApplicationError(
            _("Physical progress is a percentage from 0 to 100. Correct the figure."),
            code="invalid_percent",
            field_errors={"percent": [_("Enter a figure from 0 to 100.")]},
        )
    if not reported_by.strip():
        raise ApplicationError(
            _("Write the name of the PPTK who reported the progress."),
            code="reporter_required",
            field_errors={"reported_by": [_("Write the PPTK's name.")]},
        )
    if not BudgetLine.objects.filter(sub_kegiatan=sub_kegiatan, unit=unit).exists():
        raise ApplicationError(
            _(
                "%(unit)s has no budget line in sub kegiatan %(code)s. Choose the unit that "
                "carries it in the DPA."
            )
            % {"unit": unit.name, "code": sub_kegiatan.code},
            code="no_line",
        )
    row = PhysicalProgress.objects.filter(sub_kegiatan=sub_kegiatan, unit=unit, month=month).first()
    old = row.percent if row else None
    row = row or PhysicalProgress(sub_kegiatan=sub_kegiatan, unit=unit, month=month)
    row.percent = percent
    row.reported_by = reported_by.strip()
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.PROGRESS_REPORTED,
        target=sub_kegiatan,
        changes={f"month_{month}": [old, row.percent]},
        extra={"unit": unit.code, "reported_by": row.reported_by},
    )
    return row


@transaction.atomic
def milestone_save(
    *, actor: Any, fiscal_year: FiscalYear, due_on: dt.date, target_percent: Decimal, source: str
) -> Milestone:
    """Set the absorption target for a date of the year (one target per date)."""
    require_open(fiscal_year)
    require_in_year(fiscal_year, due_on, "due_on")
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

"""Writes of the SP2D realisations: recorded against the lines they charge, within their pagu."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.budget.models import (
    AuditAction,
    BudgetLine,
    FiscalYear,
    Realisation,
    RealisationAllocation,
)
from sinergi.budget.permissions import can_enter_realisation
from sinergi.budget.services.rules import ZERO, author_of, require_in_year, require_open
from sinergi.budget.services.summaries import summaries_changed
from sinergi.core.errors import ApplicationError
from sinergi.core.formatting import rupiah


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
    require_open(fiscal_year)
    sp2d_number = sp2d_number.strip()
    require_in_year(fiscal_year, paid_on, "paid_on")
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
        created_by=author_of(actor),
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
    summaries_changed(fiscal_year.pk, {line.unit_id for line in locked.values()})
    return realisation


@transaction.atomic
def realisation_cancel(*, actor: Any, realisation: Realisation, reason: str) -> None:
    """Cancel an SP2D entered by mistake (finance staff): it and what it charged are removed, so
    the number can be entered again correctly; the audit event keeps everything it held."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write why the SP2D is cancelled, e.g. the wrong amount was entered."),
            code="reason_required",
            field_errors={"reason": [_("Write the reason.")]},
        )
    if actor is not None and not actor.has_perm("budget.delete_realisation"):
        raise ApplicationError(
            _("Only the finance staff can cancel an SP2D. Ask them to do it."),
            code="forbidden",
        )
    realisation = (
        Realisation.objects.select_for_update().select_related("fiscal_year").get(pk=realisation.pk)
    )
    require_open(realisation.fiscal_year)
    charged = list(
        RealisationAllocation.objects.filter(realisation=realisation)
        .select_related("line")
        .order_by("line_id")
    )
    # lock the lines in the same order as realisation_create does
    list(
        BudgetLine.objects.select_for_update()
        .filter(pk__in=[a.line_id for a in charged])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_CANCELLED,
        target=realisation,
        changes={
            "sp2d_number": [realisation.sp2d_number, None],
            "paid_on": [realisation.paid_on.isoformat(), None],
            "sp2d_type": [realisation.sp2d_type, None],
            "amount": [str(realisation.amount), None],
        },
        extra={"lines": {str(a.line_id): str(a.amount) for a in charged}, "reason": reason},
    )
    RealisationAllocation.objects.filter(realisation=realisation).delete()
    realisation.delete()
    summaries_changed(realisation.fiscal_year_id, {a.line.unit_id for a in charged})

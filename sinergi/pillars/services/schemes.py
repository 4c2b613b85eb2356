"""Writes of the aid schemes: effective-dated rates (history kept) and the budget line a scheme is
charged to in a year."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.pillars.models import AidRate, AidScheme, AuditAction, Cycle, PillarType, SchemeFunding
from sinergi.pillars.permissions import CHANGE_SCHEME


def _deny(message: str) -> ApplicationError:
    return ApplicationError(message, code="forbidden")


@transaction.atomic
def rate_add(
    *,
    actor: Any,
    scheme: AidScheme,
    pillar_type: PillarType,
    amount: Decimal,
    effective_from: dt.date,
    source: str,
    role: str = "",
    is_confirmed: bool = False,
) -> AidRate:
    """Add a rate from a date (history is kept). Refused when a cycle of a quarter starting on or
    after that date already exists: it was generated with the old rate."""
    if actor is not None and not actor.has_perm(CHANGE_SCHEME):
        raise _deny(_("Your role may not change aid rates."))
    if Decimal(amount) <= 0:
        raise ApplicationError(
            _("The amount must be more than zero."),
            field_errors={"amount": [_("Enter an amount.")]},
        )
    if not source.strip():
        raise ApplicationError(
            _("Write where the rate comes from (decree, letter or news), so it can be checked."),
            field_errors={"source": [_("Write the source.")]},
        )
    generated = [
        c
        for c in Cycle.objects.filter(scheme=scheme, year__gte=effective_from.year)
        if c.starts_on >= effective_from
    ]
    if generated:
        first = min(generated, key=lambda c: (c.year, c.quarter))
        raise ApplicationError(
            _(
                "Quarter %(quarter)s of %(year)s was already generated with the rate in force then. "
                "Choose a date after the last generated quarter."
            )
            % {"quarter": first.quarter, "year": first.year},
            field_errors={"effective_from": [_("Choose a later date.")]},
        )
    if AidRate.objects.filter(
        scheme=scheme, pillar_type=pillar_type, role=role, effective_from=effective_from
    ).exists():
        raise ApplicationError(
            _("A rate for this type and role already starts on that date."),
            field_errors={"effective_from": [_("Choose another date.")]},
        )
    rate = AidRate(
        scheme=scheme,
        pillar_type=pillar_type,
        role=role,
        amount=Decimal(amount),
        effective_from=effective_from,
        source=source.strip(),
        is_confirmed=is_confirmed,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    rate.full_clean(exclude=["created_by"])
    rate.save()
    audit.record(
        actor=actor,
        action=AuditAction.RATE_ADDED,
        target=scheme,
        changes={"amount": [None, str(rate.amount)]},
        extra={
            "pillar_type": pillar_type.code,
            "role": role,
            "effective_from": effective_from.isoformat(),
            "source": rate.source,
            "confirmed": is_confirmed,
        },
    )
    return rate


@transaction.atomic
def funding_set(*, actor: Any, scheme: AidScheme, year: int, budget_line: Any) -> SchemeFunding:
    """Charge the scheme's payments of `year` to a DPA line of that year."""
    if actor is not None and not actor.has_perm(CHANGE_SCHEME):
        raise _deny(_("Your role may not change aid schemes."))
    if budget_line.fiscal_year.year != year:
        raise ApplicationError(
            _("The budget line belongs to %(line_year)s, not %(year)s. Choose a line of %(year)s.")
            % {"line_year": budget_line.fiscal_year.year, "year": year},
            field_errors={"budget_line": [_("Choose a line of the same year.")]},
        )
    funding = SchemeFunding.objects.filter(scheme=scheme, year=year).first()
    old = funding.budget_line_id if funding else None
    if funding is None:
        funding = SchemeFunding(scheme=scheme, year=year, budget_line=budget_line)
    funding.budget_line = budget_line
    funding.save()
    Cycle.objects.filter(scheme=scheme, year=year, budget_line__isnull=True).update(
        budget_line=budget_line
    )
    audit.record(
        actor=actor,
        action=AuditAction.FUNDING_SET,
        target=scheme,
        changes={f"budget_line_{year}": [old, budget_line.pk]},
    )
    return funding

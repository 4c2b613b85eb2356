"""Writes of the Perjanjian Kinerja and of the editable bands (reference data)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.performance.models import (
    AuditAction,
    Band,
    PerformanceAgreement,
    PerformanceAgreementItem,
    Target,
)
from sinergi.performance.services.plan import _save_tracked, require_manager
from sinergi.performance.services.summary import summaries_rebuild

AGREEMENT_FIELDS = [
    "year",
    "unit",
    "head",
    "head_name",
    "head_position",
    "superior_name",
    "superior_position",
]


@transaction.atomic
def agreement_draw(
    *,
    actor: Any,
    unit: Any,
    year: int,
    head_name: str,
    head_position: str,
    head: Any = None,
    superior_name: str = "",
    superior_position: str = "",
) -> PerformanceAgreement:
    """Draw up (or redraw, while a draft) the PK of a unit for a year with the annual targets of
    the unit's indicators as they stand."""
    require_manager(actor)
    agreement = (
        PerformanceAgreement.objects.select_for_update().filter(year=year, unit=unit).first()
    )
    if agreement is not None and agreement.status == PerformanceAgreement.Status.SIGNED:
        raise ApplicationError(
            _(
                "The performance agreement %(year)s of this unit is already signed; it cannot change."
            )
            % {"year": year},
            code="agreement_signed",
        )
    targets = list(
        Target.objects.filter(
            indicator__unit=unit,
            indicator__is_active=True,
            indicator__period__start_year__lte=year,
            indicator__period__end_year__gte=year,
            year=year,
            quarter=0,
        ).select_related("indicator")
    )
    if not targets:
        raise ApplicationError(
            _(
                "No indicator of this unit has a target for %(year)s. Set the annual targets "
                "first, then draw up the agreement."
            )
            % {"year": year},
            code="no_targets",
        )
    agreement = _save_tracked(
        actor=actor,
        instance=agreement or PerformanceAgreement(year=year, unit=unit),
        fields=AGREEMENT_FIELDS,
        values={
            "head": head,
            "head_name": head_name,
            "head_position": head_position,
            "superior_name": superior_name,
            "superior_position": superior_position,
        },
        action=AuditAction.AGREEMENT_SAVED,
    )
    agreement.items.all().delete()
    PerformanceAgreementItem.objects.bulk_create(
        [
            PerformanceAgreementItem(
                agreement=agreement,
                indicator=t.indicator,
                target_value=t.value,
                target_low=t.low,
                target_high=t.high,
            )
            for t in targets
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.AGREEMENT_SAVED,
        target=agreement,
        extra={"indicators": [t.indicator.code for t in targets]},
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *, actor: Any, agreement: PerformanceAgreement, signed_on: dt.date
) -> PerformanceAgreement:
    """Record that the PK was signed (its targets no longer change)."""
    require_manager(actor)
    agreement = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == PerformanceAgreement.Status.SIGNED:
        raise ApplicationError(_("This agreement is already signed."), code="agreement_signed")
    if signed_on.year not in (agreement.year - 1, agreement.year):
        raise ApplicationError(
            _("A PK for %(year)s is signed late in the year before or during %(year)s.")
            % {"year": agreement.year},
            code="signed_on_outside_year",
            field_errors={"signed_on": [_("Check the date.")]},
        )
    agreement.status = PerformanceAgreement.Status.SIGNED
    agreement.signed_on = signed_on
    agreement.save(update_fields=["status", "signed_on", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.AGREEMENT_SIGNED,
        target=agreement,
        changes={"status": ["draft", "signed"], "signed_on": [None, signed_on.isoformat()]},
    )
    return agreement


BAND_FIELDS = ["label", "minimum", "inclusive", "colour", "needs_attention", "source"]


@transaction.atomic
def band_save(
    *,
    actor: Any,
    band: Band,
    label: str,
    minimum: Decimal | None,
    inclusive: bool,
    colour: str,
    needs_attention: bool,
    source: str,
) -> Band:
    """Change a band of the reference data (the office confirms or corrects the thresholds)."""
    require_manager(actor)
    clash = Band.objects.filter(scheme=band.scheme, minimum=minimum).exclude(pk=band.pk)
    if clash.exists() or (
        minimum is None
        and Band.objects.filter(scheme=band.scheme, minimum__isnull=True)
        .exclude(pk=band.pk)
        .exists()
    ):
        raise ApplicationError(
            _(
                "Another band of this scheme starts at the same value. Give each band its own lower bound."
            ),
            code="band_clash",
            field_errors={"minimum": [_("Already used.")]},
        )
    band = _save_tracked(
        actor=actor,
        instance=band,
        fields=BAND_FIELDS,
        values={
            "label": label,
            "minimum": Decimal(minimum).quantize(Decimal("0.01")) if minimum is not None else None,
            "inclusive": inclusive,
            "colour": colour,
            "needs_attention": needs_attention,
            "source": source,
        },
        action=AuditAction.BAND_SAVED,
    )
    summaries_rebuild()
    return band

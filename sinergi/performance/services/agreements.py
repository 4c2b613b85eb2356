"""Writes of the Perjanjian Kinerja, the SPM figures and the editable bands (reference data)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.performance.models import (
    AuditAction,
    Band,
    PerformanceAgreement,
    PerformanceAgreementItem,
    SpmFigure,
    SpmService,
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


@transaction.atomic
def spm_figure_save(
    *,
    actor: Any,
    service: SpmService,
    year: int,
    needing: int,
    served: int | None = None,
    quality_score: Decimal | None = None,
    note: str = "",
) -> SpmFigure:
    """Enter the year's number of people needing an SPM service and (unless computed) served."""
    require_manager(actor)
    if needing is None or needing < 0:
        raise ApplicationError(
            _("Enter the number of people needing the service (0 or more)."),
            code="needing_missing",
            field_errors={"needing": [_("Required.")]},
        )
    automatic = bool(service.metric_code and metrics.get(service.metric_code))
    figure = SpmFigure.objects.select_for_update().filter(
        service=service, year=year
    ).first() or SpmFigure(service=service, year=year)
    if automatic:
        served = figure.served  # computed: kept as the last fill left it
    elif served is not None and served < 0:
        raise ApplicationError(
            _("The number served cannot be negative."),
            code="served_negative",
            field_errors={"served": [_("0 or more.")]},
        )
    if quality_score is not None and not Decimal(0) <= Decimal(quality_score) <= Decimal(100):
        raise ApplicationError(
            _("The quality score is a percentage from 0 to 100."),
            code="quality_out_of_range",
            field_errors={"quality_score": [_("0 to 100.")]},
        )
    return _save_tracked(
        actor=actor,
        instance=figure,
        fields=["service", "year", "needing", "served", "quality_score", "note"],
        values={
            "needing": needing,
            "served": served,
            "served_automatic": automatic,
            "quality_score": Decimal(quality_score).quantize(Decimal("0.01"))
            if quality_score is not None
            else None,
            "note": note,
        },
        action=AuditAction.SPM_FIGURE_SAVED,
    )


@transaction.atomic
def spm_fill(*, actor: Any = None, year: int) -> int:
    """Set the number served from the registered metric of each SPM service that has one (only for
    figures already entered: the number needing is never made up). Returns how many changed."""
    changed = 0
    for figure in SpmFigure.objects.select_for_update().filter(year=year).select_related("service"):
        metric = metrics.get(figure.service.metric_code) if figure.service.metric_code else None
        if metric is None:
            continue
        value = metric.value(
            metrics.MetricQuery(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        )
        served = int(value) if value is not None else None
        if served != figure.served or not figure.served_automatic:
            audit.record(
                actor=actor,
                action=AuditAction.SPM_FIGURE_SAVED,
                target=figure,
                changes={"served": [figure.served, served]},
                extra={"metric": figure.service.metric_code},
            )
            figure.served, figure.served_automatic = served, True
            figure.save(update_fields=["served", "served_automatic", "updated_at"])
            changed += 1
    return changed


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

"""Writes of the SPM figures (DOMAIN.md 3): the number of people needing each provincial service,
entered per year, and the number served, entered by hand or computed from Sinergi's records (the
rehabilitation cases of the UPT that deliver the service) through core.metrics."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.performance.models import AuditAction, SpmFigure, SpmService
from sinergi.performance.services.plan import _save_tracked, require_manager
from sinergi.performance.spm_sources import lead_unit_ids, served_count, spm_metric


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ApplicationError(
            _("Choose a year between 2000 and 2100."),
            code="invalid_year",
            field_errors={"year": [_("2000 to 2100.")]},
        )


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
    """Enter the year's number of people needing an SPM service and (unless computed) served; a
    computed number served is computed afresh and what was typed for it is ignored."""
    require_manager(actor)
    _check_year(year)
    if needing is None or needing < 0:
        raise ApplicationError(
            _("Enter the number of people needing the service (0 or more)."),
            code="needing_missing",
            field_errors={"needing": [_("Required.")]},
        )
    automatic = spm_metric(service) is not None
    if automatic:
        served = served_count(service, year)
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
    figure = SpmFigure.objects.select_for_update().filter(
        service=service, year=year
    ).first() or SpmFigure(service=service, year=year)
    return _save_tracked(
        actor=actor,
        instance=figure,
        fields=[
            "service",
            "year",
            "needing",
            "served",
            "served_automatic",
            "quality_score",
            "note",
        ],
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


def _refill(*, actor: Any, figure: SpmFigure) -> bool:
    """Recompute one figure's number served from its service's metric; audited when it changed."""
    automatic = spm_metric(figure.service) is not None
    served = served_count(figure.service, figure.year) if automatic else figure.served
    if served == figure.served and automatic == figure.served_automatic:
        return False
    audit.record(
        actor=actor,
        action=AuditAction.SPM_FIGURE_SAVED,
        target=figure,
        changes={
            "served": [figure.served, served],
            "served_automatic": [figure.served_automatic, automatic],
        },
        extra={"metric": figure.service.metric_code} if automatic else None,
    )
    figure.served, figure.served_automatic = served, automatic
    figure.save(update_fields=["served", "served_automatic", "updated_at"])
    return True


@transaction.atomic
def spm_fill(*, actor: Any = None, year: int) -> int:
    """Recompute the number served of the year's figures whose service is computed (the number
    needing is never made up, so only figures already entered). Returns how many changed."""
    figures = SpmFigure.objects.select_for_update().filter(year=year).select_related("service")
    return sum(
        1
        for figure in figures
        if spm_metric(figure.service) and _refill(actor=actor, figure=figure)
    )


@transaction.atomic
def spm_service_save(*, actor: Any, service: SpmService, metric_code: str) -> SpmService:
    """Choose where a service's number served comes from: a registered unit metric (computed over
    the UPT of its lead types) or "" (entered by hand). Existing figures follow the choice."""
    require_manager(actor)
    metric_code = (metric_code or "").strip()
    if metric_code:
        metric = metrics.get(metric_code)
        if metric is None or metric.scope is not metrics.Scope.UNIT:
            raise ApplicationError(
                _(
                    "No figure “%(code)s” is computed by Sinergi for units. Choose one from the "
                    "list, or leave the field empty to enter the number served by hand."
                )
                % {"code": metric_code},
                code="unknown_metric",
                field_errors={"metric_code": [_("Unknown figure.")]},
            )
        if not lead_unit_ids(service):
            raise ApplicationError(
                _(
                    "No UPT of the types “%(types)s” exists, so there is nothing to count. Enter "
                    "the number served by hand."
                )
                % {"types": service.lead_unit_types},
                code="no_lead_units",
                field_errors={"metric_code": [_("Leave empty.")]},
            )
    service = SpmService.objects.select_for_update().get(pk=service.pk)
    service = _save_tracked(
        actor=actor,
        instance=service,
        fields=["metric_code"],
        values={"metric_code": metric_code},
        action=AuditAction.SPM_SERVICE_SAVED,
    )
    for figure in SpmFigure.objects.select_for_update().filter(service=service):
        figure.service = service
        _refill(actor=actor, figure=figure)
    return service

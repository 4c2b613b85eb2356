"""Figures of the staff app offered to other apps (performance indicators) through core.metrics."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sinergi.core import metrics
from sinergi.staff import selectors


@metrics.register(
    code="staff.skp_on_time_percent",
    label=_("Monthly SKP submitted on time"),
    unit_of_measure="%",
    scope=metrics.Scope.UNIT,
    description=_(
        "Share of the employee-months owed by the staff of the units (PNS and PPPK active in the "
        "month) whose SKP realisation was submitted by the due day; months ending in the period."
    ),
)
def skp_on_time_percent(query: metrics.MetricQuery) -> Decimal | None:
    return selectors.on_time_percent(unit_ids=query.unit_ids, start=query.start, end=query.end)

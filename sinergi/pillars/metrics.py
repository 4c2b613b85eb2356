"""Figures of the quarterly aid offered to other apps (sinergi.core.metrics).

- `pillars.aid_paid_on_time_percent` (unit): of the entitlements of the quarters that start in the
  period (excluded ones left out), the share paid by the last day of the quarter's first month.
  Units: the members' managing units. None when the period has no entitlement.
- `pillars.disbursements_processed` (user): entitlements in batches the user approved in the
  period plus entitlements settled by result files the user applied in the period.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sinergi.core import metrics
from sinergi.pillars.models import (
    Batch,
    Entitlement,
    EntitlementStatus,
    ResultImport,
    on_time_deadline,
)


def _quarters(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    found = []
    for year in range(start.year, end.year + 1):
        for quarter in range(1, 5):
            first = dt.date(year, 3 * quarter - 2, 1)
            if start <= first <= end:
                found.append((year, quarter))
    return found


@metrics.register(
    code="pillars.aid_paid_on_time_percent",
    label=_("Pillar aid paid on time"),
    unit_of_measure=_("percent"),
    scope=metrics.Scope.UNIT,
    description=_(
        "Entitlements paid by the end of the quarter's first month, of all of the quarter."
    ),
)
def aid_paid_on_time_percent(query: metrics.MetricQuery) -> Decimal | None:
    total = on_time = 0
    for year, quarter in _quarters(query.start, query.end):
        queryset = Entitlement.objects.filter(year=year, quarter=quarter).exclude(
            status=EntitlementStatus.EXCLUDED
        )
        if query.unit_ids is not None:
            queryset = queryset.filter(member__unit_id__in=query.unit_ids)
        figures = queryset.aggregate(
            total=Count("*"),
            on_time=Count(
                "id",
                filter=Q(
                    status=EntitlementStatus.PAID, paid_on__lte=on_time_deadline(year, quarter)
                ),
            ),
        )
        total += figures["total"]
        on_time += figures["on_time"]
    if not total:
        return None
    return (Decimal(on_time) * 100 / Decimal(total)).quantize(Decimal("0.01"))


@metrics.register(
    code="pillars.disbursements_processed",
    label=_("Pillar aid disbursements processed"),
    unit_of_measure=_("entitlements"),
    scope=metrics.Scope.USER,
    description=_("Entitlements in batches approved and in bank result files applied by the user."),
)
def disbursements_processed(query: metrics.MetricQuery) -> Decimal | None:
    # Compared as local (WIB) dates, so a batch approved on the period's last evening counts.
    period = (query.start, query.end)
    approved = (
        Batch.objects.filter(
            approved_by_id=query.user_id, approved_at__date__range=period
        ).aggregate(n=Sum("entitlement_count"))["n"]
        or 0
    )
    settled = ResultImport.objects.filter(
        uploaded_by_id=query.user_id, created_at__date__range=period
    ).aggregate(paid=Sum("paid_count"), failed=Sum("failed_count"))
    return Decimal(approved + (settled["paid"] or 0) + (settled["failed"] or 0))

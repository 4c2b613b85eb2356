"""Figures of social rehabilitation offered to other apps (performance indicators, SPM, SKP evidence)
through the core metrics registry (`sinergi/core/metrics.py`). Periods are inclusive."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.core import metrics
from sinergi.rehabilitation.models import Assessment, Attendance, Case, ServiceEntry

ADL_INSTRUMENT_CODE = "barthel"  # the instrument code of the Barthel Index (rehabilitation/data)


def _cases_open_in(query: metrics.MetricQuery) -> QuerySet[Case]:
    """Cases open at any time in the period: admitted on or before its end, not closed before
    its start."""
    return Case.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gte=query.start),
        admitted_on__lte=query.end,
    )


def _in_units(
    qs: QuerySet[Any], query: metrics.MetricQuery, field: str = "unit_id"
) -> QuerySet[Any]:
    if query.unit_ids is None:
        return qs
    return qs.filter(**{f"{field}__in": sorted(query.unit_ids)})


@metrics.register(
    code="rehabilitation.clients_served",
    label=_("Clients served in the UPT"),
    unit_of_measure=_("people"),
    scope=metrics.Scope.UNIT,
    description=_("Distinct clients with a case open at any time in the period."),
)
def clients_served(query: metrics.MetricQuery) -> Decimal:
    qs = _in_units(_cases_open_in(query), query)
    return Decimal(qs.values("client_id").distinct().count())


@metrics.register(
    code="rehabilitation.clients_independent",
    label=_("Clients who reached their goal"),
    unit_of_measure=_("people"),
    scope=metrics.Scope.UNIT,
    description=_(
        "Distinct clients whose case was terminated in the period with a termination reason "
        "marked as reaching the goal (reference data)."
    ),
)
def clients_independent(query: metrics.MetricQuery) -> Decimal:
    qs = Case.objects.filter(
        termination_on__gte=query.start,
        termination_on__lte=query.end,
        termination_reason__goal_reached=True,
    )
    return Decimal(_in_units(qs, query).values("client_id").distinct().count())


@metrics.register(
    code="rehabilitation.adl_improved_percent",
    label=_("Clients whose daily living (ADL) improved"),
    unit_of_measure=_("percent"),
    scope=metrics.Scope.UNIT,
    description=_(
        "Of the clients with two or more Barthel assessments and one in the period, the share whose "
        "latest total in the period is above their first."
    ),
)
def adl_improved_percent(query: metrics.MetricQuery) -> Decimal | None:
    rows = _in_units(
        Assessment.objects.filter(instrument__code=ADL_INSTRUMENT_CODE, assessed_on__lte=query.end),
        query,
        field="case__unit_id",
    ).order_by("case__client_id", "assessed_on", "id")
    first: dict[Any, int] = {}
    latest: dict[Any, tuple[Any, int]] = {}
    count: dict[Any, int] = {}
    for client_id, assessed_on, total in rows.values_list(
        "case__client_id", "assessed_on", "total_score"
    ).iterator(chunk_size=2000):
        first.setdefault(client_id, total)
        latest[client_id] = (assessed_on, total)
        count[client_id] = count.get(client_id, 0) + 1
    eligible = [c for c, n in count.items() if n >= 2 and latest[c][0] >= query.start]
    if not eligible:
        return None
    improved = sum(1 for c in eligible if latest[c][1] > first[c])
    return (Decimal(improved) * 100 / len(eligible)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@metrics.register(
    code="rehabilitation.cases_handled",
    label=_("Rehabilitation cases handled"),
    unit_of_measure=_("cases"),
    scope=metrics.Scope.USER,
    description=_("Cases assigned to the social worker and open at any time in the period."),
)
def cases_handled(query: metrics.MetricQuery) -> Decimal:
    return Decimal(_cases_open_in(query).filter(social_worker_id=query.user_id).count())


@metrics.register(
    code="rehabilitation.assessments_done",
    label=_("Assessments done"),
    unit_of_measure=_("assessments"),
    scope=metrics.Scope.USER,
    description=_("Assessments recorded with the user as assessor in the period."),
)
def assessments_done(query: metrics.MetricQuery) -> Decimal:
    qs = Assessment.objects.filter(
        assessor_id=query.user_id, assessed_on__gte=query.start, assessed_on__lte=query.end
    )
    return Decimal(qs.count())


@metrics.register(
    code="rehabilitation.services_given",
    label=_("Rehabilitation services given"),
    unit_of_measure=_("sessions"),
    scope=metrics.Scope.USER,
    description=_(
        "Service log entries with the user as provider and the client present, in the period "
        "(a group session counts once per client)."
    ),
)
def services_given(query: metrics.MetricQuery) -> Decimal:
    qs = ServiceEntry.objects.filter(
        provider_id=query.user_id,
        attendance=Attendance.PRESENT,
        given_on__gte=query.start,
        given_on__lte=query.end,
    )
    return Decimal(qs.count())

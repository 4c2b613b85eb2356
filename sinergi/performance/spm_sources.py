"""Where the number served of an SPM service comes from: a registered unit metric (core.metrics,
e.g. the rehabilitation app's clients served) counted over the UPT whose type is one of the
service's lead UPT types. Shared by the services (fill) and the selectors (labels)."""

import datetime as dt

from sinergi.core import metrics
from sinergi.organisation.models import Unit
from sinergi.performance.models import SpmService


def lead_unit_ids(service: SpmService) -> frozenset[int]:
    """The units whose UPT type is one of the service's lead UPT types (e.g. "RSBN, RSBD")."""
    codes = {code.strip() for code in service.lead_unit_types.split(",") if code.strip()}
    if not codes:
        return frozenset()
    return frozenset(Unit.objects.filter(upt_type__code__in=codes).values_list("pk", flat=True))


def spm_metric(service: SpmService) -> metrics.Metric | None:
    """The registered unit metric the service's number served comes from (None: entered by hand)."""
    metric = metrics.get(service.metric_code) if service.metric_code else None
    return metric if metric is not None and metric.scope is metrics.Scope.UNIT else None


def served_count(service: SpmService, year: int) -> int | None:
    """People served in `year` by the UPT of the service's lead types, from the service's metric
    (None when the service is entered by hand or no such UPT exists)."""
    metric = spm_metric(service)
    unit_ids = lead_unit_ids(service) if metric is not None else frozenset()
    if metric is None or not unit_ids:
        return None
    value = metric.value(
        metrics.MetricQuery(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), unit_ids=unit_ids)
    )
    return int(value) if value is not None else None

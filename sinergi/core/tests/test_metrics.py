from datetime import date
from decimal import Decimal

import pytest

from sinergi.core import metrics


@pytest.fixture
def registered():
    @metrics.register(code="test.count_days", label="Days", unit_of_measure="days")
    def count_days(query: metrics.MetricQuery) -> Decimal:
        return Decimal((query.end - query.start).days + 1)

    @metrics.register(
        code="test.user_thing", label="Thing", unit_of_measure="x", scope=metrics.Scope.USER
    )
    def user_thing(query: metrics.MetricQuery) -> Decimal:
        return Decimal(query.user_id or 0)

    yield
    metrics.unregister("test.count_days")
    metrics.unregister("test.user_thing")


def test_a_registered_metric_is_found_by_code_and_computes(registered):
    metric = metrics.get("test.count_days")
    assert metric is not None
    assert metric.value(metrics.MetricQuery(date(2026, 1, 1), date(2026, 1, 31))) == Decimal(31)
    assert ("test.count_days", "Days") in metrics.choices(metrics.Scope.UNIT)
    assert ("test.user_thing", "Thing") not in metrics.choices(metrics.Scope.UNIT)


def test_a_user_metric_needs_a_user(registered):
    metric = metrics.get("test.user_thing")
    assert metric is not None
    with pytest.raises(ValueError):
        metric.value(metrics.MetricQuery(date(2026, 1, 1), date(2026, 1, 31)))
    query = metrics.MetricQuery(date(2026, 1, 1), date(2026, 1, 31), user_id=7)
    assert metric.value(query) == Decimal(7)


def test_codes_are_namespaced_and_unique(registered):
    with pytest.raises(ValueError):
        metrics.register(code="nodot", label="x", unit_of_measure="x")

    def other(query):  # a different function under a taken code
        return None

    with pytest.raises(ValueError):
        metrics.register(code="test.count_days", label="x", unit_of_measure="x")(other)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        metrics.MetricQuery(date(2026, 2, 1), date(2026, 1, 1))

"""The rehabilitation metrics offered through the core registry, computed from the app's records."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.core import metrics
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import Case, ServiceType, Stage, TerminationReason
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

YEAR = metrics.MetricQuery(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))


def _value(code, query):
    return metrics.get(code).value(query)


def _scoped(query, *units):
    return metrics.MetricQuery(
        start=query.start, end=query.end, unit_ids=frozenset(u.pk for u in units)
    )


def _for(user, start=YEAR.start, end=YEAR.end):
    return metrics.MetricQuery(start=start, end=end, user_id=user.pk)


def _terminate(case, reason_code, on):
    return services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="terminasi"),
        reason="uji",
        termination_reason=TerminationReason.objects.get(code=reason_code),
        termination_on=on,
        destination_address="Rumah keluarga",
    )


def _assess(case, level, on):
    top = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}
    scores = {k: min(v, level) for k, v in top.items()}
    return services.assessment_record(
        actor=case.social_worker,
        case=case,
        instrument=selectors.instrument_current(),
        assessed_on=on,
        scores=scores,
    )


def test_metrics_are_registered_with_their_scope(reference):
    unit_codes = {m.code for m in metrics.all_metrics(metrics.Scope.UNIT)}
    user_codes = {m.code for m in metrics.all_metrics(metrics.Scope.USER)}
    assert {
        "rehabilitation.clients_served",
        "rehabilitation.clients_independent",
        "rehabilitation.adl_improved_percent",
    } <= unit_codes
    assert {
        "rehabilitation.cases_handled",
        "rehabilitation.assessments_done",
        "rehabilitation.services_given",
    } <= user_codes


def test_clients_served_counts_cases_open_in_the_period_per_unit(units, people):
    admit(units.upt_a, social_worker=people.worker_a, admitted_on=dt.date(2026, 1, 5))
    admit(units.upt_a, name="Budi", sex="L", admitted_on=dt.date(2025, 6, 1))
    admit(units.upt_b, name="Sumarni", admitted_on=dt.date(2026, 3, 1))
    closed = admit(units.upt_b, name="Lama", admitted_on=dt.date(2024, 1, 1))
    Case.objects.filter(pk=closed.pk).update(
        status=Case.Status.CLOSED, closed_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    )
    assert _value("rehabilitation.clients_served", YEAR) == Decimal(3)
    assert _value("rehabilitation.clients_served", _scoped(YEAR, units.upt_a)) == Decimal(2)
    early = metrics.MetricQuery(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert _value("rehabilitation.clients_served", _scoped(early, units.upt_b)) == Decimal(0)
    last_year = metrics.MetricQuery(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert _value("rehabilitation.clients_served", _scoped(last_year, units.upt_b)) == Decimal(1)


def test_clients_independent_follows_the_goal_reached_flag(units, people):
    reached = admit(units.upt_a, admitted_on=dt.date(2026, 1, 5))
    _terminate(reached, "tujuan-tercapai", dt.date(2026, 5, 1))
    family = admit(units.upt_a, name="Budi", sex="L", admitted_on=dt.date(2026, 1, 5))
    _terminate(family, "kembali-ke-keluarga", dt.date(2026, 5, 1))
    assert _value("rehabilitation.clients_independent", YEAR) == Decimal(1)
    TerminationReason.objects.filter(code="kembali-ke-keluarga").update(goal_reached=True)
    assert _value("rehabilitation.clients_independent", YEAR) == Decimal(2)
    assert _value("rehabilitation.clients_independent", _scoped(YEAR, units.upt_b)) == Decimal(0)


def test_adl_improved_percent(units, people):
    better = admit(units.upt_a, social_worker=people.worker_a)
    _assess(better, 0, dt.date(2026, 1, 10))
    _assess(better, 1, dt.date(2026, 3, 10))
    worse = admit(units.upt_a, name="Budi", sex="L", social_worker=people.worker_a)
    _assess(worse, 2, dt.date(2026, 1, 10))
    _assess(worse, 1, dt.date(2026, 3, 10))
    once = admit(units.upt_a, name="Sekali", social_worker=people.worker_a)
    _assess(once, 1, dt.date(2026, 2, 10))  # one assessment only: not counted
    assert _value("rehabilitation.adl_improved_percent", YEAR) == Decimal("50.00")
    assert _value("rehabilitation.adl_improved_percent", _scoped(YEAR, units.upt_b)) is None
    january = metrics.MetricQuery(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert _value("rehabilitation.adl_improved_percent", january) is None


def test_user_metrics_count_the_users_own_work(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    admit(units.upt_a, name="Budi", sex="L", social_worker=people.worker_a2)
    _assess(case, 1, dt.date(2026, 2, 1))
    for attendance in ["present", "present", "absent"]:
        services.service_record(
            actor=people.worker_a,
            case=case,
            service_type=ServiceType.objects.get(code="FISIK"),
            given_on=dt.date(2026, 2, 2),
            provider=people.worker_a,
            attendance=attendance,
            duration_minutes=30,
        )
    assert _value("rehabilitation.cases_handled", _for(people.worker_a)) == Decimal(1)
    assert _value("rehabilitation.assessments_done", _for(people.worker_a)) == Decimal(1)
    assert _value("rehabilitation.services_given", _for(people.worker_a)) == Decimal(2)
    assert _value("rehabilitation.services_given", _for(people.worker_a2)) == Decimal(0)
    march = _for(people.worker_a, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert _value("rehabilitation.services_given", march) == Decimal(0)
    assert _value("rehabilitation.assessments_done", march) == Decimal(0)

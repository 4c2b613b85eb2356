"""The compliance summaries follow every write that changes them, and equal the live figures."""

import datetime as dt

import pytest

from sinergi.staff import selectors, services
from sinergi.staff.models import ComplianceSummary
from sinergi.staff.testing import make_employee, make_skp
from sinergi.staff.tests.test_services import _at, _report_all

pytestmark = pytest.mark.django_db


def _row(year, month, unit):
    found = ComplianceSummary.objects.filter(year=year, month=month, unit=unit).first()
    return (found.expected, found.on_time, found.late) if found else None


def test_a_submission_and_an_employee_move_update_the_summaries(people, units):
    skp = make_skp(people.e_worker_a, 2026)
    services.compliance_refresh()
    assert _row(2026, 4, units.upt_a) == (2, 0, 0)
    _report_all(people, skp, 4, dt.date(2026, 5, 6))
    services.month_submit(actor=people.worker_a, skp=skp, month=4, now=_at(dt.date(2026, 5, 6)))
    assert _row(2026, 4, units.upt_a) == (2, 0, 1)
    services.employee_update(actor=people.hr, employee=people.e_worker_a, unit=units.upt_b)
    assert _row(2026, 4, units.upt_a) == (1, 0, 0)
    assert _row(2026, 4, units.upt_b) == (3, 0, 1)
    services.employee_create(
        actor=people.hr,
        name="Baru Masuk",
        employment_type="non_asn",
        unit=units.upt_b,
        active_from=dt.date(2026, 1, 1),
    )
    assert _row(2026, 4, units.upt_b) == (3, 0, 1)  # a non-ASN employee owes no SKP
    services.employee_update(
        actor=people.hr, employee=people.e_head_b, active_until=dt.date(2026, 3, 31)
    )
    assert _row(2026, 4, units.upt_b) == (2, 0, 1)
    assert _row(2026, 3, units.upt_b) == (3, 0, 0)


def test_the_summaries_equal_the_live_figures(people, units):
    for n in range(6):
        employee = make_employee(
            units.upt_b if n % 2 else units.upt_a,
            supervisor=people.e_head_b,
            active_from=dt.date(2026, 1 + n, 1),
        )
        make_skp(employee, 2026)
    services.compliance_refresh()
    stored = {
        (s.month, s.unit_id): [s.expected, s.on_time, s.late]
        for s in ComplianceSummary.objects.filter(year=2026)
    }
    assert stored == selectors.compliance_figures(2026)
    assert stored[(1, units.upt_a.pk)] == [3, 0, 0]  # two of the fixture and the first new one


def test_only_the_submissions_of_employees_who_owe_the_month_are_counted(people, units):
    skp = make_skp(people.e_worker_a, 2026)
    _report_all(people, skp, 3, dt.date(2026, 4, 2))
    services.month_submit(actor=people.worker_a, skp=skp, month=3, now=_at(dt.date(2026, 4, 2)))
    assert _row(2026, 3, units.upt_a) == (2, 1, 0)
    # HR records that Pegawai A is not ASN after all: March is owed by Kepala UPT A alone, and
    # the figures never count more reports than people who owe them
    services.employee_update(actor=people.hr, employee=people.e_worker_a, employment_type="non_asn")
    assert _row(2026, 3, units.upt_a) == (1, 0, 0)
    assert ComplianceSummary.objects.filter(on_time__gt=0).count() == 0

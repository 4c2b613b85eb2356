import time
from io import StringIO

import pytest

from sinergi.accounts import demo as accounts_demo
from sinergi.organisation import demo as organisation_demo
from sinergi.staff import demo
from sinergi.staff.models import Employee, MonthlySubmission, Skp
from sinergi.staff.services import supervisor_chain

pytestmark = pytest.mark.django_db


def test_the_demo_staff_is_a_hierarchy_of_about_1400_and_loads_once():
    organisation_demo.load(StringIO())
    accounts_demo.load(StringIO())
    started = time.perf_counter()
    demo.load(StringIO())
    elapsed = time.perf_counter() - started
    total = Employee.objects.count()
    assert 1300 <= total <= 1450
    head = Employee.objects.get(position="Kepala Dinas")
    assert head.user.username == "kadinsos"
    assert head.supervisor is None
    assert Employee.objects.filter(supervisor__isnull=True).count() == 1
    linked = set(Employee.objects.exclude(user=None).values_list("user__username", flat=True))
    assert set(demo.LINKED) <= linked
    worker = Employee.objects.get(user__username="pegawai.rsbd.pasuruan")
    assert supervisor_chain(worker.supervisor, None) is None  # no loop above the employee
    assert worker.supervisor.supervisor.user.username == "kepala.rsbd.pasuruan"
    assert Skp.objects.filter(employee=worker, status="approved").exists()
    submitted = MonthlySubmission.objects.filter(status="submitted")
    late_share = submitted.filter(on_time=False).count() / submitted.count()
    assert 0.03 < late_share < 0.3  # most on time
    print(f"staff demo loaded in {elapsed:.1f} s")  # speed is measured, not asserted here
    counts = (Employee.objects.count(), MonthlySubmission.objects.count())
    demo.load(StringIO())
    assert (Employee.objects.count(), MonthlySubmission.objects.count()) == counts

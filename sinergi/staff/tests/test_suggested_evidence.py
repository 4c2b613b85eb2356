"""Suggested evidence: the month's figures of the employee's own work that other apps offer through
sinergi.core.metrics (scope USER), shown on the month page for the employee to attach. The staff
app never imports those apps; here a metric is registered the way another app's metrics.py does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sinergi.core import metrics
from sinergi.staff import selectors
from sinergi.staff.testing import make_skp

pytestmark = pytest.mark.django_db

CODE = "testapp.home_visits"
SILENT = "testapp.no_basis"


@pytest.fixture
def home_visits(people):
    """12.5 home visits for Pegawai A (any month), no figure for anyone else; and a metric that
    never has a basis (None)."""
    seen = []

    def visits(query: metrics.MetricQuery) -> Decimal | None:
        seen.append(query)
        return Decimal("1234.5") if query.user_id == people.worker_a.pk else None

    metrics.register(
        code=CODE, label="Kunjungan rumah", unit_of_measure="kunjungan", scope=metrics.Scope.USER
    )(visits)
    metrics.register(
        code=SILENT, label="Tanpa dasar", unit_of_measure="x", scope=metrics.Scope.USER
    )(lambda query: None)
    yield seen
    metrics.unregister(CODE)
    metrics.unregister(SILENT)


def test_the_months_own_figures_are_offered_as_evidence_text(people, home_visits):
    found = {
        s.code: s for s in selectors.suggested_evidence(user=people.worker_a, year=2026, month=3)
    }
    assert SILENT not in found  # a figure with no basis is left out, never shown as 0
    visits = found[CODE]
    assert (visits.label, visits.value, visits.unit_of_measure) == (
        "Kunjungan rumah",
        Decimal("1234.5"),
        "kunjungan",
    )
    assert visits.text == "Kunjungan rumah: 1.234,5 kunjungan (01-03-2026 s.d. 31-03-2026, Sinergi)"
    query = home_visits[-1]
    assert (query.start, query.end, query.user_id) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        people.worker_a.pk,
    )
    assert CODE not in {
        s.code for s in selectors.suggested_evidence(user=people.worker_b, year=2026, month=3)
    }


def test_the_month_page_offers_them_to_the_employee_only(people, home_visits):
    skp = make_skp(people.e_worker_a, 2026)
    url = f"/pegawai/skp/{skp.pk}/bulan/3/"
    employee = Client()
    employee.force_login(people.worker_a)
    html = employee.get(url).content.decode()
    assert 'data-evidence-text="Kunjungan rumah: 1.234,5 kunjungan (01-03-2026 s.d.' in html
    assert html.count('data-testid="suggestion"') == 2 * _user_metric_count(people)  # 2 RHK
    supervisor = Client()
    supervisor.force_login(people.head_a)
    assert 'data-testid="suggestion"' not in supervisor.get(url).content.decode()


def _user_metric_count(people):
    return len(selectors.suggested_evidence(user=people.worker_a, year=2026, month=3))


def test_the_staff_app_imports_no_app_whose_figures_it_suggests():
    from pathlib import Path

    import sinergi.staff

    root = Path(sinergi.staff.__file__).parent
    others = [
        "rehabilitation",
        "pillars",
        "budget",
        "meetings",
        "performance",
        "sakip",
        "innovations",
    ]
    offending = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("*.py")
        for line in path.read_text().splitlines()
        if line.lstrip().startswith(("import ", "from "))
        and any(f"sinergi.{app}" in line for app in others)
    ]
    assert offending == []

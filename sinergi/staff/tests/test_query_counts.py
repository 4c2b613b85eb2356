"""Pinned query counts of every staff page and endpoint (PERFORMANCE.md P11): the number is fixed,
and it does not grow with the rows on the page (more employees, RHK, months, submissions)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.staff import services
from sinergi.staff.models import MonthlySubmission, Rhk, RhkIndicator
from sinergi.staff.models.periods import previous_month
from sinergi.staff.testing import make_employee, make_skp

pytestmark = pytest.mark.django_db

# Every request pays for the session, the user, the two-factor check, the user's and the roles'
# permissions and the scope of the roles (6), and a full page the unread notifications (1).
PAGES = {
    "employee list": ("hr", "/pegawai/", 8),
    "employee list, searched": ("hr", "post:/pegawai/", 8),
    "employee detail": ("head_a", "/pegawai/{worker}/", 11),
    "new employee form": ("hr", "/pegawai/baru/", 8),
    "edit employee form": ("hr", "/pegawai/{worker}/ubah/", 9),
    "employee export": ("hr", "/pegawai/ekspor.xlsx", 10),
    "my SKP (a supervisor)": ("head_a", "/pegawai/skp/", 12),
    "SKP": ("head_a", "/pegawai/skp/{skp}/", 13),
    "RHK form": ("worker_a", "/pegawai/skp/{draft}/rhk/baru/", 9),
    # + one or two queries per figure other apps offer as suggested evidence (USER_METRICS below)
    "month": ("worker_a", "/pegawai/skp/{skp}/bulan/{month}/", 13),
    "month, read by the supervisor": ("head_a", "/pegawai/skp/{skp}/bulan/{month}/", 13),
    "evaluation form": ("head_a", "/pegawai/skp/{skp}/penilaian/", 12),
    "evidence file": ("worker_a", "/pegawai/bukti/{evidence}/", 10),
    "compliance": ("hr", "/pegawai/kepatuhan/?tahun={year}&bulan={month}", 9),
    "late list": ("hr", "/pegawai/kepatuhan/terlambat/?tahun={year}&bulan={month}", 8),
    "late list xlsx": ("hr", "/pegawai/kepatuhan/terlambat.xlsx?tahun={year}&bulan={month}", 12),
    "late list pdf": ("hr", "/pegawai/kepatuhan/terlambat.pdf?tahun={year}&bulan={month}", 10),
    "api employees": ("hr", "/api/v1/staff/employees", 6),
    "api employee": ("head_a", "/api/v1/staff/employees/{worker}", 7),
    "api SKP list": ("head_a", "/api/v1/staff/skp", 7),
    "api SKP": ("head_a", "/api/v1/staff/skp/{skp}", 9),
    "api month": ("worker_a", "/api/v1/staff/skp/{skp}/months/{month}", 12),
    "api compliance": ("hr", "/api/v1/staff/compliance?year={year}&month={month}", 6),
    "api compliance trend": ("hr", "/api/v1/staff/compliance/trend?year={year}", 6),
}


def _arrange(people, units, extra):
    """The fixture's staff plus `extra` more employees under Kepala UPT A, each with an SKP of
    3 RHK and the month submitted (half late); Pegawai A's SKP has an evidence file."""
    year, month = previous_month(timezone.localdate())
    for n in range(extra):
        employee = make_employee(units.upt_a, name=f"Tambahan {n:02d}", supervisor=people.e_head_a)
        skp = make_skp(employee, year, rhks=3)
        MonthlySubmission.objects.create(
            employee=employee, skp=skp, year=year, month=month, due_on=dt.date(year, 12, 31),
            status="submitted", submitted_at=timezone.now(), on_time=n % 2 == 0,
        )  # fmt: skip
        for rhk in skp.rhks.all():
            RhkIndicator.objects.create(rhk=rhk, aspect="time", description="Tepat", target="1")
    services.compliance_refresh()
    return year, month


def _ids(people, year, month):
    skp = make_skp(people.e_worker_a, year, rhks=2)
    draft = make_skp(people.e_worker_a, year + 1, status="draft", rhks=1)
    row = services.realisation_save(
        actor=people.worker_a, skp=skp, month=month, rhk=skp.rhks.first(), realisation="ok",
        evidence_file=SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n0000"),
        today=timezone.localdate(),
    )  # fmt: skip
    return {
        "worker": people.e_worker_a.pk,
        "skp": skp.pk,
        "draft": draft.pk,
        "evidence": row.pk,
        "year": year,
        "month": month,
    }


def _counts(people, ids):
    counts = {}
    for name, (who, url, _pinned) in PAGES.items():
        client = Client()
        client.force_login(getattr(people, who))
        method, _sep, path = url.rpartition(":") if url.startswith("post:") else ("get", "", url)
        path = path.format(**ids)
        getattr(client, method)(path)  # warm-up: caches of the process are not under test
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def test_every_page_and_endpoint_has_a_pinned_query_count_that_does_not_grow(people, units):
    year, month = _arrange(people, units, extra=2)
    ids = _ids(people, year, month)
    few = _counts(people, ids)
    _arrange(people, units, extra=25)
    for rhk_number in range(3, 8):  # Pegawai A's SKP grows to 7 RHK
        rhk = Rhk.objects.create(skp_id=ids["skp"], number=rhk_number, title=f"RHK {rhk_number}")
        RhkIndicator.objects.create(rhk=rhk, aspect="quantity", description="Jumlah", target="2")
    many = _counts(people, ids)
    pinned = {name: count for name, (_who, _url, count) in PAGES.items()}
    pinned["month"] += _metric_queries(people, ids)
    assert few == pinned
    assert many == pinned


def _metric_queries(people, ids):
    """The queries of the other apps' USER metrics the month page offers as suggested evidence."""
    from sinergi.staff import selectors

    with CaptureQueriesContext(connection) as ctx:
        selectors.suggested_evidence(user=people.worker_a, year=ids["year"], month=ids["month"])
    return len(ctx.captured_queries)

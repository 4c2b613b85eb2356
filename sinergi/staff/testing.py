"""Factories for staff tests (and the browser tests): employees with valid NIPs, an SKP with RHK."""

import datetime as dt
import itertools
from typing import Any

from sinergi.core.identity import make_nip
from sinergi.staff.models import Employee, EmploymentType, Rhk, RhkIndicator, Skp

_serial = itertools.count(1)


def next_nip(*, female: bool = False, pppk: bool = False) -> str:
    n = next(_serial)
    birth = dt.date(1970 + n % 25, 1 + n % 12, 1 + n % 28)
    appointed = dt.date(1995 + n % 25, 1 + (n * 5) % 12, 1)
    return make_nip(
        birth, appointed, "P" if female else "L", 1 + n % 999, pppk_code="21" if pppk else ""
    )


def make_employee(
    unit: Any,
    *,
    name: str | None = None,
    user: Any = None,
    supervisor: Employee | None = None,
    employment_type: str = EmploymentType.PNS,
    active_from: dt.date = dt.date(2020, 1, 1),
    **extra: Any,
) -> Employee:
    """An employee saved directly (no audit): for arranging tests."""
    nip = extra.pop("nip", None)
    if nip is None and employment_type != EmploymentType.NON_ASN:
        nip = next_nip(pppk=employment_type == EmploymentType.PPPK)
    return Employee.objects.create(
        nip=nip,
        name=name or f"Pegawai {next(_serial)}",
        unit=unit,
        user=user,
        supervisor=supervisor,
        employment_type=employment_type,
        active_from=active_from,
        **extra,
    )


def make_skp(
    employee: Employee,
    year: int,
    *,
    status: str = Skp.Status.APPROVED,
    rhks: int = 2,
    approved_by: Any = None,
) -> Skp:
    """An SKP with `rhks` RHK (each with a quantity indicator), approved by default."""
    start = max(dt.date(year, 1, 1), employee.active_from)
    end = min(dt.date(year, 12, 31), employee.active_until or dt.date(year, 12, 31))
    skp = Skp.objects.create(
        employee=employee,
        year=year,
        period_start=start,
        period_end=end,
        status=status,
        approved_by=approved_by if status == Skp.Status.APPROVED else None,
        approved_at=dt.datetime(year, 1, 10, 9, tzinfo=dt.UTC)
        if status == Skp.Status.APPROVED
        else None,
    )
    for number in range(1, rhks + 1):
        rhk = Rhk.objects.create(skp=skp, number=number, title=f"Hasil kerja {number}")
        RhkIndicator.objects.create(
            rhk=rhk, aspect=RhkIndicator.Aspect.QUANTITY, description="Jumlah laporan", target="1"
        )
    return skp

from dataclasses import dataclass
from typing import Any

import pytest

from sinergi.staff.testing import make_employee


@dataclass
class People:
    head: Any  # head of office (user)
    kabid: Any  # head of the rehabilitation division
    head_a: Any  # head of UPT A
    worker_a: Any  # employee of UPT A
    head_b: Any
    worker_b: Any
    hr: Any
    auditor: Any
    social_worker: Any  # a role without staff permissions
    e_head: Any  # their employee records
    e_kabid: Any
    e_head_a: Any
    e_worker_a: Any
    e_head_b: Any
    e_worker_b: Any
    e_hr: Any


@pytest.fixture
def people(make_user, units):
    head = make_user("head_of_office", units.office, email="kadin@example.go.id")
    kabid = make_user("head_of_division", units.rehab_division, email="kabid@example.go.id")
    head_a = make_user("head_of_upt", units.upt_a, email="kepala.a@example.go.id")
    worker_a = make_user("employee", units.upt_a, email="pegawai.a@example.go.id")
    head_b = make_user("head_of_upt", units.upt_b, email="kepala.b@example.go.id")
    worker_b = make_user("employee", units.upt_b, email="pegawai.b@example.go.id")
    hr = make_user("hr_officer", units.secretariat, email="hr@example.go.id")
    auditor = make_user("auditor", units.office)
    social_worker = make_user("social_worker", units.upt_a)
    e_head = make_employee(units.office, name="Kepala Dinas", user=head)
    e_kabid = make_employee(
        units.rehab_division, name="Kabid Rehsos", user=kabid, supervisor=e_head
    )
    e_head_a = make_employee(units.upt_a, name="Kepala UPT A", user=head_a, supervisor=e_kabid)
    e_worker_a = make_employee(units.upt_a, name="Pegawai A", user=worker_a, supervisor=e_head_a)
    e_head_b = make_employee(units.upt_b, name="Kepala UPT B", user=head_b, supervisor=e_kabid)
    e_worker_b = make_employee(units.upt_b, name="Pegawai B", user=worker_b, supervisor=e_head_b)
    e_hr = make_employee(units.secretariat, name="Petugas Kepegawaian", user=hr, supervisor=e_head)
    return People(
        head, kabid, head_a, worker_a, head_b, worker_b, hr, auditor, social_worker,
        e_head, e_kabid, e_head_a, e_worker_a, e_head_b, e_worker_b, e_hr,
    )  # fmt: skip

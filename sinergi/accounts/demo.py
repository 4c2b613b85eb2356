"""Demo users: one per role, all with the password from DEMO_PASSWORD (default `sinergi-demo`)."""

from typing import Any

from django.conf import settings
from django.db import transaction

from sinergi.accounts import services
from sinergi.accounts.models import User
from sinergi.organisation.models import Unit

DEMO_USERS = [
    # username, full name, role, unit code
    ("admin", "Administrator Sistem", "system_admin", "dinsos"),
    ("kadinsos", "Kepala Dinas Sosial", "head_of_office", "dinsos"),
    ("kabid.rehsos", "Kepala Bidang Rehabilitasi Sosial", "head_of_division", "bidang-rehsos"),
    ("kepala.rsbd.pasuruan", "Kepala UPT RSBD Pasuruan", "head_of_upt", "upt-rsbd-pasuruan"),
    ("peksos.rsbd.pasuruan", "Pekerja Sosial RSBD Pasuruan", "social_worker", "upt-rsbd-pasuruan"),
    ("peksos.pstw.magetan", "Pekerja Sosial PSTW Magetan", "social_worker", "upt-pstw-magetan"),
    ("keuangan", "Petugas Keuangan", "finance_officer", "sekretariat"),
    ("kepegawaian", "Petugas Kepegawaian", "hr_officer", "sekretariat"),
    ("pilar", "Petugas Pilar Sosial", "pillar_officer", "bidang-dayasos"),
    ("perencanaan", "Petugas Perencanaan", "planning_officer", "sekretariat"),
    ("pegawai.rsbd.pasuruan", "Pegawai UPT RSBD Pasuruan", "employee", "upt-rsbd-pasuruan"),
    ("auditor", "Auditor Internal", "auditor", "dinsos"),
]


@transaction.atomic
def load(stdout: Any) -> None:
    services.roles_sync(actor=None)
    password = str(settings.SINERGI["DEMO_PASSWORD"])
    for username, full_name, role, unit_code in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = services.user_create(
            actor=None,
            username=username,
            full_name=full_name,
            unit=Unit.objects.get(code=unit_code),
            role_codes=[role],
            password=password,
        )
        if username == "admin":
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    stdout.write("")
    stdout.write(f"  Demo logins (password for all: {password})")
    for username, _full_name, role, unit_code in DEMO_USERS:
        stdout.write(f"    {username:<24} {role:<18} {unit_code}")

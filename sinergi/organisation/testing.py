"""Test helpers: a small unit tree (no regions needed), and extra permissions for a test user."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission

from sinergi.organisation import services
from sinergi.organisation.models import Unit, UnitType, UptType


@dataclass
class UnitTree:
    office: Unit
    secretariat: Unit
    rehab_division: Unit
    empowerment_division: Unit
    upt_a: Unit  # UPT RSBD Pasuruan
    upt_b: Unit  # UPT PSTW Magetan


def make_unit_tree() -> UnitTree:
    types = {
        code: UnitType.objects.get_or_create(
            code=code, defaults={"name": name, "is_service_unit": code == "upt"}
        )[0]
        for code, name in [
            ("dinas", "Dinas"),
            ("sekretariat", "Sekretariat"),
            ("bidang", "Bidang"),
            ("upt", "UPT"),
        ]
    }
    rsbd = UptType.objects.get_or_create(
        code="RSBD", defaults={"name": "Rehabilitasi Sosial Bina Daksa"}
    )[0]
    pstw = UptType.objects.get_or_create(
        code="PSTW", defaults={"name": "Pelayanan Sosial Tresna Werdha"}
    )[0]

    def unit(
        code: str, name: str, kind: str, parent: Unit | None, upt_type: UptType | None = None
    ) -> Unit:
        existing = Unit.objects.filter(code=code).first()
        if existing:
            return existing
        return services.unit_create(
            actor=None,
            code=code,
            name=name,
            unit_type=types[kind],
            parent=parent,
            upt_type=upt_type,
        )

    office = unit("dinsos", "Dinas Sosial Provinsi Jawa Timur", "dinas", None)
    secretariat = unit("sekretariat", "Sekretariat", "sekretariat", office)
    rehab = unit("bidang-rehsos", "Bidang Rehabilitasi Sosial", "bidang", office)
    empower = unit("bidang-dayasos", "Bidang Pemberdayaan Sosial", "bidang", office)
    upt_a = unit("upt-rsbd-pasuruan", "UPT RSBD Pasuruan", "upt", rehab, rsbd)
    upt_b = unit("upt-pstw-magetan", "UPT PSTW Magetan", "upt", rehab, pstw)
    return UnitTree(office, secretariat, rehab, empower, upt_a, upt_b)


def grant_permissions(user: Any, *codenames: str) -> Any:
    """Give `user` extra permissions ("app.codename") directly, e.g. change_unit without the
    system_admin role (which requires 2FA). Returns the user."""
    for codename in codenames:
        app_label, _dot, name = codename.partition(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user

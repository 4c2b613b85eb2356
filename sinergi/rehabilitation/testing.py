"""Test helpers: a few real regions, reference data present, and a client admitted into a UPT."""

import datetime as dt
import itertools
from typing import Any

from sinergi.core.identity import make_nik
from sinergi.organisation.models import Region
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    Case,
    PpksCategory,
    ReferralSource,
    Stage,
)

REGIONS = [
    ("35", "Jawa Timur", 1, None),
    ("35.14", "Kabupaten Pasuruan", 2, "35"),
    ("35.14.01", "Purwodadi", 3, "35.14"),
    ("35.14.01.2001", "Gerbo", 4, "35.14.01"),
    ("35.20", "Kabupaten Magetan", 2, "35"),
    ("35.20.01", "Poncol", 3, "35.20"),
    ("35.20.01.2001", "Poncol", 4, "35.20.01"),
]
_serial = itertools.count(1)


def ensure_regions() -> dict[str, Region]:
    for code, name, level, parent in REGIONS:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )
    return {r.code: r for r in Region.objects.filter(code__in=[c for c, *_ in REGIONS])}


def ensure_reference() -> None:
    """The reference data of migration 0002 (a flushed test database has lost it)."""
    if not Stage.objects.exists() or not selectors.instrument_current():
        services.reference_load(actor=None)


def intake_fields(**overrides: Any) -> dict[str, Any]:
    """Valid client fields for `client_intake`: a woman born 1950 registered in Purwodadi."""
    birth_on = overrides.pop("birth_on", dt.date(1950, 3, 14))
    sex = overrides.pop("sex", "P")
    fields: dict[str, Any] = {
        "nik": make_nik("35.14.01", birth_on, sex, next(_serial)),
        "no_nik_reason": "",
        "kk_number": "",
        "name": "Siti Aminah",
        "sex": sex,
        "birth_place": "Pasuruan",
        "birth_on": birth_on,
        "address": "Dusun Krajan RT 01 RW 02",
        "village": Region.objects.get(code="35.14.01.2001"),
        "ppks_category": PpksCategory.objects.get(code="LUT"),
        "disability_type": None,
        "referral_source": ReferralSource.objects.get(code="dinsos-kabkota"),
        "guardian_name": "",
        "guardian_relationship": "",
        "guardian_phone": "",
        "dtsen_desil": None,
    }
    fields.update(overrides)
    return fields


def admit(
    unit: Any,
    *,
    actor: Any = None,
    social_worker: Any = None,
    admitted_on: dt.date | None = None,
    **overrides: Any,
) -> Case:
    """A client admitted into `unit` (reference data and regions must exist)."""
    return services.client_intake(
        actor=actor,
        unit=unit,
        social_worker=social_worker,
        admitted_on=admitted_on or dt.date(2026, 1, 5),
        confirm_not_duplicate=True,
        **intake_fields(**overrides),
    )


def draft_plan(case: Case, *, actor: Any = None, goals: int = 1) -> Any:
    """An intervention plan for `case` (in or after the plan stage) with `goals` goals and one
    planned service, ready for the head of UPT's approval (casework)."""
    from sinergi.rehabilitation.models import InterventionPlan, ServiceType

    current = InterventionPlan.objects.filter(case=case).exclude(status="superseded").first()
    start = max(case.admitted_on, dt.date(2026, 1, 5))
    return services.plan_save(
        actor=actor,
        case=case,
        expected_version=current.version if current else None,
        goals=[
            {"problem": f"Masalah {n}", "goal": f"Tujuan {n}", "indicator": f"Indikator {n}"}
            for n in range(1, goals + 1)
        ],
        services=[
            {
                "service_type": ServiceType.objects.get(code="FISIK"),
                "times": 2,
                "period": "week",
                "start_on": start,
                "target_on": start + dt.timedelta(days=180),
            }
        ],
    )


# The tables of the shell every page reads (session, user, roles and permissions, 2FA devices,
# notifications): their queries belong to the platform, not to the page under test.
SHELL_TABLES = (
    '"django_session"',
    '"accounts_',
    '"auth_',
    '"django_content_type"',
    '"notifications_',
    '"otp_',
    '"axes_',
)


def own_queries(captured: Any) -> int:
    """The queries of a CaptureQueriesContext that the page itself makes (this app's tables,
    units, regions, audit...), without the shell's: pinned counts that a change of the shell's
    own queries does not move."""
    return len(
        [
            q
            for q in captured.captured_queries
            if '"rehabilitation_' in q["sql"] or not any(t in q["sql"] for t in SHELL_TABLES)
        ]
    )

"""Reads of the reference data: pillar types, banks, bank-file layouts and the region names the
lists show.

List pages show the names of a row's pillar type, bank, regency and kecamatan. Joining four small
tables into every 50-row page made PostgreSQL spend longer planning the query than running it, so
the names come from a small per-process cache instead (types, banks and the regions of Jawa Timur:
about 720 rows, read again after `NAMES_SECONDS`: a renamed type, bank or region shows in the
lists within minutes; the forms and detail pages always read the tables).
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sinergi.organisation.models import Region
from sinergi.pillars.models import Bank, BankFileLayout, MemberRole, PillarType

NAMES_SECONDS = 600
PROVINCE = "35"


@dataclass(frozen=True)
class ReferenceNames:
    pillar_types: dict[int, str]
    banks: dict[int, str]
    regions: dict[str, str]  # regency and kecamatan codes of the province -> name
    type_choices: list[tuple[str, str]]  # active types, for filters
    regency_choices: list[tuple[str, str]]

    def region(self, code: str | None) -> str:
        if not code:
            return ""
        return self.regions.get(code) or code


_lock = threading.Lock()
_cached: dict[str, Any] = {}


def _load() -> ReferenceNames:
    types = list(PillarType.objects.values_list("pk", "name", "is_active").order_by("sort_order"))
    regions = list(
        Region.objects.filter(
            level__in=[Region.Level.REGENCY, Region.Level.DISTRICT],
            code__startswith=f"{PROVINCE}.",
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )
    return ReferenceNames(
        pillar_types={pk: name for pk, name, _active in types},
        banks=dict(Bank.objects.values_list("pk", "short_name")),
        regions={code: name for code, name, _level in regions},
        type_choices=[(str(pk), name) for pk, name, active in types if active],
        regency_choices=[
            (code, name) for code, name, level in regions if level == Region.Level.REGENCY
        ],
    )


def reference_names() -> ReferenceNames:
    """The names lists show, cached in the process for `NAMES_SECONDS`."""
    now = time.monotonic()
    with _lock:
        found = _cached.get("names")
        if found is not None and now - found[0] < NAMES_SECONDS:
            return found[1]
    names = _load()
    with _lock:
        _cached["names"] = (now, names)
    return names


def forget_reference_names() -> None:
    """Drop the cached names (between tests; a new process starts without them)."""
    with _lock:
        _cached.clear()


def name_rows(items: list[Any], names: ReferenceNames | None = None) -> list[Any]:
    """Attach `type_name`, `bank_name`, `regency_name`, `district_name` to members or entitlements
    (rows that carry pillar_type_id, bank_id, regency_id and maybe district_id)."""
    names = names or reference_names()
    roles = {key: str(label) for key, label in MemberRole.choices}
    for item in items:
        item.type_name = names.pillar_types.get(item.pillar_type_id, "")
        item.bank_name = names.banks.get(item.bank_id, "") if item.bank_id else ""
        item.regency_name = names.region(item.regency_id)
        item.district_name = names.region(getattr(item, "district_id", None))
        item.role_name = roles.get(item.role, item.role)
    return items


def pillar_types() -> QuerySet[PillarType]:
    return PillarType.objects.filter(is_active=True)


def banks() -> QuerySet[Bank]:
    return Bank.objects.filter(is_active=True)


def regencies(province: str = PROVINCE) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.REGENCY, code__startswith=f"{province}.")


def districts(regency: str) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.DISTRICT, parent_id=regency)


def layouts() -> QuerySet[BankFileLayout]:
    return BankFileLayout.objects.select_related("bank")


def layout_get(pk: Any) -> BankFileLayout:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(layouts(), pk=pk)


def default_layout() -> BankFileLayout | None:
    return layouts().filter(is_default=True).first() or layouts().first()

"""Test helpers: a few regions, members with valid NIKs and accounts, a scheme with 2025 rates."""

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sinergi.core.identity import make_nik
from sinergi.organisation.models import Region
from sinergi.pillars import services
from sinergi.pillars.models import AidRate, AidScheme, Bank, Member, PillarType

_serial = itertools.count(1)

REGIONS = [
    ("35", "JAWA TIMUR", 1, None),
    ("35.78", "KOTA SURABAYA", 2, "35"),
    ("35.78.01", "KARANG PILANG", 3, "35.78"),
    ("35.78.02", "JAMBANGAN", 3, "35.78"),
    ("35.07", "KABUPATEN MALANG", 2, "35"),
    ("35.07.01", "DONOMULYO", 3, "35.07"),
]


def make_regions() -> dict[str, Region]:
    regions = {}
    for code, name, level, parent in REGIONS:
        regions[code] = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )[0]
    return regions


def pillar_type(code: str) -> PillarType:
    return PillarType.objects.get(code=code)


def bank(code: str = "114") -> Bank:
    return Bank.objects.get(code=code)


def make_member(
    *,
    unit: Any,
    type_code: str = "tagana",
    district: str | None = "35.78.01",
    regency: str | None = None,
    sex: str = "L",
    born_on: dt.date = dt.date(1990, 5, 17),
    name: str = "Budi Santoso",
    account: bool = True,
    actor: Any = None,
    **extra: Any,
) -> Member:
    serial = next(_serial)
    district_code = district or "35.78.01"
    regency_code = regency or district_code[:5]
    account_fields: dict[str, Any] = {}
    if account:
        account_fields = {
            "bank": bank(),
            "account_number": f"{serial:010d}",
            "account_holder": name,
        }
    extra.setdefault("active_from", dt.date(2024, 1, 1))
    return services.member_create(
        actor=actor,
        pillar_type=pillar_type(type_code),
        nik=make_nik(district_code, born_on, sex, serial),
        name=name,
        sex=sex,
        born_on=born_on,
        regency=Region.objects.get(code=regency_code),
        district=Region.objects.get(code=district) if district else None,
        unit=unit,
        **account_fields,
        **extra,
    )


@dataclass
class Scheme:
    scheme: AidScheme
    tksk: AidRate
    tagana: AidRate


def make_scheme(effective_from: dt.date = dt.date(2025, 1, 1)) -> Scheme:
    scheme, _created = AidScheme.objects.get_or_create(
        code="bantuan-operasional-pilar",
        defaults={"name": "Bantuan operasional pilar sosial", "short_name": "BOP PILAR SOSIAL"},
    )
    tksk = services.rate_add(
        actor=None,
        scheme=scheme,
        pillar_type=pillar_type("tksk"),
        amount=Decimal("1500000"),
        effective_from=effective_from,
        source="pustakajc.co 26-08-2025",
        is_confirmed=True,
    )
    tagana = services.rate_add(
        actor=None,
        scheme=scheme,
        pillar_type=pillar_type("tagana"),
        amount=Decimal("750000"),
        effective_from=effective_from,
        source="pustakajc.co 26-08-2025",
        is_confirmed=True,
    )
    return Scheme(scheme, tksk, tagana)


def result_csv(rows: list[tuple[str, str, Any, str]]) -> bytes:
    """A bank result file: (reference, status, amount, reason) per row."""
    lines = ["referensi,status,nominal,alasan"]
    lines += [f"{ref},{status},{amount},{reason}" for ref, status, amount, reason in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def approve_and_send(batch: Any, finance: Any) -> str:
    """Approve `batch` as `finance` and make its bank file in the default layout; the file's text."""
    from sinergi.pillars.models import BankFileLayout

    approved = services.batch_approve(actor=finance, batch=batch)
    _name, lines = services.bank_file_export(
        actor=finance, batch=approved, layout=BankFileLayout.objects.get(is_default=True)
    )
    return "".join(lines)


def result_for(batch: Any, failed: dict[int, str] | None = None) -> bytes:
    """A result file settling every pending transfer of `batch`: paid, or failed with the reason
    given for its member id in `failed`."""
    failed = failed or {}
    rows = []
    for entitlement in batch.entitlements.filter(status="pending").order_by("id"):
        reason = failed.get(entitlement.member_id)
        status = "gagal" if reason else "berhasil"
        rows.append((entitlement.reference, status, int(entitlement.amount), reason or ""))
    return result_csv(rows)

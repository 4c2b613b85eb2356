"""Reads of the pillars app, always scoped to the viewer."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from sinergi.core.pagination import Page, keyset_page
from sinergi.organisation.models import Region
from sinergi.pillars.models import (
    AidRate,
    AidScheme,
    Bank,
    BankFileLayout,
    Batch,
    Cycle,
    Entitlement,
    EntitlementStatus,
    Member,
    MemberStatus,
    NominativeDocument,
    PillarType,
    ResultImport,
    SchemeFunding,
    Training,
)
from sinergi.pillars.permissions import (
    access_batch,
    access_cycle,
    access_member,
    scope_cycles,
    scope_entitlements,
    scope_members,
)

MEMBER_ORDERING = ("name", "id")
ENTITLEMENT_ORDERING = ("id",)


@dataclass(frozen=True)
class MemberFilters:
    pillar_type: int | None = None
    regency: str = ""
    district: str = ""
    status: str = ""
    account_ready: bool | None = None
    search: str = ""  # a name part or a full NIK; never comes from the URL


def pillar_types() -> QuerySet[PillarType]:
    return PillarType.objects.filter(is_active=True)


def banks() -> QuerySet[Bank]:
    return Bank.objects.filter(is_active=True)


def regencies(province: str = "35") -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.REGENCY, code__startswith=f"{province}.")


def districts(regency: str) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.DISTRICT, parent_id=regency)


def member_list(*, viewer: Any, filters: MemberFilters | None = None) -> QuerySet[Member]:
    """Members in the viewer's scope, narrowed by the filters (each has an index)."""
    filters = filters or MemberFilters()
    queryset = scope_members(Member.objects.all(), viewer)
    if filters.pillar_type:
        queryset = queryset.filter(pillar_type_id=filters.pillar_type)
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    elif filters.regency:
        queryset = queryset.filter(regency_id=filters.regency)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.account_ready is not None:
        queryset = queryset.filter(account_ready=filters.account_ready)
    search = filters.search.strip()
    if search.isdigit() and len(search) == 16:
        queryset = queryset.filter(nik=search)
    elif search:
        queryset = queryset.filter(name__icontains=search)
    return queryset


def member_page(*, viewer: Any, filters: MemberFilters, cursor: str | None, size: int = 50) -> Page:
    queryset = member_list(viewer=viewer, filters=filters).select_related(
        "pillar_type", "regency", "district", "bank"
    )
    return keyset_page(queryset, ordering=MEMBER_ORDERING, cursor=cursor, size=size)


def member_get(*, viewer: Any, pk: Any) -> Member:
    """One member in the viewer's scope (Http404 otherwise) with what the detail page shows."""
    return access_member(
        viewer,
        pk,
        Member.objects.select_related(
            "pillar_type", "regency", "district", "unit", "bank", "holder_confirmed_by", "employee"
        ),
    )


def member_trainings(member: Member) -> QuerySet[Training]:
    return member.trainings.all()


def member_entitlements(member: Member) -> QuerySet[Entitlement]:
    return member.entitlements.select_related("scheme", "batch").order_by("-year", "-quarter")


def training_get(*, viewer: Any, pk: Any) -> Training:
    training = Training.objects.select_related("member").get(pk=pk)
    access_member(viewer, training.member_id)
    return training


@dataclass
class RegencyRow:
    code: str
    name: str
    counts: dict[int, int] = field(default_factory=dict)
    total: int = 0
    districts: int = 0
    districts_without_tksk: int = 0


def regency_table(*, viewer: Any) -> tuple[list[PillarType], list[RegencyRow]]:
    """Per kab/kota: members not ended by type, and how many kecamatan have no TKSK."""
    types = list(pillar_types())
    rows = {r.code: RegencyRow(r.code, r.name) for r in regencies()}
    counts = (
        member_list(viewer=viewer)
        .exclude(status=MemberStatus.ENDED)
        .values("regency_id", "pillar_type_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for item in counts:
        row = rows.get(item["regency_id"])
        if row is not None:
            row.counts[item["pillar_type_id"]] = item["n"]
            row.total += item["n"]
    covered = _districts_with_tksk(viewer)
    for code, n in (
        Region.objects.filter(level=Region.Level.DISTRICT, parent_id__in=rows)
        .values_list("parent_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        rows[code].districts = n
    for code, row in rows.items():
        row.districts_without_tksk = row.districts - sum(
            1 for d in covered if d.startswith(f"{code}.")
        )
    return types, list(rows.values())


def _districts_with_tksk(viewer: Any) -> set[str]:
    return set(
        member_list(viewer=viewer)
        .filter(district_exclusive=True, status=MemberStatus.ACTIVE)
        .values_list("district_id", flat=True)
    )


def districts_without_tksk(*, viewer: Any, regency: str) -> list[Region]:
    covered = _districts_with_tksk(viewer)
    return [d for d in districts(regency) if d.code not in covered]


# --- Aid ---------------------------------------------------------------------------------------


def scheme_list() -> QuerySet[AidScheme]:
    return AidScheme.objects.all()


def scheme_get(pk: Any) -> AidScheme:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(AidScheme, pk=pk)


def scheme_rates(scheme: AidScheme) -> QuerySet[AidRate]:
    return scheme.rates.select_related("pillar_type", "created_by").order_by(
        "pillar_type__sort_order", "role", "-effective_from"
    )


def scheme_funding(scheme: AidScheme) -> QuerySet[SchemeFunding]:
    return scheme.funding.select_related("budget_line__sub_kegiatan", "budget_line__unit")


def cycle_list(*, viewer: Any) -> QuerySet[Cycle]:
    return scope_cycles(Cycle.objects.select_related("scheme", "unit"), viewer)


def cycle_page(*, viewer: Any, cursor: str | None, size: int = 50) -> Page:
    return keyset_page(
        cycle_list(viewer=viewer), ordering=("-year", "-quarter", "-id"), cursor=cursor, size=size
    )


def cycle_get(*, viewer: Any, pk: Any) -> Cycle:
    return access_cycle(
        viewer,
        pk,
        Cycle.objects.select_related("scheme", "unit", "created_by", "budget_line__sub_kegiatan"),
    )


def cycle_batches(cycle: Cycle) -> list[Batch]:
    return list(cycle.batches.select_related("created_by", "approved_by").order_by("number"))


def cycle_failed_count(cycle: Cycle) -> dict[str, int]:
    failed = Entitlement.objects.filter(cycle=cycle, status=EntitlementStatus.FAILED)
    return {
        "failed": failed.count(),
        "ready": failed.filter(member__account_ready=True).count(),
    }


def batch_get(*, viewer: Any, pk: Any) -> Batch:
    return access_batch(
        viewer,
        pk,
        Batch.objects.select_related(
            "cycle__scheme",
            "cycle__unit",
            "cycle__budget_line__sub_kegiatan",
            "created_by",
            "approved_by",
        ),
    )


@dataclass
class Totals:
    rows: list[dict[str, Any]]
    count: int
    amount: Decimal


def batch_totals(batch: Batch, group: str) -> Totals:
    """Count and amount of a batch's entitlements (not excluded) per pillar type or regency."""
    key = {"type": "pillar_type__name", "regency": "regency__name"}[group]
    order = {"type": "pillar_type__sort_order", "regency": "regency_id"}[group]
    rows = list(
        Entitlement.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .values(key, order)
        .annotate(count=Count("*"), amount=Sum("amount"))
        .order_by(order)
    )
    for row in rows:
        row["label"] = row.pop(key)
    return Totals(
        rows,
        sum(r["count"] for r in rows),
        sum((r["amount"] for r in rows), Decimal("0")),
    )


def batch_status_counts(batch: Batch) -> dict[str, int]:
    return dict(
        Entitlement.objects.filter(batch=batch)
        .values_list("status")
        .annotate(n=Count("*"))
        .order_by()
    )


def entitlement_list(
    *, viewer: Any, batch: Batch | None = None, **filters: Any
) -> QuerySet[Entitlement]:
    queryset = scope_entitlements(Entitlement.objects.all(), viewer)
    if batch is not None:
        queryset = queryset.filter(batch=batch)
    lookups = {k: v for k, v in filters.items() if v not in (None, "")}
    return queryset.filter(**lookups)


def entitlement_page(*, viewer: Any, batch: Batch, status: str, cursor: str | None) -> Page:
    queryset = entitlement_list(viewer=viewer, batch=batch, status=status or None).select_related(
        "member", "pillar_type", "regency", "bank"
    )
    return keyset_page(queryset, ordering=ENTITLEMENT_ORDERING, cursor=cursor, size=50)


def layouts() -> QuerySet[BankFileLayout]:
    return BankFileLayout.objects.select_related("bank")


def default_layout() -> BankFileLayout | None:
    return layouts().filter(is_default=True).first() or layouts().first()


def batch_results(batch: Batch) -> QuerySet[ResultImport]:
    return batch.results.select_related("uploaded_by", "realisation")


def nominative_rows(batch: Batch) -> QuerySet[Entitlement]:
    """The daftar nominatif: every entitlement to pay, by regency then name."""
    return (
        Entitlement.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .select_related("member", "pillar_type", "regency", "bank")
        .order_by("regency_id", "member__name", "id")
    )


def nominative_groups(batch: Batch) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for entitlement in nominative_rows(batch).iterator(chunk_size=2000):
        if not groups or groups[-1]["code"] != entitlement.regency_id:
            groups.append(
                {
                    "code": entitlement.regency_id,
                    "name": entitlement.regency.name,
                    "rows": [],
                    "total": Decimal("0"),
                }
            )
        groups[-1]["rows"].append(entitlement)
        groups[-1]["total"] += entitlement.amount
    return groups


def document_get(*, viewer: Any, pk: Any) -> NominativeDocument:
    from django.http import Http404

    document = NominativeDocument.objects.select_related("batch").filter(pk=pk).first()
    if document is None or document.requested_by_id != getattr(viewer, "pk", None):
        raise Http404
    return document


def members_without_account(*, viewer: Any) -> int:
    return (
        member_list(viewer=viewer).filter(status=MemberStatus.ACTIVE, account_ready=False).count()
    )

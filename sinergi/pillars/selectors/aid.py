"""Reads of the quarterly aid: schemes and rates, cycles, batches with their totals (read from the
batch summary, never summed over the entitlements per request), entitlements, result files and
the daftar nominatif."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from sinergi.core.pagination import Page, keyset_page
from sinergi.pillars.models import (
    AidRate,
    AidScheme,
    Batch,
    BatchSummary,
    Cycle,
    Entitlement,
    EntitlementFailure,
    EntitlementStatus,
    NominativeDocument,
    ResultImport,
    SchemeFunding,
)
from sinergi.pillars.permissions import (
    access_batch,
    access_cycle,
    scope_cycles,
    scope_entitlements,
)
from sinergi.pillars.selectors.reference import name_rows, reference_names

ENTITLEMENT_ORDERING = ("id",)
CYCLE_ORDERING = ("-year", "-quarter", "-id")
ZERO = Decimal("0")


def scheme_list() -> QuerySet[AidScheme]:
    return AidScheme.objects.all()


def scheme_get(pk: Any) -> AidScheme:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(AidScheme, pk=pk)


def scheme_by_code(code: str) -> AidScheme | None:
    return AidScheme.objects.filter(code=code).first()


def scheme_rates(scheme: AidScheme) -> QuerySet[AidRate]:
    return scheme.rates.select_related("pillar_type", "created_by").order_by(
        "pillar_type__sort_order", "role", "-effective_from"
    )


def scheme_funding(scheme: AidScheme) -> QuerySet[SchemeFunding]:
    return scheme.funding.select_related("budget_line__sub_kegiatan", "budget_line__unit")


def schemes_overview() -> list[dict[str, Any]]:
    """Every scheme with its rates and budget lines, in three queries whatever the count."""
    schemes = list(scheme_list())
    rates: dict[int, list[AidRate]] = {s.pk: [] for s in schemes}
    for rate in AidRate.objects.select_related("pillar_type").order_by(
        "pillar_type__sort_order", "role", "-effective_from"
    ):
        rates[rate.scheme_id].append(rate)
    funding: dict[int, list[SchemeFunding]] = {s.pk: [] for s in schemes}
    for item in SchemeFunding.objects.select_related("budget_line__sub_kegiatan").order_by("-year"):
        funding[item.scheme_id].append(item)
    return [{"scheme": s, "rates": rates[s.pk], "funding": funding[s.pk]} for s in schemes]


def cycle_list(*, viewer: Any) -> QuerySet[Cycle]:
    return scope_cycles(Cycle.objects.select_related("scheme", "unit"), viewer)


def cycle_page(*, viewer: Any, cursor: str | None, size: int = 50) -> Page:
    return keyset_page(cycle_list(viewer=viewer), ordering=CYCLE_ORDERING, cursor=cursor, size=size)


def cycle_get(*, viewer: Any, pk: Any) -> Cycle:
    return access_cycle(
        viewer,
        pk,
        Cycle.objects.select_related("scheme", "unit", "created_by", "budget_line__sub_kegiatan"),
    )


def cycle_batches(cycle: Cycle) -> list[Batch]:
    return list(cycle.batches.select_related("created_by", "approved_by").order_by("number"))


def cycle_failed_count(cycle: Cycle) -> dict[str, int]:
    """Failed transfers of the cycle, and how many of their members now have a ready account."""
    counts = (
        Entitlement.objects.filter(cycle=cycle, status=EntitlementStatus.FAILED)
        .values_list("member__account_ready")
        .annotate(n=Count("*"))
        .order_by()
    )
    by_ready = dict(counts)
    return {"failed": sum(by_ready.values()), "ready": by_ready.get(True, 0)}


def batch_get(*, viewer: Any, pk: Any) -> Batch:
    return access_batch(
        viewer,
        pk,
        Batch.objects.select_related("cycle__scheme", "created_by", "approved_by"),
    )


@dataclass
class Totals:
    rows: list[dict[str, Any]]
    count: int
    amount: Decimal


@dataclass
class BatchOverview:
    """What the batch page shows above its list, from the batch summary rows."""

    by_type: Totals
    by_regency: Totals
    status_counts: dict[str, int] = field(default_factory=dict)
    moved_on: int = 0  # failed transfers moved to a follow-up batch


def _totals(groups: dict[Any, list[Any]], labels: dict[Any, str]) -> Totals:
    rows = [
        {"key": key, "label": labels.get(key, str(key)), "count": value[0], "amount": value[1]}
        for key, value in groups.items()
    ]
    return Totals(rows, sum(r["count"] for r in rows), sum((r["amount"] for r in rows), ZERO))


def batch_overview(batch: Batch) -> BatchOverview:
    """Counts and amounts per pillar type and per regency (excluded entitlements left out) and
    per status, read from the batch's summary rows (at most types x regencies x statuses)."""
    names = reference_names()
    by_type: dict[int, list[Any]] = {}
    by_regency: dict[str, list[Any]] = {}
    statuses: dict[str, int] = {}
    rows = BatchSummary.objects.filter(batch=batch).values_list(
        "pillar_type_id", "regency_id", "status", "count", "amount"
    )
    for type_id, regency, status, count, amount in rows:
        statuses[status] = statuses.get(status, 0) + count
        if status == EntitlementStatus.EXCLUDED:
            continue
        for total in (
            by_type.setdefault(type_id, [0, ZERO]),
            by_regency.setdefault(regency, [0, ZERO]),
        ):
            total[0] += count
            total[1] += amount
    type_order = list(names.pillar_types)
    return BatchOverview(
        by_type=_totals(
            dict(sorted(by_type.items(), key=lambda kv: type_order.index(kv[0]))),
            names.pillar_types,
        ),
        by_regency=_totals(dict(sorted(by_regency.items())), names.regions),
        status_counts=statuses,
        moved_on=EntitlementFailure.objects.filter(batch=batch).count(),
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
    """50 entitlements of the batch by id, with the member's name (one join) and the names of the
    type, regency and bank from the reference cache."""
    queryset = (
        Entitlement.objects.filter(batch=batch, status=status)
        if status
        else Entitlement.objects.filter(batch=batch)
    )
    queryset = queryset.select_related("member").only(
        "id",
        "attempt",
        "member_id",
        "member__name",
        "pillar_type_id",
        "role",
        "regency_id",
        "bank_id",
        "account_number",
        "amount",
        "status",
        "failure_reason",
    )
    page = keyset_page(queryset, ordering=ENTITLEMENT_ORDERING, cursor=cursor, size=50)
    name_rows(page.items)
    statuses = {key: str(label) for key, label in EntitlementStatus.choices}
    for entitlement in page.items:
        entitlement.status_name = statuses.get(entitlement.status, entitlement.status)
    return page


def entitlement_for_change(*, viewer: Any, pk: Any) -> Entitlement:
    """An entitlement of a cycle in the viewer's scope (Http404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(entitlement_list(viewer=viewer), pk=pk)


def batch_results(batch: Batch) -> QuerySet[ResultImport]:
    return batch.results.select_related("uploaded_by", "realisation")


def batch_payable_count(batch: Batch) -> int:
    """Entitlements of the batch that are not excluded (what the daftar nominatif lists)."""
    total = (
        BatchSummary.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .aggregate(n=Sum("count"))["n"]
    )
    return int(total or 0)


def nominative_rows(batch: Batch) -> QuerySet[Entitlement]:
    """The daftar nominatif: every entitlement of the batch not excluded, by regency then name."""
    return (
        Entitlement.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .select_related("member")
        .only(
            "id",
            "amount",
            "account_number",
            "account_holder",
            "bank_id",
            "regency_id",
            "pillar_type_id",
            "role",
            "member__name",
            "member__nik",
            "member__district_id",
        )
        .order_by("regency_id", "member__name", "id")
    )


def nominative_groups(batch: Batch) -> list[dict[str, Any]]:
    """The rows of the daftar nominatif grouped per regency, with the group's total."""
    names = reference_names()
    groups: list[dict[str, Any]] = []
    entitlement: Any
    for entitlement in nominative_rows(batch).iterator(chunk_size=2000):
        if not groups or groups[-1]["code"] != entitlement.regency_id:
            groups.append(
                {
                    "code": entitlement.regency_id,
                    "name": names.region(entitlement.regency_id),
                    "rows": [],
                    "total": ZERO,
                }
            )
        name_rows([entitlement], names)
        entitlement.district_name = names.region(entitlement.member.district_id)
        groups[-1]["rows"].append(entitlement)
        groups[-1]["total"] += entitlement.amount
    return groups


def nominative_context(batch: Batch) -> dict[str, Any]:
    """Everything the daftar nominatif PDF shows: the groups per regency, the grand total, the
    people counted, and the day it is printed (above the signature blocks)."""
    from django.utils import timezone

    groups = nominative_groups(batch)
    return {
        "batch": batch,
        "cycle": batch.cycle,
        "groups": groups,
        "total": sum((g["total"] for g in groups), ZERO),
        "count": sum(len(g["rows"]) for g in groups),
        "printed_on": timezone.localdate(),
    }


def document_get(*, viewer: Any, pk: Any) -> NominativeDocument:
    """A daftar nominatif written in the background: only its requester may open it."""
    from django.http import Http404

    document = NominativeDocument.objects.select_related("batch").filter(pk=pk).first()
    if document is None or document.requested_by_id != getattr(viewer, "pk", None):
        raise Http404
    return document

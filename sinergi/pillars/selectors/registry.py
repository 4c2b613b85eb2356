"""Reads of the registry: members (scoped to the viewer), their trainings and aid, the table per
kab/kota with the TKSK coverage, and the employee record a Jatim Social Care member links to."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from sinergi.core.pagination import Page
from sinergi.organisation.models import Region
from sinergi.pillars.models import Entitlement, Member, MemberStatus, PillarType, Training
from sinergi.pillars.permissions import access_member, scope_members
from sinergi.pillars.selectors.reference import (
    districts,
    name_rows,
    pillar_types,
    reference_names,
    regencies,
)
from sinergi.staff import selectors as staff_selectors

MEMBER_ORDERING = ("name", "id")
# The columns a list row shows: one table, no join (names come from selectors.reference).
LIST_FIELDS = (
    "id",
    "name",
    "pillar_type_id",
    "role",
    "regency_id",
    "district_id",
    "status",
    "bank_id",
    "account_ready",
    "active_from",
    "active_until",
    "unit_id",
)


@dataclass(frozen=True)
class MemberFilters:
    pillar_type: int | None = None
    regency: str = ""
    district: str = ""
    status: str = ""
    account_ready: bool | None = None
    search: str = ""  # a name part or a full NIK; never comes from the URL


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
    """One page of members by name. The cursor names a row by its id only, so no member's name
    reaches an address or a log line; the rows carry the names of their type, bank and area."""
    queryset = member_list(viewer=viewer, filters=filters).only(*LIST_FIELDS)
    page = staff_selectors.id_keyset_page(
        queryset, ordering=MEMBER_ORDERING, cursor=cursor, size=size
    )
    name_rows(page.items)
    statuses = {key: str(label) for key, label in MemberStatus.choices}
    for member in page.items:
        member.status_name = statuses.get(member.status, member.status)
    return page


def member_get(*, viewer: Any, pk: Any) -> Member:
    """One member in the viewer's scope (Http404 otherwise) with what the detail page shows."""
    return access_member(
        viewer,
        pk,
        Member.objects.select_related(
            "pillar_type",
            "regency",
            "district",
            "unit",
            "bank",
            "holder_confirmed_by",
            "employee__unit",
        ),
    )


def member_trainings(member: Member) -> QuerySet[Training]:
    return member.trainings.all()


def member_entitlements(member: Member) -> QuerySet[Entitlement]:
    return member.entitlements.select_related("scheme").order_by("-year", "-quarter")


def training_get(*, viewer: Any, pk: Any) -> Training:
    """A training record of a member in the viewer's scope (Http404 otherwise)."""
    from django.http import Http404

    training = Training.objects.select_related("member").filter(pk=pk).first()
    if training is None:
        raise Http404
    access_member(viewer, training.member_id)
    return training


def members_without_account(*, viewer: Any) -> int:
    return (
        member_list(viewer=viewer).filter(status=MemberStatus.ACTIVE, account_ready=False).count()
    )


# --- The table per kab/kota ---------------------------------------------------------------------


@dataclass
class RegencyRow:
    code: str
    name: str
    counts: list[int] = field(default_factory=list)  # per type, in the order of `types`
    total: int = 0
    districts: int = 0
    districts_without_tksk: int = 0


def regency_table(*, viewer: Any) -> tuple[list[PillarType], list[RegencyRow], list[int]]:
    """Per kab/kota: members not ended by type, and how many kecamatan have no active TKSK.
    Returns the types, the rows and the column totals (in the order of the types)."""
    types = list(pillar_types())
    position = {t.pk: index for index, t in enumerate(types)}
    names = reference_names()
    rows = {code: RegencyRow(code, name, [0] * len(types)) for code, name in names.regency_choices}
    counts = (
        member_list(viewer=viewer)
        .exclude(status=MemberStatus.ENDED)
        .values_list("regency_id", "pillar_type_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for regency, type_id, n in counts:
        row = rows.get(regency)
        if row is not None and type_id in position:
            row.counts[position[type_id]] = n
            row.total += n
    for code in names.regions:
        row = rows.get(code[:5])
        if row is not None and len(code) > 5:
            row.districts += 1
    for district in _districts_with_tksk(viewer):
        row = rows.get(district[:5])
        if row is not None:
            row.districts_without_tksk -= 1
    for row in rows.values():
        row.districts_without_tksk += row.districts
    totals = [sum(r.counts[i] for r in rows.values()) for i in range(len(types))]
    return types, list(rows.values()), totals


def _districts_with_tksk(viewer: Any) -> set[str]:
    return set(
        member_list(viewer=viewer)
        .filter(district_exclusive=True, status=MemberStatus.ACTIVE)
        .values_list("district_id", flat=True)
    )


def districts_without_tksk(*, viewer: Any, regency: str) -> list[Region]:
    covered = _districts_with_tksk(viewer)
    return [d for d in districts(regency) if d.code not in covered]


def regency_get(code: str) -> Region | None:
    return regencies().filter(code=code).first()

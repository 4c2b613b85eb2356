"""Reads of staff records: the scoped search list (keyset) and one employee."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import scope_queryset
from sinergi.core.errors import ApplicationError
from sinergi.core.pagination import Page, encode_cursor, keyset_page
from sinergi.organisation.models import Unit
from sinergi.staff.models import Employee, Rank
from sinergi.staff.permissions import access_employee, scope_employees

EMPLOYEE_ORDERING = ("name", "id")
LIST_FIELDS = (
    "name",
    "nip",
    "employment_type",
    "position",
    "rank__name",
    "rank__grade",
    "unit__name",
    "unit__short_name",
)


@dataclass(frozen=True)
class EmployeeFilters:
    name: str = ""
    nip: str = ""
    unit: int | None = None
    employment_type: str = ""
    status: str = "active"  # "active", "inactive" or "all"

    @property
    def any(self) -> bool:
        return bool(
            self.name or self.nip or self.unit or self.employment_type or self.status != "active"
        )


def ranks() -> QuerySet[Rank]:
    return Rank.objects.all()


def employee_units(*, viewer: Any) -> QuerySet[Unit]:
    """Units for the list filter: the viewer's unit scope."""
    return scope_queryset(Unit.objects.filter(is_active=True), viewer, unit_path_field="path")


def employee_search(*, viewer: Any, filters: EmployeeFilters) -> QuerySet[Employee]:
    """Employees the viewer may see matching the filters (NIP exact, name contains, unit subtree)."""
    qs = scope_employees(Employee.objects.all(), viewer)
    if filters.nip:
        qs = qs.filter(nip=filters.nip)
    if filters.name:
        qs = qs.filter(name__icontains=filters.name)
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).only("path").first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if filters.employment_type:
        qs = qs.filter(employment_type=filters.employment_type)
    today = timezone.localdate()
    active = Q(active_from__lte=today) & (Q(active_until__isnull=True) | Q(active_until__gte=today))
    if filters.status == "active":
        qs = qs.filter(active)
    elif filters.status == "inactive":
        qs = qs.exclude(active)
    return qs


def id_keyset_page(
    queryset: QuerySet[Any],
    *,
    ordering: Sequence[str],
    cursor: str | None,
    size: int = 50,
    key_queryset: QuerySet[Any] | None = None,
) -> Page:
    """`keyset_page` whose cursors name a row by its id only ("123": the page after it, "-123":
    the page before it), so a page link or a logged address holds no name. The row's sort key is
    read from `key_queryset` (default `queryset`, so only rows the viewer may see); an unknown or
    foreign id is refused like any out-of-date cursor."""
    keyed = None
    if cursor:
        backwards = cursor.startswith("-")
        try:
            pk = int(cursor.removeprefix("-"))
        except ValueError:
            pk = None
        fields = [f.lstrip("-") for f in ordering]
        key = (
            (key_queryset if key_queryset is not None else queryset)
            .filter(pk=pk)
            .values_list(*fields)
            .first()
            if pk is not None
            else None
        )
        if key is None:
            raise ApplicationError(
                _(
                    "The page link is invalid or out of date. Open the first page of the list again."
                ),
                code="invalid_cursor",
            )
        keyed = encode_cursor(list(key), backwards=backwards)
    page = keyset_page(queryset, ordering=ordering, cursor=keyed, size=size)
    return Page(
        page.items,
        str(page.items[-1].pk) if page.items and page.has_next else None,
        f"-{page.items[0].pk}" if page.items and page.has_previous else None,
        page.has_next,
        page.has_previous,
    )


def employee_page(
    *, viewer: Any, filters: EmployeeFilters, cursor: str | None, size: int = 50
) -> Page:
    """One keyset page of `employee_search` in name order, with unit and rank: only the columns
    the list shows (building 150 full model rows a page cost more than the query)."""
    qs = (
        employee_search(viewer=viewer, filters=filters)
        .select_related("unit", "rank")
        .only(*LIST_FIELDS)
    )
    return id_keyset_page(qs, ordering=EMPLOYEE_ORDERING, cursor=cursor, size=size)


def employee_get(*, viewer: Any, pk: Any) -> Employee:
    """One employee of the viewer's scope (Http404 otherwise), with unit, rank, supervisor, user."""
    return access_employee(
        viewer,
        pk,
        Employee.objects.select_related("unit", "rank", "supervisor", "user"),
    )

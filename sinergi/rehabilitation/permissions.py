"""Who sees and changes which clients and cases.

Staff see the clients that have a case in their unit's subtree (office-wide roles see all); a social
worker changes only the cases assigned to them unless they hold `change_any_case` (head of UPT);
approving a stage needs `approve_case`. Missing and out-of-scope records both answer 404.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from sinergi.accounts.permissions import (
    access_object,
    scope_queryset,
    sees_everything,
    unit_in_scope,
)
from sinergi.rehabilitation.models import Case, Client


def scope_cases(queryset: QuerySet[Case], viewer: Any) -> QuerySet[Case]:
    """The cases of `queryset` whose UPT lies in the viewer's scope."""
    return scope_queryset(queryset, viewer, unit_path_field="unit__path")


def scope_clients(queryset: QuerySet[Client], viewer: Any) -> QuerySet[Client]:
    """The clients of `queryset` with at least one case in the viewer's scope."""
    if sees_everything(viewer):
        return queryset
    cases = scope_cases(Case.objects.filter(client=OuterRef("pk")), viewer)
    return queryset.filter(Exists(cases))


def access_client(viewer: Any, pk: Any, queryset: QuerySet[Client] | None = None) -> Client:
    """The client `pk` if the viewer may see it, else Http404."""
    base = queryset if queryset is not None else Client.objects.all()
    try:
        return scope_clients(base, viewer).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def access_case(viewer: Any, pk: Any, queryset: QuerySet[Case] | None = None) -> Case:
    """The case `pk` if its UPT lies in the viewer's scope, else Http404."""
    base = queryset if queryset is not None else Case.objects.all()
    try:
        return access_object(base, viewer, unit_path_field="unit__path", pk=pk)
    except ValidationError as exc:  # not a UUID
        raise Http404 from exc


def can_open_case_in(viewer: Any, unit: Any) -> bool:
    """Whether the viewer may register a client into `unit` (a UPT of their scope)."""
    return bool(
        viewer.has_perm("rehabilitation.add_case")
        and unit is not None
        and unit.unit_type.is_service_unit
        and unit_in_scope(viewer, unit)
    )


def can_change_case(viewer: Any, case: Case) -> bool:
    """Assigned social worker, or a holder of `change_any_case` in scope; open cases only."""
    if not case.is_open or not viewer.has_perm("rehabilitation.change_case"):
        return False
    if not unit_in_scope(viewer, case.unit):
        return False
    return bool(
        viewer.has_perm("rehabilitation.change_any_case") or case.social_worker_id == viewer.pk
    )


def client_open_case(client: Client) -> Case | None:
    """The client's open case (at most one: a person stays in one UPT at a time), with its UPT."""
    return (
        Case.objects.filter(client=client, status=Case.Status.OPEN).select_related("unit").first()
    )


def can_change_client(viewer: Any, client: Client, open_case: Case | None) -> bool:
    """Whoever may change the client's open case may correct the client's record (`open_case`:
    `client_open_case(client)`); a client without an open case is read-only."""
    return bool(
        open_case is not None
        and viewer.has_perm("rehabilitation.change_client")
        and can_change_case(viewer, open_case)
    )


def can_approve_case(viewer: Any, case: Case) -> bool:
    return bool(
        case.is_open
        and viewer.has_perm("rehabilitation.approve_case")
        and unit_in_scope(viewer, case.unit)
    )

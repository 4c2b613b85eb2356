"""Reads of transfers, scoped to the viewer. The scope rule, explicit:

- A transfer is visible to the sending UPT (`from_unit` in the viewer's scope) and to the receiving
  UPT (`to_unit` in the viewer's scope); office-wide roles see all.
- The sending case keeps its UPT, so the sender reads its history as before, also after the
  transfer was accepted; the sender never sees the receiving UPT's new case (`new_case_for`).
- The receiver reads the sending case's history (stage events and assessments) only through the
  transfer page, while the transfer is pending (to decide) or once accepted (to continue the
  work); a declined or withdrawn transfer gives it no access (`can_read_history`).
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from sinergi.accounts.permissions import sees_everything, unit_in_scope, viewer_unit_path
from sinergi.core.pagination import Page, keyset_page
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.models import Assessment, Case, CaseEvent, Transfer
from sinergi.rehabilitation.permissions import access_case

TRANSFER_ORDERING = ("-requested_on", "-id")


def scope_transfers(queryset: QuerySet[Transfer], viewer: Any) -> QuerySet[Transfer]:
    """Transfers sent from or sent to a UPT of the viewer's scope."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return queryset.none()
    if sees_everything(viewer):
        return queryset
    path = viewer_unit_path(viewer)
    if not path:
        return queryset.none()
    return queryset.filter(Q(from_unit__path__startswith=path) | Q(to_unit__path__startswith=path))


def transfer_list(
    *, viewer: Any, direction: str = "", status: str = "", case: Any = None
) -> QuerySet[Transfer]:
    """Transfers of the viewer's scope; `direction` "in" (to the viewer's UPT) or "out"."""
    qs = scope_transfers(Transfer.objects.all(), viewer)
    path = viewer_unit_path(viewer) or ""
    if direction == "in" and not sees_everything(viewer):
        qs = qs.filter(to_unit__path__startswith=path)
    elif direction == "out" and not sees_everything(viewer):
        qs = qs.filter(from_unit__path__startswith=path)
    if status:
        qs = qs.filter(status=status)
    if case is not None:
        qs = qs.filter(case=case)
    return qs.select_related(
        "case", "case__client", "from_unit", "to_unit", "requested_by", "decided_by"
    )


def transfer_page(
    *, viewer: Any, direction: str = "", status: str = "", cursor: str | None, size: int = 25
) -> Page:
    qs = transfer_list(viewer=viewer, direction=direction, status=status)
    return keyset_page(qs, ordering=TRANSFER_ORDERING, cursor=cursor, size=size)


def transfer_get(*, viewer: Any, pk: Any) -> Transfer:
    """One transfer of the viewer's scope, or Http404 (missing and forbidden alike)."""
    qs = Transfer.objects.select_related(
        "case",
        "case__client",
        "case__client__ppks_category",
        "case__stage",
        "case__unit",
        "from_unit",
        "to_unit",
        "requested_by",
        "decided_by",
        "new_case",
    )
    try:
        return scope_transfers(qs, viewer).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def is_sender(viewer: Any, transfer: Transfer) -> bool:
    return unit_in_scope(viewer, transfer.from_unit)


def is_receiver(viewer: Any, transfer: Transfer) -> bool:
    return transfer.to_unit is not None and unit_in_scope(viewer, transfer.to_unit)


def can_read_history(viewer: Any, transfer: Transfer) -> bool:
    """The scope rule of the sending case's history (see the module docstring)."""
    if is_sender(viewer, transfer):
        return True
    return is_receiver(viewer, transfer) and transfer.status in (
        Transfer.Status.PENDING,
        Transfer.Status.ACCEPTED,
    )


def can_acknowledge(viewer: Any, transfer: Transfer) -> bool:
    return bool(
        transfer.status == Transfer.Status.PENDING
        and viewer.has_perm("rehabilitation.acknowledge_transfer")
        and is_receiver(viewer, transfer)
    )


def can_cancel(viewer: Any, transfer: Transfer) -> bool:
    return bool(
        transfer.status == Transfer.Status.PENDING
        and viewer.has_perm("rehabilitation.add_transfer")
        and is_sender(viewer, transfer)
    )


def new_case_for(viewer: Any, transfer: Transfer) -> Case | None:
    """The receiving UPT's case, only for viewers whose scope holds it (never the sender)."""
    if transfer.new_case_id is None:
        return None
    try:
        return access_case(viewer, transfer.new_case_id)
    except Http404:
        return None


def source_history(*, viewer: Any, transfer: Transfer) -> tuple[list[CaseEvent], list[Assessment]]:
    """The sending case's stage events and assessments, for viewers allowed by
    `can_read_history` (empty otherwise). Two queries."""
    if not can_read_history(viewer, transfer):
        return [], []
    events = list(
        CaseEvent.objects.filter(case_id=transfer.case_id)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("-at", "-id")
    )
    assessments = list(
        Assessment.objects.filter(case_id=transfer.case_id)
        .select_related("instrument")
        .order_by("-assessed_on", "-id")
    )
    return events, assessments


def receiving_units(*, case: Case) -> QuerySet[Unit]:
    """Active UPT a case can be transferred to (every UPT but its own)."""
    return (
        Unit.objects.filter(unit_type__is_service_unit=True, is_active=True)
        .exclude(pk=case.unit_id)
        .order_by("name")
    )


def pending_incoming_count(*, viewer: Any) -> int:
    """Pending transfers into the viewer's UPT (for the occupancy page badge)."""
    if sees_everything(viewer):
        return 0
    path = viewer_unit_path(viewer)
    if not path:
        return 0
    return Transfer.objects.filter(
        status=Transfer.Status.PENDING, to_unit__path__startswith=path
    ).count()


def timeline_rows(*, case_ids: list[Any]) -> list[tuple[Any, str, str, str, Any]]:
    """(at, kind, title, detail, case id) of the transfers of the given (already scoped) cases,
    sent and received, for the client timeline (one query)."""
    rows: list[tuple[Any, str, str, str, Any]] = []
    transfers = Transfer.objects.filter(
        Q(case_id__in=case_ids) | Q(new_case_id__in=case_ids)
    ).select_related("from_unit", "to_unit")
    ids = set(case_ids)
    label = str(Transfer._meta.verbose_name).capitalize()
    for t in transfers:
        status = t.get_status_display()
        if t.case_id in ids:
            rows.append(
                (
                    t.created_at,
                    "transfer_sent",
                    f"{label} → {t.destination_label} ({status})",
                    t.reason,
                    t.case_id,
                )
            )
        if t.new_case_id in ids and t.decided_at is not None:
            rows.append(
                (
                    t.decided_at,
                    "transfer_received",
                    f"{label} ← {t.from_unit.name}",
                    t.reason,
                    t.new_case_id,
                )
            )
    return rows

"""Transfers of a case to another UPT (the receiving UPT accepts or declines) and referrals to an
institution outside the office (the case is closed at once with the institution as destination).

On acceptance the sending case is closed (termination reason "dirujuk", destination the receiving
UPT, its bed freed) and a NEW case opens in the receiving UPT at the same stage, linked through
`Transfer.new_case`; see models/transfers.py for why.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.notifications.services import notify
from sinergi.rehabilitation.models import (
    AuditAction,
    Bed,
    Case,
    CaseEvent,
    TerminationReason,
    Transfer,
    TransferAuditAction,
    WaitingListEntry,
)
from sinergi.rehabilitation.permissions import can_approve_case, can_change_case
from sinergi.rehabilitation.services.common import full_clean_or_error
from sinergi.rehabilitation.services.residential import (
    residence_end_for_transfer,
    resident_admit,
)

REFERRED_REASON_CODE = "dirujuk"  # TerminationReason row "Dirujuk ke lembaga lain" (reference data)


def _open_case(case: Case) -> Case:
    """The case row locked, or an error when it is closed or already terminated."""
    current = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "stage", "client")
        .get(pk=case.pk)
    )
    if not current.is_open or current.termination_on is not None:
        raise ApplicationError(
            _("Only an open case that is not terminated can be transferred."),
            code="case_not_open",
        )
    return current


def _referred_reason() -> TerminationReason:
    reason = TerminationReason.objects.filter(code=REFERRED_REASON_CODE).first()
    if reason is None:
        raise ApplicationError(
            _(
                'The termination reason "referred" is not set up. Ask the administrator to load '
                "the reference data."
            )
        )
    return reason


def _close_as_referred(*, actor: Any, case: Case, on: dt.date, destination: str) -> Case:
    """Close a locked case as referred (reason, date, destination), free its bed and take it off
    the waiting list. The caller audits."""
    now = timezone.now()
    residence_end_for_transfer(actor=actor, case=case, ended_on=on)
    WaitingListEntry.objects.filter(case=case, status=WaitingListEntry.Status.WAITING).update(
        status=WaitingListEntry.Status.CANCELLED,
        cancel_reason=_("Transferred: %(destination)s") % {"destination": destination},
        closed_at=now,
        updated_at=now,
    )
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED,
        closed_at=now,
        termination_reason=_referred_reason(),
        termination_on=on,
        destination_address=destination[:255],
        version=F("version") + 1,
        updated_at=now,
    )
    case.refresh_from_db()
    return case


def _receivers(unit: Any) -> list[Any]:
    """Active users of `unit` who may acknowledge a transfer (the head of UPT)."""
    return list(
        get_user_model()
        .objects.filter(
            unit=unit,
            is_active=True,
            roles__permissions__codename="acknowledge_transfer",
            roles__permissions__content_type__app_label="rehabilitation",
        )
        .distinct()
        .order_by("pk")
    )


def _check_reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write the reason for the transfer."),
            field_errors={field: [_("Write the reason.")]},
        )
    return reason


def _check_day(day: dt.date, case: Case, field: str) -> None:
    if day > timezone.localdate() or day < case.admitted_on:
        raise ApplicationError(
            _("The date must lie between the admission date and today. Check the date."),
            field_errors={field: [_("Enter a date between admission and today.")]},
        )


@transaction.atomic
def transfer_request(
    *, actor: Any, case: Case, to_unit: Any, reason: str, requested_on: dt.date | None = None
) -> Transfer:
    """Ask another UPT to take over the case; its head of UPT is notified and must accept or
    decline. One pending transfer per case."""
    case = _open_case(case)
    if actor is not None and not (
        actor.has_perm("rehabilitation.add_transfer") and can_change_case(actor, case)
    ):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can transfer it."),
            code="not_assigned",
        )
    if to_unit is None or not to_unit.unit_type.is_service_unit or not to_unit.is_active:
        raise ApplicationError(
            _("Choose the active UPT that should take over the case."),
            field_errors={"to_unit": [_("Choose a UPT.")]},
        )
    if to_unit.pk == case.unit_id:
        raise ApplicationError(
            _("The case is already in %(unit)s. Choose another UPT.") % {"unit": to_unit.name},
            field_errors={"to_unit": [_("Choose another UPT.")]},
        )
    if Transfer.objects.filter(case=case, status=Transfer.Status.PENDING).exists():
        raise ApplicationError(
            _("A transfer of this case is already waiting for an answer."),
            code="transfer_pending",
        )
    reason = _check_reason(reason)
    requested_on = requested_on or timezone.localdate()
    _check_day(requested_on, case, "requested_on")
    transfer = Transfer(
        case=case,
        from_unit=case.unit,
        kind=Transfer.Kind.UPT,
        to_unit=to_unit,
        reason=reason,
        requested_on=requested_on,
        requested_by=actor,
    )
    full_clean_or_error(transfer, validate_constraints=False)
    transfer.save(force_insert=True)
    audit.record(
        actor=actor,
        action=TransferAuditAction.TRANSFER_REQUESTED,
        target=case,
        changes={"to_unit": [None, to_unit.pk]},
        extra={"transfer": transfer.pk},
    )
    url = reverse("rehabilitation:transfer_detail", args=[transfer.pk])
    for receiver in _receivers(to_unit):
        notify(
            recipient=receiver,
            title=_("Transfer request from %(unit)s") % {"unit": case.unit.name},
            body=_("A client is proposed for transfer into your UPT. Accept or decline it."),
            url=url,
            dedupe_key=f"rehabilitation.transfer:{transfer.pk}",
        )
    return transfer


@transaction.atomic
def transfer_refer_outside(
    *,
    actor: Any,
    case: Case,
    institution_name: str,
    institution_address: str,
    reason: str,
    referred_on: dt.date,
) -> Transfer:
    """Refer the case to an institution outside the office: the case is closed at once with the
    institution as destination (the head of UPT decides, as for a termination)."""
    case = _open_case(case)
    if actor is not None and not (
        actor.has_perm("rehabilitation.add_transfer") and can_approve_case(actor, case)
    ):
        raise ApplicationError(
            _("A referral outside the office closes the case: only the head of UPT can make it."),
            code="not_approver",
        )
    name = institution_name.strip()
    if not name:
        raise ApplicationError(
            _("Enter the name of the institution the client is referred to."),
            field_errors={"institution_name": [_("Enter the institution.")]},
        )
    reason = _check_reason(reason)
    _check_day(referred_on, case, "referred_on")
    if Transfer.objects.filter(case=case, status=Transfer.Status.PENDING).exists():
        raise ApplicationError(
            _("A transfer of this case is already waiting for an answer."),
            code="transfer_pending",
        )
    transfer = Transfer(
        case=case,
        from_unit=case.unit,
        kind=Transfer.Kind.INSTITUTION,
        institution_name=name,
        institution_address=institution_address.strip(),
        reason=reason,
        requested_on=referred_on,
        requested_by=actor,
        status=Transfer.Status.COMPLETED,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    full_clean_or_error(transfer, validate_constraints=False)
    transfer.save(force_insert=True)
    version = case.version
    case = _close_as_referred(
        actor=actor, case=case, on=referred_on, destination=transfer.destination_label
    )
    audit.record(
        actor=actor,
        action=TransferAuditAction.REFERRED_OUTSIDE,
        target=case,
        changes={
            "status": [Case.Status.OPEN, Case.Status.CLOSED],
            "termination_reason": [None, REFERRED_REASON_CODE],
            "version": [version, case.version],
        },
        extra={"transfer": transfer.pk},
    )
    return transfer


def _locked_pending(transfer: Transfer, actor: Any) -> Transfer:
    current = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("to_unit", "from_unit", "case")
        .get(pk=transfer.pk)
    )
    if actor is not None and not (
        actor.has_perm("rehabilitation.acknowledge_transfer")
        and current.to_unit is not None
        and unit_in_scope(actor, current.to_unit)
    ):
        raise ApplicationError(
            _("Only the head of the receiving UPT can answer this transfer."),
            code="not_receiver",
        )
    if current.status != Transfer.Status.PENDING:
        raise ApplicationError(
            _("This transfer has already been answered. Reload the page to see the answer."),
            code="not_pending",
        )
    return current


def _notify_sender(transfer: Transfer, title: str) -> None:
    if transfer.requested_by_id and transfer.requested_by and transfer.requested_by.is_active:
        notify(
            recipient=transfer.requested_by,
            title=title,
            url=reverse("rehabilitation:transfer_detail", args=[transfer.pk]),
            dedupe_key=f"rehabilitation.transfer_answer:{transfer.pk}",
        )


@transaction.atomic
def transfer_accept(
    *,
    actor: Any,
    transfer: Transfer,
    accepted_on: dt.date | None = None,
    social_worker: Any = None,
    bed: Bed | None = None,
    note: str = "",
) -> Transfer:
    """The receiving UPT accepts: the sending case closes as referred and a new case opens in the
    receiving UPT at the same stage (optionally admitted into `bed` at once; a full UPT refuses
    the whole acceptance)."""
    transfer = _locked_pending(transfer, actor)
    to_unit = transfer.to_unit
    assert to_unit is not None
    old = (
        Case.objects.select_for_update(of=("self",))
        .select_related("stage", "unit")
        .get(pk=transfer.case_id)
    )
    if not old.is_open or old.termination_on is not None:
        raise ApplicationError(
            _("The sending UPT has closed this case meanwhile. Decline the transfer."),
            code="case_not_open",
        )
    accepted_on = accepted_on or timezone.localdate()
    _check_day(accepted_on, old, "accepted_on")
    if social_worker is not None and social_worker.unit_id != to_unit.pk:
        raise ApplicationError(
            _("The social worker must work in the receiving UPT. Choose one from the list."),
            field_errors={"social_worker": [_("Choose a social worker of this UPT.")]},
        )
    version = old.version
    old = _close_as_referred(actor=actor, case=old, on=accepted_on, destination=to_unit.name)
    now = timezone.now()
    new_case = Case(
        client_id=old.client_id,
        unit=to_unit,
        social_worker=social_worker,
        stage=old.stage,
        admitted_on=accepted_on,
        stage_entered_at=now,
    )
    full_clean_or_error(new_case, validate_constraints=False)
    new_case.save(force_insert=True)
    CaseEvent.objects.create(
        case=new_case,
        kind=CaseEvent.Kind.OPENED,
        to_stage=old.stage,
        notes=" ".join(
            p
            for p in [_("Transferred from %(unit)s.") % {"unit": old.unit.name}, note.strip()]
            if p
        ),
        actor=actor,
        at=now,
    )
    Transfer.objects.filter(pk=transfer.pk).update(
        status=Transfer.Status.ACCEPTED,
        decided_by=actor,
        decided_at=now,
        new_case=new_case,
        updated_at=now,
    )
    transfer.refresh_from_db()
    audit.record(
        actor=actor,
        action=TransferAuditAction.TRANSFER_ACCEPTED,
        target=old,
        changes={
            "status": [Case.Status.OPEN, Case.Status.CLOSED],
            "termination_reason": [None, REFERRED_REASON_CODE],
            "version": [version, old.version],
        },
        extra={"transfer": transfer.pk, "new_case": str(new_case.pk)},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CASE_OPENED,
        target=new_case,
        changes={
            "client": [None, str(old.client_id)],
            "unit": [None, to_unit.pk],
            "stage": [None, old.stage.code],
            "social_worker": [None, social_worker.pk if social_worker else None],
        },
        extra={"transfer": transfer.pk, "from_case": str(old.pk)},
    )
    if bed is not None:
        resident_admit(actor=actor, case=new_case, bed=bed, admitted_on=accepted_on)
    _notify_sender(transfer, _("Transfer accepted by %(unit)s") % {"unit": to_unit.name})
    return transfer


@transaction.atomic
def transfer_decline(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """The receiving UPT declines with a reason; the case stays where it is."""
    transfer = _locked_pending(transfer, actor)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write why the transfer is declined, so the sending UPT knows what to do."),
            field_errors={"decline_reason": [_("Write the reason.")]},
        )
    now = timezone.now()
    Transfer.objects.filter(pk=transfer.pk).update(
        status=Transfer.Status.DECLINED,
        decline_reason=reason,
        decided_by=actor,
        decided_at=now,
        updated_at=now,
    )
    transfer.refresh_from_db()
    audit.record(
        actor=actor,
        action=TransferAuditAction.TRANSFER_DECLINED,
        target=transfer.case,
        changes={"status": [Transfer.Status.PENDING, Transfer.Status.DECLINED]},
        extra={"transfer": transfer.pk, "reason": reason},
    )
    assert transfer.to_unit is not None
    _notify_sender(transfer, _("Transfer declined by %(unit)s") % {"unit": transfer.to_unit.name})
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer) -> Transfer:
    """The sending UPT withdraws a transfer that has not been answered yet."""
    current = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_unit", "case")
        .get(pk=transfer.pk)
    )
    if actor is not None and not (
        actor.has_perm("rehabilitation.add_transfer") and unit_in_scope(actor, current.from_unit)
    ):
        raise ApplicationError(
            _("Only the sending UPT can withdraw this transfer."), code="not_sender"
        )
    if current.status != Transfer.Status.PENDING:
        raise ApplicationError(
            _("This transfer has already been answered. Reload the page to see the answer."),
            code="not_pending",
        )
    now = timezone.now()
    Transfer.objects.filter(pk=current.pk).update(
        status=Transfer.Status.CANCELLED, decided_by=actor, decided_at=now, updated_at=now
    )
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action=TransferAuditAction.TRANSFER_CANCELLED,
        target=current.case,
        changes={"status": [Transfer.Status.PENDING, Transfer.Status.CANCELLED]},
        extra={"transfer": current.pk},
    )
    return current

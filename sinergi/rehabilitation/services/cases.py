"""Stage changes of a case: advance (or skip with a reason) and approval by the head of UPT.

Every change carries the version of the case the user saw: a save over a newer version is refused
(optimistic locking), so two people editing the same case never overwrite each other silently.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.organisation.models import Region
from sinergi.rehabilitation.models import AuditAction, Case, CaseEvent, Stage, TerminationReason
from sinergi.rehabilitation.permissions import can_approve_case, can_change_case


class StaleCase(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this case after you opened it. Reload the page to see "
                "the latest version, then make your change again."
            ),
            code="stale",
        )


def _locked(case: Case, expected_version: int) -> Case:
    """The case row locked for this transaction, or StaleCase when its version moved on."""
    current = (
        Case.objects.select_for_update(of=("self",))
        .select_related("stage", "unit", "client")
        .get(pk=case.pk)
    )
    if current.version != expected_version:
        raise StaleCase()
    if not current.is_open:
        raise ApplicationError(
            _("This case is closed; it can no longer change stage."), code="closed"
        )
    return current


def _bump(case: Case, **values: Any) -> Case:
    Case.objects.filter(pk=case.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    case.refresh_from_db()
    return case


@transaction.atomic
def case_advance(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    to_stage: Stage | None = None,
    reason: str = "",
    notes: str = "",
    termination_reason: TerminationReason | None = None,
    termination_on: dt.date | None = None,
    destination_address: str = "",
    destination_region: Region | None = None,
) -> Case:
    """Move the case to `to_stage` (default: the next stage). Jumping over stages needs a
    `reason`; leaving a stage that needs approval needs the approval; entering the termination
    stage needs a `termination_reason`, a `termination_on` date and a `destination_address`;
    entering the aftercare stage schedules the follow-ups after the termination date."""
    case = _locked(case, expected_version)
    if actor is not None and not can_change_case(actor, case):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can change it."),
            code="not_assigned",
        )
    current = case.stage
    following = Stage.objects.after(current)
    target = to_stage or following
    if target is None:
        raise ApplicationError(
            _("The case is already at the last stage. There is no next stage to move to."),
            code="last_stage",
        )
    if target.number <= current.number:
        raise ApplicationError(
            _('A case moves forward only: choose a stage after "%(stage)s".')
            % {"stage": current.name},
            field_errors={"to_stage": [_("Choose a later stage.")]},
        )
    skipped = following is not None and target.number > following.number
    reason = reason.strip()
    if skipped and not reason:
        raise ApplicationError(
            _(
                'Moving from "%(current)s" to "%(target)s" skips a stage. Write the reason '
                'for skipping, or move to the next stage "%(next)s" instead.'
            )
            % {
                "current": current.name,
                "target": target.name,
                "next": following.name if following else "",
            },
            code="skip_without_reason",
            field_errors={"reason": [_("Write why the stage is skipped.")]},
        )
    if current.requires_approval and case.stage_approved_at is None:
        raise ApplicationError(
            _(
                'The stage "%(stage)s" must be approved by the head of UPT before the case '
                "moves on. Ask the head of UPT to approve it."
            )
            % {"stage": current.name},
            code="approval_required",
        )
    values: dict[str, Any] = {}
    if target.records_termination:
        destination_address = destination_address.strip()
        missing: dict[str, list[str]] = {}
        if termination_reason is None:
            missing["termination_reason"] = [_("Choose the termination reason.")]
        if termination_on is None:
            missing["termination_on"] = [_("Enter the termination date.")]
        if not destination_address:
            missing["destination_address"] = [_("Enter where the client goes.")]
        if missing:
            raise ApplicationError(
                _(
                    "Enter the termination reason, date and destination before moving the case "
                    'to "%(stage)s".'
                )
                % {"stage": target.name},
                code="termination_reason_required",
                field_errors=missing,
            )
        assert termination_on is not None
        if termination_on > timezone.localdate() or termination_on < case.admitted_on:
            raise ApplicationError(
                _(
                    "The termination date must lie between the admission date and today. "
                    "Check the date."
                ),
                code="termination_on_invalid",
                field_errors={"termination_on": [_("Enter a date between admission and today.")]},
            )
        values["termination_reason"] = termination_reason
        values["termination_on"] = termination_on
        values["destination_address"] = destination_address
        values["destination_region"] = destination_region
    if target.schedules_aftercare and not (case.termination_on or values.get("termination_on")):
        raise ApplicationError(
            _(
                "The aftercare follow-ups are scheduled from the termination date, which is "
                "missing. Move the case through the termination stage first."
            ),
            code="termination_on_required",
        )
    now = timezone.now()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.SKIPPED if skipped else CaseEvent.Kind.ADVANCED,
        from_stage=current,
        to_stage=target,
        reason=reason,
        notes=notes.strip(),
        actor=actor,
        at=now,
    )
    case = _bump(
        case,
        stage=target,
        stage_entered_at=now,
        stage_approved_at=None,
        stage_approved_by=None,
        **values,
    )
    changes: dict[str, Any] = {
        "stage": [current.code, target.code],
        "version": [expected_version, case.version],
    }
    if "termination_reason" in values:
        changes["termination_reason"] = [
            None,
            termination_reason.code if termination_reason else None,
        ]
        changes["termination_on"] = [None, values["termination_on"].isoformat()]
    if target.schedules_aftercare:
        from sinergi.rehabilitation.services.aftercare import follow_ups_schedule

        changes["follow_ups"] = [
            None,
            [f.due_on.isoformat() for f in follow_ups_schedule(case=case)],
        ]
    audit.record(
        actor=actor,
        action=AuditAction.CASE_STAGE_CHANGED,
        target=case,
        changes=changes,
        extra={"skipped": skipped, "reason": reason} if skipped else None,
    )
    return case


@transaction.atomic
def case_approve_stage(*, actor: Any, case: Case, expected_version: int, notes: str = "") -> Case:
    """The head of UPT approves the current stage (the plan, or the termination)."""
    case = _locked(case, expected_version)
    if actor is not None and not can_approve_case(actor, case):
        raise ApplicationError(
            _("Only the head of this UPT can approve a stage."), code="not_approver"
        )
    if not case.stage.requires_approval:
        raise ApplicationError(
            _('The stage "%(stage)s" needs no approval.') % {"stage": case.stage.name},
            code="no_approval_needed",
        )
    if case.stage_approved_at is not None:
        raise ApplicationError(
            _("This stage is already approved. Reload the page to see the latest state."),
            code="already_approved",
        )
    now = timezone.now()
    if case.stage.records_plan:  # approving the plan stage approves the plan (casework)
        from sinergi.rehabilitation.services.casework import plan_approve_with_stage

        plan_approve_with_stage(actor=actor, case=case, now=now)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.APPROVED,
        from_stage=case.stage,
        to_stage=case.stage,
        notes=notes.strip(),
        actor=actor,
        at=now,
    )
    case = _bump(case, stage_approved_at=now, stage_approved_by=actor)
    audit.record(
        actor=actor,
        action=AuditAction.CASE_STAGE_APPROVED,
        target=case,
        changes={
            "stage_approved_at": [None, now.isoformat()],
            "version": [expected_version, case.version],
        },
        extra={"stage": case.stage.code},
    )
    return case

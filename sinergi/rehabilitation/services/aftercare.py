"""Aftercare (stage 7): the follow-up schedule, recording a follow-up, the daily reminder job and
closing the case after the last follow-up."""

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.notifications.services import notify
from sinergi.rehabilitation.models import AftercareInterval, AuditAction, Case, FollowUp
from sinergi.rehabilitation.permissions import can_change_case
from sinergi.rehabilitation.services.cases import _bump, _locked
from sinergi.rehabilitation.services.common import case_closed_error, full_clean_or_error
from sinergi.rehabilitation.services.residential import residence_end_for_closure


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups_schedule(*, case: Case) -> list[FollowUp]:
    """Create the follow-ups of `case` at the active aftercare intervals after its termination
    date (called inside `case_advance` when the case enters the aftercare stage)."""
    if case.termination_on is None:
        raise ApplicationError(
            _("The termination date is missing. Record the termination before the aftercare."),
            code="termination_on_required",
        )
    intervals = AftercareInterval.objects.filter(is_active=True).order_by("months", "number")
    start = FollowUp.objects.filter(case=case).count()
    follow_ups = [
        FollowUp(
            case=case,
            number=start + index,
            months=interval.months,
            due_on=add_months(case.termination_on, interval.months),
        )
        for index, interval in enumerate(intervals, start=1)
    ]
    return FollowUp.objects.bulk_create(follow_ups)


@transaction.atomic
def follow_up_record(
    *,
    actor: Any,
    follow_up: FollowUp,
    done_on: dt.date,
    method: str,
    condition: str,
    problems: str = "",
    action: str = "",
    outcome: str,
) -> FollowUp:
    """Record what a follow-up found (again: replace the record) while the case is open. The
    assigned social worker or the head of UPT records it."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit", "case__termination_reason")
        .get(pk=follow_up.pk)
    )
    case = follow_up.case
    if not case.is_open:  # the record of a closed case is final (checked under the row lock)
        raise case_closed_error()
    if actor is not None and not can_change_case(actor, case):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can change it."),
            code="not_assigned",
        )
    if done_on > timezone.localdate():
        raise ApplicationError(
            _("The follow-up date is in the future. Record a follow-up after it has been done."),
            field_errors={"done_on": [_("Enter today or an earlier date.")]},
        )
    if case.termination_on and done_on < case.termination_on:
        raise ApplicationError(
            _("The follow-up date is before the termination date. Check the date."),
            field_errors={"done_on": [_("Enter a date on or after the termination date.")]},
        )
    before = audit.snapshot(follow_up, ["done_on", "method", "condition", "outcome"])
    follow_up.done_on = done_on
    follow_up.method = method
    follow_up.condition = condition.strip()
    follow_up.problems = problems.strip()
    follow_up.action = action.strip()
    follow_up.outcome = outcome.strip()
    follow_up.recorded_by = actor
    follow_up.recorded_at = timezone.now()
    missing = {
        name: [_("This field is required.")]
        for name in ("method", "condition", "outcome")
        if not getattr(follow_up, name)
    }
    if missing:
        raise ApplicationError(
            _("Fill in the method, the condition of the client and the outcome, then save again."),
            field_errors=missing,
        )
    full_clean_or_error(follow_up)
    follow_up.save()
    audit.record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_RECORDED,
        target=case,
        changes=audit.changes_between(
            before, audit.snapshot(follow_up, ["done_on", "method", "condition", "outcome"])
        ),
        extra={"follow_up": follow_up.number},
    )
    return follow_up


@transaction.atomic
def case_close(*, actor: Any, case: Case, expected_version: int) -> Case:
    """Close a case in aftercare once every follow-up has been recorded. A bed the client still
    holds is freed in the same transaction (audited), and a waiting-list entry is taken off."""
    case = _locked(case, expected_version)
    if actor is not None and not can_change_case(actor, case):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can change it."),
            code="not_assigned",
        )
    if not case.stage.schedules_aftercare:
        raise ApplicationError(
            _(
                "A case is closed at the end of the aftercare. Move it to the aftercare stage first."
            ),
            code="not_in_aftercare",
        )
    pending = FollowUp.objects.filter(case=case, done_on__isnull=True).count()
    if pending:
        raise ApplicationError(
            _(
                "%(count)s follow-up(s) are not recorded yet. Record every follow-up, then close "
                "the case."
            )
            % {"count": pending},
            code="follow_ups_pending",
        )
    now = timezone.now()
    # The client left the UPT at the termination: a bed still held is freed now, dated then.
    today = timezone.localdate()
    residence_end_for_closure(
        actor=actor, case=case, ended_on=min(case.termination_on or today, today)
    )
    case = _bump(case, status=Case.Status.CLOSED, closed_at=now)
    audit.record(
        actor=actor,
        action=AuditAction.CASE_CLOSED,
        target=case,
        changes={
            "status": [Case.Status.OPEN, Case.Status.CLOSED],
            "version": [expected_version, case.version],
        },
    )
    return case


def follow_ups_notify_due(today: dt.date | None = None) -> int:
    """Daily job: tell the assigned social worker about each follow-up due today or overdue, once
    per follow-up (safe to run twice). Returns how many notifications were new."""
    today = today or timezone.localdate()
    started = timezone.now()
    due = (
        FollowUp.objects.filter(
            done_on__isnull=True,
            due_on__lte=today,
            case__status=Case.Status.OPEN,
            case__social_worker__isnull=False,
            case__social_worker__is_active=True,
        )
        .select_related("case", "case__social_worker")
        .order_by("due_on", "id")
    )
    created = 0
    for follow_up in due.iterator(chunk_size=500):
        key = f"rehabilitation.follow_up:{follow_up.pk}"
        notification = notify(
            recipient=follow_up.case.social_worker,
            title=_("Aftercare follow-up due: %(months)s months after termination")
            % {"months": follow_up.months},
            body=_("The follow-up was due on %(date)s. Record it on the case page.")
            % {"date": follow_up.due_on.isoformat()},
            url=reverse("rehabilitation:case_detail", args=[follow_up.case_id]),
            dedupe_key=key,
        )
        created += int(notification.created_at >= started)
    return created

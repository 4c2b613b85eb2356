"""Writes of the coordination meetings: meetings (with one report expected of every unit), reports
(draft, submitted with the late flag), follow-up actions, and compiling every report into one PDF
(in the request for a few units, as a background job for many). Every change is audited."""

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import render_pdf
from sinergi.meetings.documents import compile_rows, summary_rows
from sinergi.meetings.models import (
    AuditAction,
    Compilation,
    FollowUp,
    FollowUpUpdate,
    Meeting,
    Report,
)
from sinergi.meetings.permissions import can_manage, can_update_follow_up, can_write_report
from sinergi.organisation.models import Unit

logger = logging.getLogger(__name__)


def _refuse(message: str, *, field: str | None = None, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def _clean(instance: Any) -> None:
    """full_clean, with the field errors turned into one message a clerk can act on."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            _("Some fields are missing or not valid. Correct them and save again."),
            field_errors=exc.message_dict,
        ) from exc


def _require_manager(actor: Any) -> None:
    if not can_manage(actor):
        raise _refuse(_("Only the planning officer may do this."), code="forbidden")


def expected_units() -> list[Unit]:
    """Every active unit below the office (Sekretariat, Bidang, UPT) reports to the meeting."""
    return list(Unit.objects.filter(is_active=True, parent__isnull=False).order_by("path"))


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    title: str,
    year: int,
    quarter: int | None,
    month: int | None,
    held_on: dt.date,
    place: str,
    deadline_on: dt.date,
    units: list[Unit] | None = None,
) -> Meeting:
    """A meeting for a quarter or a month of `year`; a report is expected of every unit."""
    _require_manager(actor)
    if bool(quarter) == bool(month):
        raise _refuse(_("Choose either a quarter or a month as the period."), field="quarter")
    if deadline_on > held_on:
        raise _refuse(
            _("The reports must be due on or before the meeting date."), field="deadline_on"
        )
    meeting = Meeting(
        title=title.strip(),
        year=year,
        quarter=quarter or None,
        month=month or None,
        held_on=held_on,
        place=place.strip(),
        deadline_on=deadline_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean(meeting)
    meeting.save()
    expected = units if units is not None else expected_units()
    Report.objects.bulk_create([Report(meeting=meeting, unit=unit) for unit in expected])
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_CREATED,
        target=meeting,
        changes={
            "title": [None, meeting.title],
            "year": [None, year],
            "quarter": [None, quarter],
            "month": [None, month],
            "deadline_on": [None, deadline_on],
        },
        extra={"units": len(expected)},
    )
    return meeting


REPORT_FIELDS = ["status", "progress", "problems", "follow_up_needed"]


@transaction.atomic
def report_save(
    *,
    actor: Any,
    report: Report,
    progress: str,
    problems: str,
    follow_up_needed: str,
    achievements: list[dict[str, Any]],
    absorption: dict[str, Any],
    submit: bool = False,
) -> Report:
    """Save the unit's narrative with the figures it was prefilled with; `submit` sends it in
    (then it can no longer change)."""
    report = Report.objects.select_for_update().select_related("meeting", "unit").get(pk=report.pk)
    if report.status == Report.Status.SUBMITTED:
        raise _refuse(
            _("The report has already been submitted and can no longer change."), code="locked"
        )
    if not can_write_report(actor, report):
        raise _refuse(_("Only the unit itself may write its report."), code="forbidden")
    if submit:
        missing = {
            "progress": progress.strip(),
            "problems": problems.strip(),
        }
        empty = [name for name, value in missing.items() if not value]
        if empty:
            raise ApplicationError(
                _("Fill in the progress of activities and the problems before submitting."),
                field_errors={name: [_("This field is required to submit.")] for name in empty},
            )
    before = audit.snapshot(report, REPORT_FIELDS)
    report.progress = progress.strip()
    report.problems = problems.strip()
    report.follow_up_needed = follow_up_needed.strip()
    report.achievements = achievements
    report.absorption = absorption
    report.snapshot_at = timezone.now()
    if submit:
        report.status = Report.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        report.status = Report.Status.DRAFT
    report.save()
    audit.record(
        actor=actor,
        action=AuditAction.REPORT_SUBMITTED if submit else AuditAction.REPORT_SAVED,
        target=report,
        changes=audit.changes_between(before, audit.snapshot(report, REPORT_FIELDS)),
        extra={"late": report.is_late} if submit else None,
    )
    return report


@transaction.atomic
def report_reopen(*, actor: Any, report: Report, reason: str) -> Report:
    """Send a submitted report back to its unit as a draft (planning officer, with a reason)."""
    _require_manager(actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.SUBMITTED:
        raise _refuse(_("Only a submitted report can be reopened."))
    if not reason.strip():
        raise _refuse(_("Give the reason for reopening the report."), field="reason")
    report.status = Report.Status.DRAFT
    report.submitted_at = None
    report.submitted_by = None
    report.save()
    audit.record(
        actor=actor,
        action=AuditAction.REPORT_REOPENED,
        target=report,
        changes={"status": [Report.Status.SUBMITTED, Report.Status.DRAFT]},
        extra={"reason": reason.strip()},
    )
    return report


@transaction.atomic
def follow_up_create(
    *,
    actor: Any,
    meeting: Meeting,
    owner_unit: Unit,
    description: str,
    due_on: dt.date,
    report: Report | None = None,
) -> FollowUp:
    """An action agreed at the meeting, owned by a unit, due by a date."""
    _require_manager(actor)
    if not description.strip():
        raise _refuse(_("Describe the action."), field="description")
    if due_on < meeting.held_on:
        raise _refuse(
            _("The due date lies before the meeting. Choose a later date."), field="due_on"
        )
    if report is not None and report.meeting_id != meeting.pk:
        raise _refuse(_("The report belongs to another meeting."))
    follow_up = FollowUp(
        meeting=meeting,
        report=report,
        owner_unit=owner_unit,
        description=description.strip(),
        due_on=due_on,
    )
    _clean(follow_up)
    follow_up.save()
    audit.record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_CREATED,
        target=follow_up,
        changes={
            "owner_unit": [None, owner_unit.pk],
            "description": [None, follow_up.description],
            "due_on": [None, due_on],
        },
    )
    return follow_up


@transaction.atomic
def follow_up_update(*, actor: Any, follow_up: FollowUp, status: str, note: str) -> FollowUp:
    """Set the action's status with a progress note (kept in its history and audited)."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("owner_unit").get(pk=follow_up.pk)
    )
    if not can_update_follow_up(actor, follow_up):
        raise _refuse(
            _("Only the responsible unit or the planning officer may update this action."),
            code="forbidden",
        )
    if status not in FollowUp.Status.values:
        raise _refuse(_("Choose a status from the list."), field="status")
    if status == FollowUp.Status.DONE and not note.strip():
        raise _refuse(_("Describe what was done before marking the action as done."), field="note")
    before = audit.snapshot(follow_up, ["status", "note"])
    follow_up.status = status
    follow_up.note = note.strip()
    follow_up.save()
    changes = audit.changes_between(before, audit.snapshot(follow_up, ["status", "note"]))
    if changes:
        FollowUpUpdate.objects.create(
            follow_up=follow_up,
            status=follow_up.status,
            note=follow_up.note,
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor, action=AuditAction.FOLLOW_UP_UPDATED, target=follow_up, changes=changes
        )
    return follow_up


# --- Compiling ----------------------------------------------------------------------------------


def sync_limit() -> int:
    """Meetings with more reports than this are compiled by the background worker."""
    limit: Any = settings.SINERGI.get("MEETING_COMPILE_SYNC_MAX_UNITS", 10)
    return int(limit)


def compilation_request(*, actor: Any, meeting: Meeting) -> Compilation:
    """Compile now when the meeting has few reports, else queue the background job after commit.

    A compilation of the meeting still being written is returned instead of a second one (a double
    click starts one job); a stalled one is marked failed and replaced."""
    _require_manager(actor)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        running = (
            meeting.compilations.filter(
                status__in=[Compilation.Status.QUEUED, Compilation.Status.RUNNING]
            )
            .order_by("-created_at")
            .first()
        )
        if running is not None and not running.is_stalled:
            return running
        if running is not None:
            running.status = Compilation.Status.FAILED
            running.message = _("The compilation stopped without finishing. It was started again.")
            running.finished_at = timezone.now()
            running.save(update_fields=["status", "message", "finished_at", "updated_at"])
        units = Report.objects.filter(meeting=meeting).count()
        compilation = Compilation.objects.create(
            meeting=meeting, requested_by=actor, unit_count=units
        )
        audit.record(
            actor=actor,
            action=AuditAction.COMPILED,
            target=meeting,
            extra={"compilation": str(compilation.pk), "units": units},
        )
        if units > sync_limit():
            # tasks sit above services in the app's layers: the job is found by its dotted path
            job = import_string("sinergi.meetings.tasks.compile_meeting")
            transaction.on_commit(partial(job.enqueue, str(compilation.pk)))
            return compilation
    return compilation_run(compilation_id=compilation.pk)


def compiled_pdf(meeting: Meeting, reports: list[Report], summary: list[dict[str, Any]]) -> bytes:
    return render_pdf(
        template="meetings/compiled_pdf.html",
        context={
            "title": _("Compiled reports: %(title)s") % {"title": meeting.title},
            "meeting": meeting,
            "reports": reports,
            "summary": summary,
        },
    )


def _advance(compilation: Compilation, step: str, progress: int) -> None:
    """Record the step reached (committed at once when run by the worker, so the page polling the
    compilation sees it move)."""
    compilation.step = step
    compilation.progress = progress
    Compilation.objects.filter(pk=compilation.pk).update(
        step=step, progress=progress, updated_at=timezone.now()
    )


def compilation_run(*, compilation_id: Any) -> Compilation:
    """Write the PDF of every report of the meeting (safe to run again: a finished one is kept)."""
    with transaction.atomic():
        compilation = Compilation.objects.select_for_update().get(pk=compilation_id)
        if compilation.status in {Compilation.Status.DONE, Compilation.Status.FAILED}:
            return compilation
        compilation.status = Compilation.Status.RUNNING
        compilation.started_at = timezone.now()
        compilation.save(update_fields=["status", "started_at", "updated_at"])
    try:
        _advance(compilation, Compilation.Step.READING, 5)
        reports = compile_rows(compilation.meeting)
        summary = summary_rows(reports)
        _advance(compilation, Compilation.Step.LAYING_OUT, 15)
        content = compiled_pdf(compilation.meeting, reports, summary)
        _advance(compilation, Compilation.Step.SAVING, 95)
        compilation.file.save(f"{compilation.pk}.pdf", ContentFile(content), save=False)
    except Exception as exc:  # recorded on the compilation for the user to see
        logger.exception("meeting compilation %s failed", compilation_id)
        compilation.status = Compilation.Status.FAILED
        compilation.message = _("The PDF could not be written (%(error)s). Compile again.") % {
            "error": type(exc).__name__
        }
        compilation.finished_at = timezone.now()
        compilation.save()
        return compilation
    compilation.status = Compilation.Status.DONE
    compilation.step = Compilation.Step.FINISHED
    compilation.progress = 100
    compilation.unit_count = len(reports)
    compilation.finished_at = timezone.now()
    compilation.save()
    return compilation

"""Writes of the monthly realisation: an RHK's realisation with its evidence, the month's
submission (on time or late against the due day setting), and HR closing or reopening a month."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.uploads import UploadRule, check_uploaded_file
from sinergi.staff.models import (
    AuditAction,
    MonthClosure,
    MonthlyRealisation,
    MonthlySubmission,
    Rhk,
    Skp,
)
from sinergi.staff.models.periods import due_on, month_bounds, month_label
from sinergi.staff.permissions import can_report_month
from sinergi.staff.services.summaries import compliance_refresh

# Evidence files: the types offered (their real content is checked, not just the name).
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


def evidence_max_bytes() -> int:
    value: Any = settings.SINERGI.get("SKP_EVIDENCE_MAX_MB", 5)
    return int(value) * 1024 * 1024


def is_closed(year: int, month: int) -> bool:
    return MonthClosure.objects.filter(year=year, month=month).exists()


def _check_month(skp: Skp, month: int, *, today: dt.date) -> None:
    """The rules for reporting `month` of `skp`: within the SKP period, begun, not closed."""
    if not 1 <= month <= 12:
        raise ApplicationError(_("Choose a month from 1 to 12."), code="invalid_month")
    start, end = month_bounds(skp.year, month)
    if end < skp.period_start or start > skp.period_end:
        raise ApplicationError(
            _(
                "%(month)s lies outside the period of this SKP (%(start)s to %(end)s). Report "
                "only the months of the SKP period."
            )
            % {
                "month": month_label(skp.year, month),
                "start": skp.period_start.strftime("%d-%m-%Y"),
                "end": skp.period_end.strftime("%d-%m-%Y"),
            },
            code="outside_period",
        )
    if start > today:
        raise ApplicationError(
            _("%(month)s has not begun yet. Report a month once its work has been done.")
            % {"month": month_label(skp.year, month)},
            code="future_month",
        )
    if is_closed(skp.year, month):
        raise ApplicationError(
            _(
                "%(month)s has been closed by HR, so no realisation is accepted for it any more. "
                "Ask HR if the month must be reopened."
            )
            % {"month": month_label(skp.year, month)},
            code="month_closed",
        )


def _require_reporter(actor: Any, skp: Skp) -> None:
    if not can_report_month(actor, skp):
        raise ApplicationError(
            _("Only the employee can report the months of their own SKP."), code="forbidden"
        )
    if skp.status != Skp.Status.APPROVED:
        raise ApplicationError(
            _(
                "The SKP must be approved by your supervisor before you report a month. Submit "
                "it and ask your supervisor to approve it."
            ),
            code="skp_not_approved",
        )


def _submission(skp: Skp, month: int, *, lock: bool) -> MonthlySubmission:
    """The month's submission row, created as a draft when missing (safe under concurrency)."""
    qs = MonthlySubmission.objects.filter(employee_id=skp.employee_id, year=skp.year, month=month)
    if lock:
        qs = qs.select_for_update()
    found = qs.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            MonthlySubmission.objects.create(
                employee_id=skp.employee_id,
                skp=skp,
                year=skp.year,
                month=month,
                due_on=due_on(skp.year, month),
            )
    except IntegrityError:
        pass  # created by a parallel request: use that one
    return qs.get()


def evidence_rule() -> UploadRule:
    """The evidence files accepted: the types above, up to SINERGI["SKP_EVIDENCE_MAX_MB"]."""
    return UploadRule(
        extensions=EVIDENCE_EXTENSIONS, max_bytes=evidence_max_bytes(), field="evidence_file"
    )


def _check_file(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file, else ApplicationError."""
    checked = check_uploaded_file(evidence_rule(), upload)
    return checked.extension, checked.content_type


REALISATION_FIELDS = [
    "realisation",
    "evidence_text",
    "evidence_link",
    "evidence_file_name",
    "evidence_file_size",
]


@transaction.atomic
def realisation_save(
    *,
    actor: Any,
    skp: Skp,
    month: int,
    rhk: Rhk,
    realisation: str,
    evidence_text: str = "",
    evidence_link: str = "",
    evidence_file: UploadedFile | None = None,
    today: dt.date | None = None,
) -> MonthlyRealisation:
    """Save what was achieved on one RHK in the month with its evidence (the month stays a draft
    until submitted). Refused outside the SKP period, for a closed month, or once submitted."""
    today = today or timezone.localdate()
    skp = Skp.objects.select_for_update().select_related("employee").get(pk=skp.pk)
    _require_reporter(actor, skp)
    _check_month(skp, month, today=today)
    if rhk.skp_id != skp.pk:
        raise ApplicationError(_("That RHK belongs to another SKP."), code="forbidden")
    realisation = realisation.strip()
    if not realisation:
        raise ApplicationError(
            _("Write what you achieved on this RHK in the month."),
            code="realisation_required",
            field_errors={"realisation": [_("Required.")]},
        )
    evidence_link = evidence_link.strip()
    if evidence_link:
        try:
            URLValidator(schemes=["http", "https"])(evidence_link)
        except ValidationError as exc:
            raise ApplicationError(
                _("The evidence link must be a full address starting with https://."),
                code="evidence_link",
                field_errors={"evidence_link": [_("Not a web address.")]},
            ) from exc
    file_info = _check_file(evidence_file) if evidence_file is not None else None
    submission = _submission(skp, month, lock=True)
    if submission.status == MonthlySubmission.Status.SUBMITTED:
        raise ApplicationError(
            _("%(month)s has already been submitted; it can no longer be changed.")
            % {"month": month_label(skp.year, month)},
            code="already_submitted",
        )
    row = MonthlyRealisation.objects.filter(submission=submission, rhk=rhk).first()
    before = audit.snapshot(row, REALISATION_FIELDS) if row is not None else {}
    if row is None:
        row = MonthlyRealisation(submission=submission, rhk=rhk)
    row.realisation = realisation
    row.evidence_text = evidence_text.strip()
    row.evidence_link = evidence_link
    if evidence_file is not None and file_info is not None:
        if row.evidence_file:
            row.evidence_file.delete(save=False)
        row.evidence_file.save(evidence_file.name or "bukti", evidence_file, save=False)
        row.evidence_file_name = (evidence_file.name or "")[:255]
        row.evidence_file_type = file_info[1]
        row.evidence_file_size = evidence_file.size
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_SAVED,
        target=submission,
        changes=audit.changes_between(before, audit.snapshot(row, REALISATION_FIELDS)),
        extra={"rhk": rhk.pk, "month": month},
    )
    return row


@transaction.atomic
def month_submit(
    *, actor: Any, skp: Skp, month: int, now: dt.datetime | None = None
) -> MonthlySubmission:
    """Submit the month: every RHK needs its realisation. Records when, and whether it was on
    time (on or before the due day of the following month, local date)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    skp = Skp.objects.select_for_update().select_related("employee").get(pk=skp.pk)
    _require_reporter(actor, skp)
    _check_month(skp, month, today=today)
    submission = _submission(skp, month, lock=True)
    if submission.status == MonthlySubmission.Status.SUBMITTED:
        raise ApplicationError(
            _("%(month)s has already been submitted.") % {"month": month_label(skp.year, month)},
            code="already_submitted",
        )
    missing = list(
        skp.rhks.exclude(realisations__submission=submission).values_list("number", flat=True)
    )
    if missing:
        raise ApplicationError(
            _("Write the realisation of every RHK before submitting. Still missing: RHK %(list)s.")
            % {"list": ", ".join(str(n) for n in missing)},
            code="rhk_missing",
        )
    submission.status = MonthlySubmission.Status.SUBMITTED
    submission.submitted_at = now
    submission.due_on = due_on(skp.year, month)
    submission.on_time = today <= submission.due_on
    submission.skp = skp
    submission.save(
        update_fields=["status", "submitted_at", "due_on", "on_time", "skp", "updated_at"]
    )
    compliance_refresh(years=[skp.year], months=[month], unit_ids=[skp.employee.unit_id])
    audit.record(
        actor=actor,
        action=AuditAction.MONTH_SUBMITTED,
        target=submission,
        changes={"status": [MonthlySubmission.Status.DRAFT, submission.status]},
        extra={"on_time": submission.on_time, "due_on": submission.due_on.isoformat()},
    )
    return submission


@transaction.atomic
def month_close(*, actor: Any, year: int, month: int, today: dt.date | None = None) -> MonthClosure:
    """HR closes a month after its due day: no more realisation for it; audited with the counts."""
    today = today or timezone.localdate()
    if not actor.has_perm("staff.close_month"):
        raise ApplicationError(_("Only HR can close a month."), code="forbidden")
    if not 1 <= month <= 12:
        raise ApplicationError(_("Choose a month from 1 to 12."), code="invalid_month")
    due = due_on(year, month)
    if today <= due:
        raise ApplicationError(
            _(
                "%(month)s can be closed only after its due date (%(due)s), so that everyone "
                "can still report on time."
            )
            % {"month": month_label(year, month), "due": due.strftime("%d-%m-%Y")},
            code="too_early",
        )
    if is_closed(year, month):
        raise ApplicationError(
            _("%(month)s is already closed.") % {"month": month_label(year, month)},
            code="already_closed",
        )
    closure = MonthClosure.objects.create(year=year, month=month, closed_by=actor)
    counts = MonthlySubmission.objects.filter(year=year, month=month)
    audit.record(
        actor=actor,
        action=AuditAction.MONTH_CLOSED,
        target=closure,
        extra={
            "year": year,
            "month": month,
            "submitted": counts.filter(status=MonthlySubmission.Status.SUBMITTED).count(),
            "drafts": counts.filter(status=MonthlySubmission.Status.DRAFT).count(),
        },
    )
    return closure


@transaction.atomic
def month_reopen(*, actor: Any, year: int, month: int) -> None:
    """HR reopens a closed month (late reports are accepted again); audited."""
    if not actor.has_perm("staff.close_month"):
        raise ApplicationError(_("Only HR can reopen a month."), code="forbidden")
    closure = MonthClosure.objects.select_for_update().filter(year=year, month=month).first()
    if closure is None:
        raise ApplicationError(
            _("%(month)s is not closed.") % {"month": month_label(year, month)},
            code="not_closed",
        )
    audit.record(
        actor=actor,
        action=AuditAction.MONTH_REOPENED,
        target=closure,
        extra={"year": year, "month": month, "closed_at": closure.closed_at.isoformat()},
    )
    closure.delete()

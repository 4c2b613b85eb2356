"""Writes of realisation: entry by the unit (with evidence), verification by the planning staff
(which locks the entry), an audited unlock with a reason, locked reporting periods, and the
automatic fill of indicators computed from Sinergi's own records (core.metrics)."""

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.core.uploads import MB, UploadRule, check_uploaded_file
from sinergi.organisation.models import Unit
from sinergi.performance.models import (
    AuditAction,
    Indicator,
    PeriodLock,
    Polarity,
    QuarterMode,
    Realisation,
)
from sinergi.performance.permissions import can_enter_realisation, can_verify
from sinergi.performance.services.plan import _clean, _decimal, check_year
from sinergi.performance.services.spm import spm_fill
from sinergi.performance.services.summary import summaries_changed


def _changed(realisation: Realisation) -> None:
    summaries_changed(years=[realisation.year], unit_ids=[realisation.indicator.unit_id])


# Evidence of a realisation; the real content is checked, not just the name.
EVIDENCE_RULE = UploadRule(
    extensions=("pdf", "jpg", "jpeg", "png", "xlsx", "docx"),
    max_bytes=5 * MB,
    field="evidence_file",
)
REALISATION_FIELDS = ["value", "evidence_text", "evidence_file", "evidence_link", "automatic"]


def check_evidence_file(upload: UploadedFile) -> str:
    """The extension of an acceptable evidence file; ApplicationError saying what is allowed."""
    return check_uploaded_file(EVIDENCE_RULE, upload).extension


def quarter_bounds(year: int, quarter: int, mode: str) -> tuple[dt.date, dt.date]:
    """The dates a quarter's figure covers: from 1 January (cumulative) or the quarter's start."""
    last_month = quarter * 3
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    start = (
        dt.date(year, 1, 1) if mode == QuarterMode.CUMULATIVE else dt.date(year, last_month - 2, 1)
    )
    return start, end


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ApplicationError(
            _("The quarter must be 1 to 4."),
            code="invalid_quarter",
            field_errors={"quarter": [_("1 to 4.")]},
        )


def period_is_locked(year: int, quarter: int) -> bool:
    return PeriodLock.objects.filter(year=year, quarter=quarter).exists()


def _refuse_locked_period(year: int, quarter: int) -> None:
    if period_is_locked(year, quarter):
        raise ApplicationError(
            _(
                "Quarter %(quarter)s of %(year)s is closed for reporting. Ask the planning staff "
                "to reopen it if a figure must still change."
            )
            % {"quarter": quarter, "year": year},
            code="period_locked",
        )


@transaction.atomic
def realisation_enter(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    quarter: int,
    value: Any,
    evidence_text: str = "",
    evidence_file: UploadedFile | None = None,
    evidence_link: str = "",
) -> Realisation:
    """Enter (or correct, while unverified) a quarter's realisation of an indicator with evidence.

    Refused for an automatic indicator, a verified (locked) entry and a closed period."""
    if not can_enter_realisation(actor, indicator):
        raise PermissionDenied
    check_year(indicator, year)
    _check_quarter(quarter)
    if indicator.metric_code:
        raise ApplicationError(
            _(
                "This indicator is filled automatically from Sinergi's records (“otomatis”); its "
                "realisation cannot be entered by hand."
            ),
            code="automatic_indicator",
        )
    _refuse_locked_period(year, quarter)
    number = _decimal(value, "value")
    if number is None:
        raise ApplicationError(
            _("Enter the realisation."),
            code="value_missing",
            field_errors={"value": [_("Required.")]},
        )
    if indicator.polarity == Polarity.BINARY and number not in (0, 1):
        raise ApplicationError(
            _("The realisation of a yes/no indicator is 1 (yes) or 0 (no)."),
            code="binary_value",
            field_errors={"value": [_("Enter 1 or 0.")]},
        )
    if not (evidence_text.strip() or evidence_file or evidence_link.strip()):
        raise ApplicationError(
            _("Give the evidence of the realisation: a description, a file or a link."),
            code="evidence_missing",
            field_errors={"evidence_text": [_("Describe the evidence, or attach a file or link.")]},
        )
    extension = check_evidence_file(evidence_file) if evidence_file else None
    realisation = (
        Realisation.objects.select_for_update()
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    )
    creating = realisation is None
    if realisation is None:
        realisation = Realisation(indicator=indicator, year=year, quarter=quarter)
    elif realisation.verified:
        raise ApplicationError(
            _(
                "The realisation of quarter %(quarter)s has been verified and is locked. Ask the "
                "planning staff to unlock it (with a reason) before changing it."
            )
            % {"quarter": quarter},
            code="realisation_locked",
        )
    before = {} if creating else audit.snapshot(realisation, REALISATION_FIELDS)
    realisation.value = number
    realisation.evidence_text = evidence_text.strip()
    realisation.evidence_link = evidence_link.strip()
    realisation.automatic = False
    realisation.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    _clean(realisation)
    if evidence_file is not None:
        realisation.evidence_file.save(f"evidence.{extension}", evidence_file, save=False)
    realisation.save()
    after = audit.snapshot(realisation, REALISATION_FIELDS)
    changes = (
        {k: [None, v] for k, v in after.items()}
        if creating
        else audit.changes_between(before, after)
    )
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_ENTERED,
        target=realisation,
        changes=changes,
    )
    _changed(realisation)
    return realisation


def _require_verifier(actor: Any) -> None:
    if not can_verify(actor):
        raise PermissionDenied


@transaction.atomic
def realisation_verify(*, actor: Any, realisation: Realisation, note: str = "") -> Realisation:
    """Verify an entry: from now on it is locked (no change until unlocked)."""
    _require_verifier(actor)
    realisation = (
        Realisation.objects.select_for_update().select_related("indicator").get(pk=realisation.pk)
    )
    if realisation.verified:
        raise ApplicationError(_("This realisation is already verified."), code="already_verified")
    realisation.verified = True
    realisation.verified_by = actor if getattr(actor, "is_authenticated", False) else None
    realisation.verified_at = timezone.now()
    realisation.verification_note = note.strip()[:500]
    realisation.save(
        update_fields=["verified", "verified_by", "verified_at", "verification_note", "updated_at"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_VERIFIED,
        target=realisation,
        changes={"verified": [False, True]},
        extra={"note": realisation.verification_note} if realisation.verification_note else None,
    )
    _changed(realisation)
    return realisation


@transaction.atomic
def realisation_unlock(*, actor: Any, realisation: Realisation, reason: str) -> Realisation:
    """Unlock a verified entry so the unit can correct it; the reason is kept in the audit log."""
    _require_verifier(actor)
    if len(reason.strip()) < 5:
        raise ApplicationError(
            _("Say why the verified realisation is unlocked (at least a few words)."),
            code="reason_missing",
            field_errors={"reason": [_("Required.")]},
        )
    realisation = (
        Realisation.objects.select_for_update().select_related("indicator").get(pk=realisation.pk)
    )
    if not realisation.verified:
        raise ApplicationError(_("This realisation is not locked."), code="not_verified")
    _refuse_locked_period(realisation.year, realisation.quarter)
    realisation.verified = False
    realisation.verified_by = None
    realisation.verified_at = None
    realisation.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_UNLOCKED,
        target=realisation,
        changes={"verified": [True, False]},
        extra={"reason": reason.strip()},
    )
    _changed(realisation)
    return realisation


@transaction.atomic
def period_lock(*, actor: Any, year: int, quarter: int, reason: str = "") -> PeriodLock:
    """Close a quarter for reporting: no realisation of it may be entered, changed or unlocked."""
    _require_verifier(actor)
    _check_quarter(quarter)
    if not 2000 <= year <= 2100:
        raise ApplicationError(
            _("Choose a year between 2000 and 2100."),
            code="invalid_year",
            field_errors={"year": [_("2000 to 2100.")]},
        )
    lock, created = PeriodLock.objects.get_or_create(
        year=year,
        quarter=quarter,
        defaults={
            "locked_by": actor if getattr(actor, "is_authenticated", False) else None,
            "reason": reason.strip()[:500],
        },
    )
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.PERIOD_LOCKED,
            target=lock,
            changes={"locked": [False, True]},
            extra={"reason": lock.reason} if lock.reason else None,
        )
    return lock


@transaction.atomic
def period_unlock(*, actor: Any, year: int, quarter: int, reason: str) -> None:
    """Reopen a closed quarter (audited with the reason)."""
    _require_verifier(actor)
    if len(reason.strip()) < 5:
        raise ApplicationError(
            _("Say why the period is reopened (at least a few words)."),
            code="reason_missing",
            field_errors={"reason": [_("Required.")]},
        )
    lock = PeriodLock.objects.select_for_update().filter(year=year, quarter=quarter).first()
    if lock is None:
        return
    audit.record(
        actor=actor,
        action=AuditAction.PERIOD_UNLOCKED,
        target=lock,
        changes={"locked": [True, False]},
        extra={"reason": reason.strip()},
    )
    lock.delete()


def _subtree_ids(unit: Unit) -> frozenset[int]:
    return frozenset(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


@transaction.atomic
def realisation_fill(
    *, actor: Any, indicator: Indicator, year: int, quarter: int
) -> Realisation | None:
    """Fill an automatic indicator's quarter from its metric (over the unit's subtree).

    Returns None when the metric is not registered (any more) or has no figure for the period, and
    leaves verified entries and closed periods alone."""
    metric = metrics.get(indicator.metric_code) if indicator.metric_code else None
    if metric is None or period_is_locked(year, quarter):
        return None
    start, end = quarter_bounds(year, quarter, indicator.quarter_mode)
    unit_ids = None if indicator.unit.parent_id is None else _subtree_ids(indicator.unit)
    value = metric.value(metrics.MetricQuery(start=start, end=end, unit_ids=unit_ids))
    if value is None:
        return None
    number = _decimal(value, "value")
    if number is None:
        return None
    realisation = (
        Realisation.objects.select_for_update()
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    )
    if realisation is not None and (realisation.verified or realisation.value == number):
        return realisation
    old = realisation.value if realisation is not None else None
    if realisation is None:
        realisation = Realisation(indicator=indicator, year=year, quarter=quarter)
    realisation.value = number
    realisation.automatic = True
    realisation.evidence_text = _(
        "Computed by Sinergi from “%(metric)s”, %(start)s to %(end)s."
    ) % {
        "metric": metric.label,
        "start": start.strftime("%d-%m-%Y"),
        "end": end.strftime("%d-%m-%Y"),
    }
    realisation.save()
    audit.record(
        actor=actor,
        action=AuditAction.REALISATION_FILLED,
        target=realisation,
        changes={"value": [None if old is None else str(old), str(number)]},
        extra={"metric": indicator.metric_code},
    )
    _changed(realisation)
    return realisation


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def fill_automatic(
    *, actor: Any = None, year: int | None = None, quarter: int | None = None
) -> int:
    """Fill every automatic indicator for a quarter (the current one by default); returns how
    many entries were written or were already up to date."""
    if year is None or quarter is None:
        year, quarter = current_quarter()
    indicators = (
        Indicator.objects.filter(
            is_active=True, period__start_year__lte=year, period__end_year__gte=year
        )
        .exclude(metric_code="")
        .select_related("unit")
    )
    done = 0
    for indicator in indicators:
        if realisation_fill(actor=actor, indicator=indicator, year=year, quarter=quarter):
            done += 1
    return done


def fill_indicator(*, actor: Any, indicator: Indicator, year: int) -> int:
    """Fill an automatic indicator on demand: each quarter of `year` up to the current one."""
    if not indicator.metric_code:
        raise ApplicationError(
            _("This indicator is entered by the unit; there is nothing to compute."),
            code="not_automatic",
        )
    check_year(indicator, year)
    this_year, this_quarter = current_quarter()
    last = 4 if year < this_year else (this_quarter if year == this_year else 0)
    return sum(
        1
        for quarter in range(1, last + 1)
        if realisation_fill(actor=actor, indicator=indicator, year=year, quarter=quarter)
    )


def scheduled_fill() -> str:
    """Periodic job: fill the automatic indicators of the current and the previous quarter, and
    recount the computed SPM "served" figures of this year."""
    year, quarter = current_quarter()
    done = fill_automatic(year=year, quarter=quarter)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    done += fill_automatic(year=previous[0], quarter=previous[1])
    recounted = spm_fill(year=year)
    return f"{done} automatic realisations up to date, {recounted} SPM figures recounted"

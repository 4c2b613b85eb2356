"""Writes of the SKP: draft, RHK with indicators (optionally cascaded from the supervisor's RHK),
submit, approve or return, open a revision, and the supervisor's periodic evaluation."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.staff.models import (
    AuditAction,
    Employee,
    EmploymentType,
    Evaluation,
    PredikatRule,
    Rating,
    Rhk,
    RhkIndicator,
    Skp,
)
from sinergi.staff.permissions import (
    can_approve_skp,
    can_edit_skp,
    can_evaluate_skp,
    is_own,
)

IndicatorInput = tuple[str, str, str]  # (aspect, description, target)


def _lock(skp: Skp, version: int | None) -> Skp:
    """The SKP locked for update; refuse when someone changed it since the form was opened."""
    locked = Skp.objects.select_for_update().select_related("employee").get(pk=skp.pk)
    if version is not None and locked.version != version:
        raise ApplicationError(
            _(
                "This SKP was changed by someone else while you were working on it. Open it "
                "again to see the latest version, then repeat your change."
            ),
            code="stale",
        )
    return locked


def _bump(skp: Skp, **fields: Any) -> None:
    skp.version += 1
    for name, value in fields.items():
        setattr(skp, name, value)
    skp.save(update_fields=[*fields, "version", "updated_at"])


def skp_period(employee: Employee, year: int) -> tuple[dt.date, dt.date]:
    """The SKP period of `employee` in `year`: the year, cut to the employee's active period."""
    start = max(dt.date(year, 1, 1), employee.active_from)
    end = min(dt.date(year, 12, 31), employee.active_until or dt.date(year, 12, 31))
    return start, end


@transaction.atomic
def skp_create(*, actor: Any, employee: Employee, year: int) -> Skp:
    """A draft SKP of the actor's own record for `year` (one per employee and year)."""
    if not (actor.has_perm("staff.add_skp") and is_own(actor, employee)):
        raise ApplicationError(_("You can only draft your own SKP."), code="forbidden")
    if employee.employment_type == EmploymentType.NON_ASN:
        raise ApplicationError(
            _("The SKP is for PNS and PPPK employees; a non-ASN employee does not draft one."),
            code="not_asn",
        )
    start, end = skp_period(employee, year)
    if end < start:
        raise ApplicationError(
            _("You are not active in %(year)d, so there is no SKP to draft for that year.")
            % {"year": year},
            code="not_active",
        )
    if Skp.objects.filter(employee=employee, year=year).exists():
        raise ApplicationError(
            _("You already have an SKP for %(year)d. Open it instead.") % {"year": year},
            code="skp_exists",
        )
    skp = Skp.objects.create(employee=employee, year=year, period_start=start, period_end=end)
    audit.record(
        actor=actor,
        action=AuditAction.SKP_CREATED,
        target=skp,
        changes={"year": [None, year], "status": [None, skp.status]},
    )
    return skp


def _require_editable(actor: Any, skp: Skp) -> None:
    if not can_edit_skp(actor, skp):
        if skp.is_editable:
            raise ApplicationError(_("You can only change your own SKP."), code="forbidden")
        raise ApplicationError(
            _(
                "This SKP is %(status)s and cannot be changed now. To change an approved SKP, "
                "open a revision first."
            )
            % {"status": skp.get_status_display().lower()},
            code="not_editable",
        )


def _check_parent(skp: Skp, parent: Rhk | None) -> None:
    """A cascaded RHK supports an RHK of the direct supervisor's SKP of the same year."""
    if parent is None:
        return
    supervisor_id = skp.employee.supervisor_id
    if (
        supervisor_id is None
        or parent.skp.employee_id != supervisor_id
        or parent.skp.year != skp.year
    ):
        raise ApplicationError(
            _(
                "An RHK can only be cascaded from an RHK of your direct supervisor's SKP for the "
                "same year. Choose one from that list, or leave it empty."
            ),
            code="invalid_parent",
            field_errors={"parent": [_("Not an RHK of your supervisor for this year.")]},
        )


def _clean_indicators(indicators: Sequence[IndicatorInput]) -> list[IndicatorInput]:
    cleaned = [
        (aspect, description.strip(), target.strip())
        for aspect, description, target in indicators
        if description.strip() or target.strip()
    ]
    if not cleaned:
        raise ApplicationError(
            _("Give the RHK at least one indicator with its target (quantity, quality or time)."),
            code="no_indicator",
        )
    aspects = [aspect for aspect, _d, _t in cleaned]
    if any(a not in RhkIndicator.Aspect.values for a in aspects) or len(set(aspects)) != len(
        aspects
    ):
        raise ApplicationError(
            _("Each aspect (quantity, quality, time) can have one indicator. Remove the repeat."),
            code="indicator_aspect",
        )
    for _aspect, description, target in cleaned:
        if not description or not target:
            raise ApplicationError(
                _("Each indicator needs both a description and a target, e.g. “12 reports”."),
                code="indicator_incomplete",
            )
    return cleaned


def _rhk_state(rhk: Rhk) -> dict[str, Any]:
    return {
        "title": rhk.title,
        "kind": rhk.kind,
        "parent": rhk.parent_id,
        "indicators": [
            [i.aspect, i.description, i.target] for i in rhk.indicators.order_by("aspect")
        ],
    }


@transaction.atomic
def rhk_save(
    *,
    actor: Any,
    skp: Skp,
    title: str,
    kind: str = Rhk.Kind.MAIN,
    parent: Rhk | None = None,
    indicators: Sequence[IndicatorInput],
    rhk: Rhk | None = None,
    version: int | None = None,
) -> Rhk:
    """Add an RHK to a draft SKP, or change one; the indicators are replaced; audited."""
    skp = _lock(skp, version)
    _require_editable(actor, skp)
    title = title.strip()
    if not title:
        raise ApplicationError(
            _("Write the planned work result."), field_errors={"title": [_("Required.")]}
        )
    if kind not in Rhk.Kind.values:
        raise ApplicationError(_("Choose main or additional."), field_errors={"kind": ["?"]})
    _check_parent(skp, parent)
    cleaned = _clean_indicators(indicators)
    before: dict[str, Any] = {}
    if rhk is None:
        number = (skp.rhks.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        rhk = Rhk.objects.create(skp=skp, number=number, title=title, kind=kind, parent=parent)
    else:
        if rhk.skp_id != skp.pk:
            raise ApplicationError(_("That RHK belongs to another SKP."), code="forbidden")
        before = _rhk_state(rhk)
        rhk.title, rhk.kind, rhk.parent = title, kind, parent
        rhk.save(update_fields=["title", "kind", "parent", "updated_at"])
        rhk.indicators.all().delete()
    RhkIndicator.objects.bulk_create(
        RhkIndicator(rhk=rhk, aspect=a, description=d, target=t) for a, d, t in cleaned
    )
    changes = audit.changes_between(before, _rhk_state(rhk))
    _bump(skp)
    audit.record(
        actor=actor,
        action=AuditAction.RHK_SAVED,
        target=skp,
        changes=changes,
        extra={"rhk": rhk.pk, "number": rhk.number, "revision": skp.revision},
    )
    return rhk


@transaction.atomic
def rhk_delete(*, actor: Any, rhk: Rhk, version: int | None = None) -> None:
    """Remove an RHK of a draft SKP (not when months were already reported on it)."""
    skp = _lock(rhk.skp, version)
    _require_editable(actor, skp)
    state = _rhk_state(rhk)
    number = rhk.number
    try:
        with transaction.atomic():
            rhk.delete()
    except ProtectedError as exc:
        raise ApplicationError(
            _(
                "RHK %(number)d already has monthly realisations, so it cannot be removed. Change "
                "its wording instead."
            )
            % {"number": number},
            code="rhk_in_use",
        ) from exc
    _bump(skp)
    audit.record(
        actor=actor,
        action=AuditAction.RHK_DELETED,
        target=skp,
        changes={k: [v, None] for k, v in state.items()},
        extra={"number": number, "revision": skp.revision},
    )


@transaction.atomic
def skp_submit(*, actor: Any, skp: Skp, version: int | None = None) -> Skp:
    """Send a draft (or returned) SKP to the supervisor; it needs at least one RHK."""
    skp = _lock(skp, version)
    _require_editable(actor, skp)
    if not skp.rhks.exists():
        raise ApplicationError(
            _("Add at least one planned work result (RHK) before submitting the SKP."),
            code="no_rhk",
        )
    old = skp.status
    _bump(skp, status=Skp.Status.SUBMITTED, submitted_at=timezone.now(), return_note="")
    audit.record(
        actor=actor,
        action=AuditAction.SKP_SUBMITTED,
        target=skp,
        changes={"status": [old, skp.status]},
        extra={"revision": skp.revision},
    )
    return skp


def _require_approver(actor: Any, skp: Skp) -> None:
    if not can_approve_skp(actor, skp):
        raise ApplicationError(
            _("Only the employee's direct supervisor can approve or return this SKP."),
            code="forbidden",
        )
    if skp.status != Skp.Status.SUBMITTED:
        raise ApplicationError(
            _("This SKP is not awaiting approval (it is %(status)s).")
            % {"status": skp.get_status_display().lower()},
            code="not_submitted",
        )


@transaction.atomic
def skp_approve(*, actor: Any, skp: Skp, version: int | None = None) -> Skp:
    """The direct supervisor approves a submitted SKP."""
    skp = _lock(skp, version)
    _require_approver(actor, skp)
    _bump(skp, status=Skp.Status.APPROVED, approved_at=timezone.now(), approved_by=actor)
    audit.record(
        actor=actor,
        action=AuditAction.SKP_APPROVED,
        target=skp,
        changes={"status": [Skp.Status.SUBMITTED, skp.status]},
        extra={"revision": skp.revision},
    )
    return skp


@transaction.atomic
def skp_return(*, actor: Any, skp: Skp, note: str, version: int | None = None) -> Skp:
    """The direct supervisor sends a submitted SKP back with a note saying what to correct."""
    skp = _lock(skp, version)
    _require_approver(actor, skp)
    note = note.strip()
    if not note:
        raise ApplicationError(
            _("Say what the employee should correct before returning the SKP."),
            code="note_required",
            field_errors={"note": [_("Required.")]},
        )
    _bump(skp, status=Skp.Status.RETURNED, return_note=note)
    audit.record(
        actor=actor,
        action=AuditAction.SKP_RETURNED,
        target=skp,
        changes={"status": [Skp.Status.SUBMITTED, skp.status], "return_note": ["", note]},
        extra={"revision": skp.revision},
    )
    return skp


@transaction.atomic
def skp_open_revision(*, actor: Any, skp: Skp, version: int | None = None) -> Skp:
    """Reopen an approved SKP as a draft revision (it must be approved again); audited."""
    skp = _lock(skp, version)
    if not (actor.has_perm("staff.add_skp") and is_own(actor, skp.employee)):
        raise ApplicationError(_("You can only revise your own SKP."), code="forbidden")
    if skp.status != Skp.Status.APPROVED:
        raise ApplicationError(
            _("Only an approved SKP is revised; this one can be changed directly."),
            code="not_approved",
        )
    old_revision = skp.revision
    _bump(skp, status=Skp.Status.DRAFT, revision=old_revision + 1)
    audit.record(
        actor=actor,
        action=AuditAction.SKP_REVISION_OPENED,
        target=skp,
        changes={
            "status": [Skp.Status.APPROVED, skp.status],
            "revision": [old_revision, skp.revision],
        },
        extra={"rhks": [[r.number, r.title] for r in skp.rhks.all()]},
    )
    return skp


# --- Periodic evaluation ------------------------------------------------------------------------


def predikat_for(results_rating: str, behaviour_rating: str, *, on: dt.date) -> Any:
    """The predikat of the matrix in force on `on` (reference data, DOMAIN.md 7.3)."""
    rule = (
        PredikatRule.objects.filter(
            results_rating=results_rating, behaviour_rating=behaviour_rating, effective_from__lte=on
        )
        .select_related("predikat")
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ApplicationError(
            _(
                "The predikat matrix has no cell for these ratings on %(date)s. Ask the "
                "administrator to load the matrix."
            )
            % {"date": on.strftime("%d-%m-%Y")},
            code="no_matrix",
        )
    return rule.predikat


@transaction.atomic
def evaluation_save(
    *,
    actor: Any,
    skp: Skp,
    month_from: int,
    month_to: int,
    results_rating: str,
    behaviour_rating: str,
    feedback: str = "",
) -> Evaluation:
    """The direct supervisor rates results and behaviour for a period; the predikat follows the
    matrix. Saving the same period again replaces the ratings (audited with old and new)."""
    skp = _lock(skp, None)
    if not can_evaluate_skp(actor, skp):
        raise ApplicationError(
            _("Only the employee's direct supervisor can evaluate this SKP."), code="forbidden"
        )
    if skp.approved_at is None:
        raise ApplicationError(
            _("The SKP has not been approved yet, so there is nothing to evaluate."),
            code="not_approved",
        )
    if not (1 <= month_from <= month_to <= 12):
        raise ApplicationError(
            _("Choose a period within the year: the first month must not come after the last."),
            code="invalid_period",
        )
    if results_rating not in Rating.values or behaviour_rating not in Rating.values:
        raise ApplicationError(_("Choose both ratings."), code="invalid_rating")
    period_end = min(dt.date(skp.year, month_to, 28), skp.period_end)
    predikat = predikat_for(results_rating, behaviour_rating, on=period_end)
    evaluation = Evaluation.objects.filter(
        skp=skp, month_from=month_from, month_to=month_to
    ).first()
    before: dict[str, Any] = {}
    fields = ["results_rating", "behaviour_rating", "predikat", "feedback"]
    if evaluation is None:
        evaluation = Evaluation(skp=skp, month_from=month_from, month_to=month_to)
    else:
        before = audit.snapshot(evaluation, fields)
    evaluation.results_rating = results_rating
    evaluation.behaviour_rating = behaviour_rating
    evaluation.predikat = predikat
    evaluation.feedback = feedback.strip()
    evaluation.evaluated_by = actor
    evaluation.save()
    audit.record(
        actor=actor,
        action=AuditAction.EVALUATION_SAVED,
        target=skp,
        changes=audit.changes_between(before, audit.snapshot(evaluation, fields)),
        extra={"months": [month_from, month_to]},
    )
    return evaluation

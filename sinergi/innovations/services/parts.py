"""Writes of what an innovation carries: effect indicators (values before and after), evidence
(a link or a checked file) and competition entries (how far it got). Added, changed and removed by
the unit's staff; every change is audited; a refused write saves nothing."""

from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.uploads import MB, UploadRule, check_uploaded_file
from sinergi.innovations.models import (
    AuditAction,
    CompetitionEntry,
    CompetitionStage,
    EffectIndicator,
    Evidence,
    Innovation,
)
from sinergi.innovations.services.registry import clean, refuse, require_editor

# Documents, photos and slides of an innovation; the real content is checked, not just the name.
EVIDENCE_RULE = UploadRule(
    extensions=("pdf", "png", "jpg", "jpeg", "docx", "pptx", "xlsx"), max_bytes=20 * MB
)
INDICATOR_FIELDS = ["name", "before", "after", "unit_of_measure"]
CENT = Decimal("0.01")
ENTRY_FIELDS = ["competition", "year", "stage_reached", "result"]


def _editable_innovation(actor: Any, part: Any) -> Innovation:
    """The innovation the part belongs to, once the actor may change it."""
    innovation = Innovation.objects.select_related("unit").get(pk=part.innovation_id)
    require_editor(actor, innovation)
    return innovation


def _record_change(
    actor: Any,
    action: str,
    innovation: Innovation,
    part: Any,
    old: dict[str, Any],
    new: dict[str, Any],
) -> None:
    """Audit what changed in a part (nothing when nothing changed)."""
    changes = audit.changes_between(old, new)
    if changes:
        audit.record(
            actor=actor,
            action=action,
            target=innovation,
            changes=changes,
            extra={"part": part._meta.model_name, "id": part.pk},
        )


def _remove(actor: Any, action: str, part: Any, values: dict[str, Any]) -> None:
    """Delete a part entered by mistake; its values stay in the audit trail."""
    innovation = _editable_innovation(actor, part)
    part.delete()
    audit.record(
        actor=actor,
        action=action,
        target=innovation,
        changes={name: [value, None] for name, value in values.items()},
    )


# --- Effect indicators --------------------------------------------------------------------------


def _two_places(value: Decimal, field: str) -> Decimal:
    """The value as stored (2 decimals), so an unchanged value is not audited as a change."""
    try:
        return Decimal(value).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise refuse(_("Enter a number, e.g. 36 or 12,5."), field=field) from exc


def _indicator_values(
    indicator: EffectIndicator, name: str, before: Decimal, after: Decimal, unit_of_measure: str
) -> None:
    if not name.strip() or not unit_of_measure.strip():
        raise refuse(_("Give the indicator's name and unit of measure."), field="name")
    indicator.name = name.strip()
    indicator.before = _two_places(before, "before")
    indicator.after = _two_places(after, "after")
    indicator.unit_of_measure = unit_of_measure.strip()
    clean(indicator)


@transaction.atomic
def indicator_add(
    *,
    actor: Any,
    innovation: Innovation,
    name: str,
    before: Decimal,
    after: Decimal,
    unit_of_measure: str,
) -> EffectIndicator:
    """An indicator of the innovation's effect: its value before and after."""
    require_editor(actor, innovation)
    indicator = EffectIndicator(innovation=innovation)
    _indicator_values(indicator, name, before, after, unit_of_measure)
    indicator.save()
    audit.record(
        actor=actor,
        action=AuditAction.INDICATOR_ADDED,
        target=innovation,
        changes={
            "indicator": [None, indicator.name],
            "before": [None, before],
            "after": [None, after],
        },
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: EffectIndicator,
    name: str,
    before: Decimal,
    after: Decimal,
    unit_of_measure: str,
) -> EffectIndicator:
    """Correct an effect indicator, e.g. the value after a further year of the innovation."""
    indicator = EffectIndicator.objects.select_for_update().get(pk=indicator.pk)
    innovation = _editable_innovation(actor, indicator)
    old = audit.snapshot(indicator, INDICATOR_FIELDS)
    _indicator_values(indicator, name, before, after, unit_of_measure)
    indicator.save()
    new = audit.snapshot(indicator, INDICATOR_FIELDS)
    _record_change(actor, AuditAction.INDICATOR_CHANGED, innovation, indicator, old, new)
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: EffectIndicator) -> None:
    """Remove an indicator entered by mistake (its values stay in the audit trail)."""
    values = audit.snapshot(indicator, INDICATOR_FIELDS)
    _remove(actor, AuditAction.INDICATOR_REMOVED, indicator, values)


# --- Evidence -----------------------------------------------------------------------------------


def _check_file(upload: UploadedFile) -> str:
    """The name to show for an acceptable evidence file, else ApplicationError."""
    check_uploaded_file(EVIDENCE_RULE, upload)
    return (upload.name or "")[-255:]


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    innovation: Innovation,
    title: str,
    link: str = "",
    upload: UploadedFile | None = None,
) -> Evidence:
    """A document, photo or video link showing the innovation at work."""
    require_editor(actor, innovation)
    if not title.strip():
        raise refuse(_("Give the evidence a title."), field="title")
    link = link.strip()
    if not link and upload is None:
        raise refuse(_("Give a link or attach a file."), field="link")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as exc:
            raise refuse(
                _("The link is not a valid web address (http:// or https://)."), field="link"
            ) from exc
    filename = _check_file(upload) if upload is not None else ""
    evidence = Evidence(innovation=innovation, title=title.strip(), link=link)
    clean(evidence)
    evidence.save()
    if upload is not None:
        evidence.file.save(f"bukti.{Path(filename).suffix.lstrip('.').lower()}", upload, save=False)
        evidence.filename = filename
        evidence.save(update_fields=["file", "filename"])
    audit.record(
        actor=actor,
        action=AuditAction.EVIDENCE_ADDED,
        target=innovation,
        changes={"evidence": [None, evidence.title]},
        extra={"file_attached": upload is not None},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    """Remove evidence; its stored file is deleted once the removal is committed."""
    innovation = _editable_innovation(actor, evidence)
    stored, storage = (evidence.file.name if evidence.file else ""), evidence.file.storage
    title = evidence.title
    evidence.delete()
    if stored:
        transaction.on_commit(partial(storage.delete, stored))
    audit.record(
        actor=actor,
        action=AuditAction.EVIDENCE_REMOVED,
        target=innovation,
        changes={"evidence": [title, None]},
        extra={"file_deleted": bool(stored)},
    )


# --- Competition entries ------------------------------------------------------------------------


def _entry_values(
    entry: CompetitionEntry,
    innovation: Innovation,
    competition: str,
    year: int,
    stage_reached: CompetitionStage,
    result: str,
) -> None:
    if not competition.strip():
        raise refuse(_("Name the competition."), field="competition")
    if year < innovation.started_on.year:
        raise refuse(_("The competition year lies before the innovation started."), field="year")
    entry.competition = competition.strip()
    entry.year = year
    entry.stage_reached = stage_reached
    entry.result = result.strip()
    clean(entry, exclude=["innovation"])
    duplicates = CompetitionEntry.objects.filter(
        innovation=innovation, competition__iexact=entry.competition, year=year
    ).exclude(pk=entry.pk)
    if duplicates.exists():
        raise _duplicate_entry(entry.competition, year)


def _duplicate_entry(competition: str, year: int) -> ApplicationError:
    return refuse(
        _("This innovation already has an entry in %(competition)s %(year)s.")
        % {"competition": competition, "year": year},
        field="competition",
    )


def _save_entry(entry: CompetitionEntry) -> None:
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # the same entry saved at the same moment by someone else
        raise _duplicate_entry(entry.competition, entry.year) from exc


@transaction.atomic
def entry_add(
    *,
    actor: Any,
    innovation: Innovation,
    competition: str,
    year: int,
    stage_reached: CompetitionStage,
    result: str = "",
) -> CompetitionEntry:
    """An entry of the innovation in a competition (e.g. Kovablik Jatim 2022) and how far it got."""
    require_editor(actor, innovation)
    entry = CompetitionEntry(innovation=innovation)
    _entry_values(entry, innovation, competition, year, stage_reached, result)
    _save_entry(entry)
    audit.record(
        actor=actor,
        action=AuditAction.ENTRY_ADDED,
        target=innovation,
        changes={
            "competition": [None, entry.competition],
            "year": [None, year],
            "stage_reached": [None, stage_reached.code],
            "result": [None, entry.result],
        },
    )
    return entry


def _entry_snapshot(entry: CompetitionEntry) -> dict[str, Any]:
    values = audit.snapshot(entry, ["competition", "year", "result"])
    values["stage_reached"] = entry.stage_reached.code
    return values


@transaction.atomic
def entry_update(
    *,
    actor: Any,
    entry: CompetitionEntry,
    competition: str,
    year: int,
    stage_reached: CompetitionStage,
    result: str = "",
) -> CompetitionEntry:
    """Record how far an entry got as the competition goes on (e.g. passed to the Top 45)."""
    entry = (
        CompetitionEntry.objects.select_for_update()
        .select_related("stage_reached")
        .get(pk=entry.pk)
    )
    innovation = _editable_innovation(actor, entry)
    old = _entry_snapshot(entry)
    _entry_values(entry, innovation, competition, year, stage_reached, result)
    _save_entry(entry)
    _record_change(actor, AuditAction.ENTRY_CHANGED, innovation, entry, old, _entry_snapshot(entry))
    return entry


@transaction.atomic
def entry_remove(*, actor: Any, entry: CompetitionEntry) -> None:
    """Remove an entry recorded by mistake (its values stay in the audit trail)."""
    _remove(actor, AuditAction.ENTRY_REMOVED, entry, _entry_snapshot(entry))

"""Writes of the innovation registry: innovations, their effect indicators, evidence and
competition entries, publishing. Every change is audited; a refused write saves nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.innovations.models import (
    AuditAction,
    CompetitionEntry,
    CompetitionStage,
    EffectIndicator,
    Evidence,
    Innovation,
    Stage,
)
from sinergi.innovations.permissions import can_edit, can_publish

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
FIELDS = ["name", "acronym", "unit", "owner", "problem", "description", "started_on", "stage"]


def _refuse(message: str, *, field: str | None = None, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def _require_editor(actor: Any, innovation: Innovation | None = None, unit: Any = None) -> None:
    if not can_edit(actor, innovation, unit):
        raise _refuse(
            _("You may only register and change the innovations of your own unit."),
            code="forbidden",
        )


@transaction.atomic
def innovation_save(
    *,
    actor: Any,
    innovation: Innovation | None = None,
    name: str,
    acronym: str = "",
    unit: Any,
    owner: str = "",
    problem: str,
    description: str,
    started_on: dt.date,
    stage: Stage,
) -> Innovation:
    """Register an innovation of `unit`, or change one (by staff of the unit)."""
    _require_editor(actor, innovation, unit)
    if innovation is not None:
        _require_editor(actor, innovation)
        innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if started_on > timezone.localdate():
        raise _refuse(_("The start date lies in the future."), field="started_on")
    created = innovation is None
    if innovation is None:
        innovation = Innovation(
            created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        before: dict[str, Any] = dict.fromkeys(FIELDS)
    else:
        before = audit.snapshot(innovation, FIELDS)
    innovation.name = name.strip()
    innovation.acronym = acronym.strip()
    innovation.unit = unit
    innovation.owner = owner.strip()
    innovation.problem = problem.strip()
    innovation.description = description.strip()
    innovation.started_on = started_on
    innovation.stage = stage
    try:
        innovation.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ApplicationError(
            _("Some fields are missing or not valid. Correct them and save again."),
            field_errors=exc.message_dict,
        ) from exc
    innovation.save()
    changes = audit.changes_between(before, audit.snapshot(innovation, FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.INNOVATION_SAVED,
            target=innovation,
            changes=changes,
            extra={"created": created},
        )
    return innovation


@transaction.atomic
def innovation_publish(*, actor: Any, innovation: Innovation, published: bool) -> Innovation:
    """Show the innovation on the public page (or withdraw it); the planning officer decides."""
    if not can_publish(actor):
        raise _refuse(_("Only the planning officer may publish innovations."), code="forbidden")
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if innovation.is_published == published:
        return innovation
    innovation.is_published = published
    innovation.published_at = timezone.now() if published else None
    innovation.save(update_fields=["is_published", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.INNOVATION_PUBLISHED
        if published
        else AuditAction.INNOVATION_UNPUBLISHED,
        target=innovation,
        changes={"is_published": [not published, published]},
    )
    return innovation


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
    _require_editor(actor, innovation)
    if not name.strip() or not unit_of_measure.strip():
        raise _refuse(_("Give the indicator's name and unit of measure."), field="name")
    indicator = EffectIndicator.objects.create(
        innovation=innovation,
        name=name.strip(),
        before=before,
        after=after,
        unit_of_measure=unit_of_measure.strip(),
    )
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


def _check_file(upload: UploadedFile) -> str:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_SIGNATURES:
        raise _refuse(
            _("Files of this type cannot be attached. Attach one of: %(types)s.")
            % {"types": ", ".join(sorted(EVIDENCE_SIGNATURES))},
            field="file",
        )
    if upload.size and upload.size > EVIDENCE_MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(mb)s MB. Attach a smaller file or give a link instead.")
            % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension]):
        raise _refuse(
            _("The file is not a real .%(ext)s file (its content does not match). Check the file.")
            % {"ext": extension},
            field="file",
        )
    return name[-255:]


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
    _require_editor(actor, innovation)
    if not title.strip():
        raise _refuse(_("Give the evidence a title."), field="title")
    link = link.strip()
    if not link and upload is None:
        raise _refuse(_("Give a link or attach a file."), field="link")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as exc:
            raise _refuse(
                _("The link is not a valid web address (http:// or https://)."), field="link"
            ) from exc
    filename = _check_file(upload) if upload is not None else ""
    evidence = Evidence.objects.create(innovation=innovation, title=title.strip(), link=link)
    if upload is not None:
        evidence.file.save(upload.name or "bukti", upload, save=False)
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
    _require_editor(actor, innovation)
    if not competition.strip():
        raise _refuse(_("Name the competition."), field="competition")
    if year < innovation.started_on.year:
        raise _refuse(_("The competition year lies before the innovation started."), field="year")
    try:
        with transaction.atomic():
            entry = CompetitionEntry.objects.create(
                innovation=innovation,
                competition=competition.strip(),
                year=year,
                stage_reached=stage_reached,
                result=result.strip(),
            )
    except IntegrityError as exc:
        raise _refuse(
            _("This innovation already has an entry in %(competition)s %(year)s.")
            % {"competition": competition.strip(), "year": year},
            field="competition",
        ) from exc
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

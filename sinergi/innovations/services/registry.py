"""Writes of the innovation registry: registering and changing an innovation, publishing it on
the public page. Every change is audited; a refused write saves nothing."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.innovations.models import AuditAction, Innovation, Stage
from sinergi.innovations.permissions import can_edit, can_publish

FIELDS = ["name", "acronym", "unit", "owner", "problem", "description", "started_on", "stage"]


def refuse(message: str, *, field: str | None = None, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def clean(instance: Model, *, exclude: list[str] | None = None) -> None:
    """full_clean, with the field errors turned into one message a clerk can act on."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ApplicationError(
            _("Some fields are missing or not valid. Correct them and save again."),
            field_errors=exc.message_dict,
        ) from exc


def require_editor(actor: Any, innovation: Innovation | None = None, unit: Any = None) -> None:
    if not can_edit(actor, innovation, unit):
        raise refuse(
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
    require_editor(actor, innovation, unit)
    if innovation is not None:
        require_editor(actor, innovation)
        innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if started_on > timezone.localdate():
        raise refuse(_("The start date lies in the future."), field="started_on")
    same_name = Innovation.objects.filter(name__iexact=name.strip(), unit=unit)
    if innovation is not None:
        same_name = same_name.exclude(pk=innovation.pk)
    if same_name.exists():
        raise refuse(
            _("This unit already has an innovation with this name. Open that one and change it."),
            field="name",
        )
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
    clean(innovation, exclude=["created_by"])
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
        raise refuse(_("Only the planning officer may publish innovations."), code="forbidden")
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

"""Writes of the recommendations of an evaluation and their follow-up by the responsible unit."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.sakip.models import (
    AuditAction,
    Component,
    Evaluation,
    Recommendation,
)
from sinergi.sakip.permissions import can_follow_up
from sinergi.sakip.services.common import refuse, require_manager

RECOMMENDATION_FIELDS = ["text", "owner_unit", "due_on", "status", "follow_up", "component"]


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    evaluation: Evaluation,
    text: str,
    owner_unit: Any,
    due_on: dt.date,
    component: Component | None = None,
) -> Recommendation:
    """A recommendation of the evaluation for a responsible unit, to be done by `due_on`."""
    require_manager(actor)
    if not text.strip():
        raise refuse(_("Write the recommendation."), field="text")
    if component is not None and component.template_id != evaluation.template_id:
        raise refuse(_("Choose a component of this evaluation's LKE."), field="component")
    if due_on < dt.date(evaluation.year, 1, 1):
        raise refuse(
            _("The due date lies before the evaluated year. Choose a later date."),
            field="due_on",
        )
    recommendation = Recommendation(
        evaluation=evaluation,
        text=text.strip(),
        owner_unit=owner_unit,
        due_on=due_on,
        component=component,
    )
    recommendation.full_clean()
    recommendation.save()
    audit.record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_SAVED,
        target=recommendation,
        changes={
            k: [None, v] for k, v in audit.snapshot(recommendation, RECOMMENDATION_FIELDS).items()
        },
    )
    return recommendation


@transaction.atomic
def recommendation_follow_up(
    *, actor: Any, recommendation: Recommendation, status: str, follow_up: str
) -> Recommendation:
    """The responsible unit (or the planning officer) records what was done and the status."""
    recommendation = (
        Recommendation.objects.select_for_update()
        .select_related("owner_unit")
        .get(pk=recommendation.pk)
    )
    if not can_follow_up(actor, recommendation):
        raise refuse(
            _("Only the responsible unit or the planning officer may follow this up."),
            code="forbidden",
        )
    if status not in Recommendation.Status.values:
        raise refuse(_("Choose a status from the list."), field="status")
    if status == Recommendation.Status.DONE and not follow_up.strip():
        raise refuse(
            _("Describe what was done before marking the recommendation as done."),
            field="follow_up",
        )
    before = audit.snapshot(recommendation, RECOMMENDATION_FIELDS)
    recommendation.status = status
    recommendation.follow_up = follow_up.strip()
    recommendation.save()
    changes = audit.changes_between(before, audit.snapshot(recommendation, RECOMMENDATION_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.RECOMMENDATION_FOLLOWED_UP,
            target=recommendation,
            changes=changes,
        )
    return recommendation

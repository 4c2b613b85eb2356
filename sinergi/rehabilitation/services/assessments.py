"""Recording an assessment with an instrument: every item answered, total and band derived."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import (
    Assessment,
    AssessmentAnswer,
    AuditAction,
    Case,
    Instrument,
)
from sinergi.rehabilitation.permissions import can_change_case


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    case: Case,
    instrument: Instrument,
    assessed_on: dt.date,
    scores: dict[int, int],
    notes: str = "",
) -> Assessment:
    """Store one assessment: `scores` maps each item number of `instrument` to the score of one
    of its options. A missing item, an unknown item or a score that is not an option is refused."""
    if actor is not None and not can_change_case(actor, case):
        raise ApplicationError(
            _("Only the social worker assigned to this case, or the head of UPT, can assess."),
            code="not_assigned",
        )
    if assessed_on > timezone.localdate():
        raise ApplicationError(
            _("The assessment date is in the future. Enter the day of the assessment."),
            field_errors={"assessed_on": [_("The date cannot be in the future.")]},
        )
    if assessed_on < case.admitted_on:
        raise ApplicationError(
            _("The assessment date is before the admission date. Check the date."),
            field_errors={"assessed_on": [_("The date is before the admission.")]},
        )
    items = list(instrument.items.prefetch_related("options").order_by("number"))
    numbers = {item.number for item in items}
    missing = [item for item in items if item.number not in scores]
    if missing:
        raise ApplicationError(
            _("Every item must be answered. Still missing: %(items)s.")
            % {"items": ", ".join(f"{i.number}. {i.name}" for i in missing)},
            code="missing_item",
            field_errors={f"item_{i.number}": [_("Choose an answer.")] for i in missing},
        )
    unknown = sorted(set(scores) - numbers)
    if unknown:
        raise ApplicationError(
            _("Items %(items)s are not part of this instrument.")
            % {"items": ", ".join(map(str, unknown))},
            code="unknown_item",
        )
    answers = []
    for item in items:
        option = next((o for o in item.options.all() if o.score == scores[item.number]), None)
        if option is None:
            raise ApplicationError(
                _(
                    "The score %(score)s is not an answer of item %(item)s. Choose one of the answers."
                )
                % {"score": scores[item.number], "item": f"{item.number}. {item.name}"},
                field_errors={f"item_{item.number}": [_("Choose one of the answers.")]},
            )
        answers.append((item, option))
    total = sum(option.score for _item, option in answers)
    band = instrument.bands.filter(min_score__lte=total, max_score__gte=total).first()
    assessment = Assessment.objects.create(
        case=case,
        instrument=instrument,
        assessed_on=assessed_on,
        assessor=actor,
        total_score=total,
        band_label=band.label if band else "",
        notes=notes.strip(),
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, item=item, option=option, score=option.score)
        for item, option in answers
    )
    audit.record(
        actor=actor,
        action=AuditAction.ASSESSMENT_RECORDED,
        target=assessment,
        extra={
            "case": str(case.pk),
            "instrument": f"{instrument.code} {instrument.version}",
            "total": total,
            "scores": {str(k): v for k, v in sorted(scores.items())},
        },
    )
    return assessment

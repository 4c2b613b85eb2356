"""Writes of an evaluation: starting it, the unit's answers with evidence, the planning
officer's review, last year's score, finalising (score, grade, lock) and unlocking (audited)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.uploads import MB, UploadRule, check_uploaded_file
from sinergi.sakip import scoring
from sinergi.sakip.models import (
    Answer,
    AnswerOption,
    AuditAction,
    Criterion,
    Evaluation,
    Template,
)
from sinergi.sakip.permissions import can_answer
from sinergi.sakip.services.common import locked_evaluation, refuse, require_manager, require_open

# Evidence of an answer; the real content is checked, not just the name.
EVIDENCE_RULE = UploadRule(
    extensions=("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx"),
    max_bytes=10 * MB,
    field="evidence_file",
)


@transaction.atomic
def evaluation_create(
    *, actor: Any, template: Template, unit: Any, previous_score: Decimal | None = None
) -> Evaluation:
    """Start the evaluation of `unit` against the LKE of the template's year."""
    require_manager(actor)
    if Evaluation.objects.filter(template=template, unit=unit).exists():
        raise refuse(
            _("%(unit)s already has an evaluation for %(year)s. Open it from the summary.")
            % {"unit": unit.name, "year": template.year},
            field="unit",
        )
    evaluation = Evaluation(
        template=template, unit=unit, year=template.year, previous_score=previous_score
    )
    evaluation.full_clean()
    evaluation.save()
    audit.record(
        actor=actor,
        action=AuditAction.EVALUATION_CREATED,
        target=evaluation,
        changes={
            "unit": [None, unit.pk],
            "year": [None, template.year],
            "previous_score": [None, previous_score],
        },
    )
    return evaluation


def _check_evidence_file(upload: UploadedFile) -> str:
    """The name to show for an acceptable evidence file, else ApplicationError."""
    check_uploaded_file(EVIDENCE_RULE, upload)
    return (upload.name or "")[-255:]


ANSWER_FIELDS = ["option", "evidence_text", "evidence_link", "evidence_filename"]


@transaction.atomic
def answer_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    criterion: Criterion,
    option_code: str,
    evidence_text: str = "",
    evidence_link: str = "",
    evidence_file: UploadedFile | None = None,
    remove_file: bool = False,
) -> Answer:
    """The unit's answer to a criterion with its evidence; a changed answer waits for a new review."""
    evaluation = locked_evaluation(evaluation)
    require_open(evaluation)
    if not can_answer(actor, evaluation):
        raise refuse(_("You may only answer the LKE of your own unit."), code="forbidden")
    if criterion.subcomponent.component.template_id != evaluation.template_id:
        raise refuse(_("This criterion is not part of the evaluation's LKE."))
    option = AnswerOption.objects.filter(scale_id=criterion.scale_id, code=option_code).first()
    if option is None:
        raise refuse(_("Choose one of the answers offered for this criterion."), field="option")
    evidence_link = (evidence_link or "").strip()
    if evidence_link:
        try:
            URLValidator(schemes=["http", "https"])(evidence_link)
        except ValidationError as exc:
            raise refuse(
                _("The evidence link is not a valid web address (http:// or https://)."),
                field="evidence_link",
            ) from exc
    filename = _check_evidence_file(evidence_file) if evidence_file is not None else None
    answer = Answer.objects.filter(evaluation=evaluation, criterion=criterion).first()
    created = answer is None
    if answer is None:
        answer = Answer(evaluation=evaluation, criterion=criterion)
        before: dict[str, Any] = dict.fromkeys(ANSWER_FIELDS)
    else:
        before = audit.snapshot(answer, ANSWER_FIELDS)
    answer.option = option
    answer.evidence_text = evidence_text.strip()
    answer.evidence_link = evidence_link
    answer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    old_file = answer.evidence_file.name if answer.evidence_file else ""
    if remove_file and old_file:
        answer.evidence_file = None
        answer.evidence_filename = ""
    has_evidence = bool(
        answer.evidence_text or answer.evidence_link or filename or answer.evidence_filename
    )
    if option.value > 0 and not has_evidence:
        raise refuse(
            _("Give the evidence for this answer: a description, a link or a file."),
            field="evidence_text",
        )
    if created:
        answer.save()  # the file path needs the ids
    if evidence_file is not None and filename is not None:
        answer.evidence_file.save(evidence_file.name or "bukti", evidence_file, save=False)
        answer.evidence_filename = filename
    changes = audit.changes_between(before, audit.snapshot(answer, ANSWER_FIELDS))
    if changes or evidence_file is not None:
        # a changed answer must be reviewed again
        answer.accepted = None
        answer.reviewed_option = None
    answer.save()
    if old_file and old_file != (answer.evidence_file.name if answer.evidence_file else ""):
        transaction.on_commit(lambda: answer.evidence_file.storage.delete(old_file))
    if changes or evidence_file is not None or created:
        audit.record(
            actor=actor,
            action=AuditAction.ANSWER_SAVED,
            target=evaluation,
            changes=changes,
            extra={"criterion": criterion.code, "file_attached": evidence_file is not None},
        )
    return answer


@transaction.atomic
def answer_review(
    *,
    actor: Any,
    answer: Answer,
    accepted: bool,
    reviewed_option_code: str = "",
    note: str = "",
) -> Answer:
    """The planning officer's review: accepted or not, the answer they count, and notes."""
    require_manager(actor)
    evaluation = locked_evaluation(answer.evaluation)
    require_open(evaluation)
    answer = Answer.objects.select_related("criterion").get(pk=answer.pk)
    reviewed = None
    if reviewed_option_code:
        reviewed = AnswerOption.objects.filter(
            scale_id=answer.criterion.scale_id, code=reviewed_option_code
        ).first()
        if reviewed is None:
            raise refuse(
                _("Choose one of the answers offered for this criterion."),
                field="reviewed_option",
            )
    if not accepted and not note.strip():
        raise refuse(
            _("Say in the notes why the answer is not accepted, so the unit can correct it."),
            field="review_note",
        )
    fields = ["accepted", "reviewed_option", "review_note"]
    before = audit.snapshot(answer, fields)
    answer.accepted = accepted
    answer.reviewed_option = reviewed if reviewed and reviewed.pk != answer.option_id else None
    answer.review_note = note.strip()
    answer.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    answer.reviewed_at = timezone.now()
    answer.save()
    audit.record(
        actor=actor,
        action=AuditAction.ANSWER_REVIEWED,
        target=evaluation,
        changes=audit.changes_between(before, audit.snapshot(answer, fields)),
        extra={"criterion": answer.criterion.code},
    )
    return answer


@transaction.atomic
def previous_score_set(
    *, actor: Any, evaluation: Evaluation, previous_score: Decimal | None
) -> Evaluation:
    """Last year's score, for units whose previous evaluation was done outside Sinergi."""
    require_manager(actor)
    evaluation = locked_evaluation(evaluation)
    if previous_score is not None and not (0 <= previous_score <= 100):
        raise refuse(_("A score lies between 0 and 100."), field="previous_score")
    before = evaluation.previous_score
    evaluation.previous_score = previous_score
    evaluation.save(update_fields=["previous_score", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.PREVIOUS_SCORE_SET,
        target=evaluation,
        changes={"previous_score": [before, previous_score]},
    )
    return evaluation


@transaction.atomic
def evaluation_finalise(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    """Compute the score and grade, and lock the evaluation (answers can no longer change)."""
    require_manager(actor)
    evaluation = locked_evaluation(evaluation)
    require_open(evaluation)
    pending = Answer.objects.filter(evaluation=evaluation, accepted__isnull=True).count()
    if pending:
        raise refuse(
            _(
                "%(count)s answer(s) have not been reviewed yet. Review every answer (accept it or "
                "not) before finalising."
            )
            % {"count": pending},
            code="not_reviewed",
        )
    score = scoring.score_of(evaluation)
    band = scoring.grade_for(score)
    if band is None:
        raise refuse(_("The grade bands are missing from the reference data."))
    evaluation.score = score
    evaluation.grade = band.code
    evaluation.status = Evaluation.Status.FINAL
    evaluation.finalised_at = timezone.now()
    evaluation.finalised_by = actor if getattr(actor, "is_authenticated", False) else None
    evaluation.save()
    audit.record(
        actor=actor,
        action=AuditAction.EVALUATION_FINALISED,
        target=evaluation,
        changes={
            "status": [Evaluation.Status.OPEN, Evaluation.Status.FINAL],
            "score": [None, str(score)],
            "grade": [None, band.code],
        },
    )
    return evaluation


@transaction.atomic
def evaluation_unlock(*, actor: Any, evaluation: Evaluation, reason: str) -> Evaluation:
    """Reopen a final evaluation; the reason is kept in the audit trail."""
    require_manager(actor)
    evaluation = locked_evaluation(evaluation)
    if not evaluation.is_final:
        raise refuse(_("The evaluation is not final, so there is nothing to unlock."))
    if not reason.strip():
        raise refuse(_("Give the reason for unlocking the evaluation."), field="reason")
    before = {
        "status": evaluation.status,
        "score": str(evaluation.score),
        "grade": evaluation.grade,
    }
    evaluation.status = Evaluation.Status.OPEN
    evaluation.score = None
    evaluation.grade = ""
    evaluation.finalised_at = None
    evaluation.finalised_by = None
    evaluation.save()
    audit.record(
        actor=actor,
        action=AuditAction.EVALUATION_UNLOCKED,
        target=evaluation,
        changes={
            k: [v, None if k != "status" else Evaluation.Status.OPEN] for k, v in before.items()
        },
        extra={"reason": reason.strip()},
    )
    return evaluation

"""Writes of the SAKIP evaluation: LKE templates and weights, evaluations, answers with evidence,
reviews, finalising (locks) and unlocking, recommendations and their follow-up. Every change writes
an audit event in the same transaction; a refused write leaves nothing saved."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.sakip import scoring
from sinergi.sakip.models import (
    Answer,
    AnswerOption,
    AnswerScale,
    AuditAction,
    Component,
    Criterion,
    Evaluation,
    Recommendation,
    SubComponent,
    Template,
)
from sinergi.sakip.permissions import can_answer, can_follow_up, can_manage

STANDARD_TEMPLATE = Path(__file__).resolve().parent / "data" / "lke_permenpanrb_88_2021.json"
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# extension -> the first bytes every such file starts with
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
}


def _refuse(message: str, *, code: str = "invalid", field: str | None = None) -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def _require_manager(actor: Any) -> None:
    if not can_manage(actor):
        raise _refuse(
            _("Only the planning officer may do this. Ask the planning staff."), code="forbidden"
        )


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.is_final:
        raise _refuse(
            _(
                "The evaluation of %(unit)s for %(year)s is final and locked. Ask the planning "
                "officer to unlock it first."
            )
            % {"unit": evaluation.unit.name, "year": evaluation.year},
            code="locked",
        )


# --- Templates ----------------------------------------------------------------------------------


def _structure_from_template(template: Template) -> dict[str, Any]:
    components = []
    for comp in template.components.prefetch_related("subcomponents__criteria__scale"):
        components.append(
            {
                "code": comp.code,
                "name": comp.name,
                "weight": str(comp.weight),
                "subcomponents": [
                    {
                        "code": sub.code,
                        "name": sub.name,
                        "weight": str(sub.weight),
                        "criteria": [
                            {
                                "code": c.code,
                                "text": c.text,
                                "guidance": c.guidance,
                                "weight": str(c.weight),
                                "scale": c.scale.code,
                            }
                            for c in sub.criteria.all()
                        ],
                    }
                    for sub in comp.subcomponents.all()
                ],
            }
        )
    return {"name": template.name, "source": template.source, "components": components}


def _check_structure(components: list[dict[str, Any]]) -> None:
    problems = scoring.weight_problems(
        [
            (
                c["name"],
                Decimal(c["weight"]),
                [
                    (s["name"], Decimal(s["weight"]), [Decimal(k["weight"]) for k in s["criteria"]])
                    for s in c["subcomponents"]
                ],
            )
            for c in components
        ]
    )
    if problems:
        raise ApplicationError(
            " ".join(problems) + " " + _("Correct the weights so that each level adds up to 100."),
            code="weights",
        )


@transaction.atomic
def template_create(*, actor: Any, year: int, copy_from: Template | None = None) -> Template:
    """The LKE of `year`, copied from another year's or from the standard structure (data file)."""
    _require_manager(actor)
    if Template.objects.filter(year=year).exists():
        raise _refuse(
            _("The LKE for %(year)s already exists. Open it and change its weights instead.")
            % {"year": year},
            field="year",
        )
    if copy_from is not None:
        structure = _structure_from_template(copy_from)
    else:
        structure = json.loads(STANDARD_TEMPLATE.read_text(encoding="utf-8"))
    _check_structure(structure["components"])
    scales = {s.code: s for s in AnswerScale.objects.all()}
    template = Template(year=year, name=structure["name"], source=structure.get("source", ""))
    template.full_clean()
    template.save()
    criteria = []
    for ci, comp_data in enumerate(structure["components"]):
        comp = Component.objects.create(
            template=template,
            code=comp_data["code"],
            name=comp_data["name"],
            weight=Decimal(comp_data["weight"]),
            order=ci,
        )
        for si, sub_data in enumerate(comp_data["subcomponents"]):
            sub = SubComponent.objects.create(
                component=comp,
                code=sub_data["code"],
                name=sub_data["name"],
                weight=Decimal(sub_data["weight"]),
                order=si,
            )
            for ki, crit in enumerate(sub_data["criteria"]):
                scale = scales.get(crit["scale"])
                if scale is None:
                    raise _refuse(
                        _("The answer scale %(code)s is missing from the reference data.")
                        % {"code": crit["scale"]}
                    )
                criteria.append(
                    Criterion(
                        subcomponent=sub,
                        code=crit["code"],
                        text=crit["text"],
                        guidance=crit.get("guidance", ""),
                        weight=Decimal(crit["weight"]),
                        scale=scale,
                        order=ki,
                    )
                )
    Criterion.objects.bulk_create(criteria)
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_CREATED,
        target=template,
        changes={"year": [None, year]},
        extra={
            "copied_from": copy_from.year if copy_from else "standard",
            "criteria": len(criteria),
        },
    )
    return template


@transaction.atomic
def template_weights_set(
    *, actor: Any, template: Template, weights: dict[str, Decimal]
) -> Template:
    """Set the weights (keys "component-<id>", "subcomponent-<id>", "criterion-<id>"); every level
    must add up to 100, else nothing is saved and the message names the sums."""
    _require_manager(actor)
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.evaluations.filter(status=Evaluation.Status.FINAL).exists():
        raise _refuse(
            _(
                "An evaluation on this LKE is already final, so its weights can no longer change. "
                "Unlock the final evaluations first."
            ),
            code="locked",
        )
    components = list(template.components.prefetch_related("subcomponents__criteria"))
    changes: dict[str, list[Any]] = {}
    objects: list[Any] = []
    for comp in components:
        objects.append(comp)
        for sub in comp.subcomponents.all():
            objects.append(sub)
            objects.extend(sub.criteria.all())
    kinds = {Component: "component", SubComponent: "subcomponent", Criterion: "criterion"}
    for obj in objects:
        key = f"{kinds[type(obj)]}-{obj.pk}"
        if key in weights and weights[key] is not None:
            new = Decimal(weights[key])
            if new < 0 or new > 100:
                raise _refuse(
                    _("A weight must lie between 0 and 100 (%(code)s).") % {"code": obj.code}
                )
            if new != obj.weight:
                changes[f"{obj.code} {kinds[type(obj)]}"] = [str(obj.weight), str(new)]
                obj.weight = new
    problems = scoring.weight_problems(
        [
            (
                c.name,
                c.weight,
                [
                    (s.name, s.weight, [k.weight for k in s.criteria.all()])
                    for s in c.subcomponents.all()
                ],
            )
            for c in components
        ]
    )
    if problems:
        raise ApplicationError(
            " ".join(problems)
            + " "
            + _("Nothing was saved. Correct the weights so that each level adds up to 100."),
            code="weights",
        )
    if changes:
        Component.objects.bulk_update([o for o in objects if type(o) is Component], ["weight"])
        SubComponent.objects.bulk_update(
            [o for o in objects if type(o) is SubComponent], ["weight"]
        )
        Criterion.objects.bulk_update([o for o in objects if type(o) is Criterion], ["weight"])
        audit.record(
            actor=actor, action=AuditAction.WEIGHTS_CHANGED, target=template, changes=changes
        )
    return template


# --- Evaluations --------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(
    *, actor: Any, template: Template, unit: Any, previous_score: Decimal | None = None
) -> Evaluation:
    """Start the evaluation of `unit` against the LKE of the template's year."""
    _require_manager(actor)
    if Evaluation.objects.filter(template=template, unit=unit).exists():
        raise _refuse(
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


def _locked_evaluation(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("unit", "template")
        .get(pk=evaluation.pk)
    )


def _check_evidence_file(upload: UploadedFile) -> str:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted(EVIDENCE_SIGNATURES))
    if extension not in EVIDENCE_SIGNATURES:
        raise _refuse(
            _("Files of this type cannot be attached. Attach one of: %(types)s.")
            % {"types": allowed},
            field="evidence_file",
        )
    if upload.size and upload.size > EVIDENCE_MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(mb)s MB. Attach a smaller file or give a link instead.")
            % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            field="evidence_file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension]):
        raise _refuse(
            _("The file is not a real .%(ext)s file (its content does not match). Check the file.")
            % {"ext": extension},
            field="evidence_file",
        )
    return name[-255:]


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
    evaluation = _locked_evaluation(evaluation)
    _require_open(evaluation)
    if not can_answer(actor, evaluation):
        raise _refuse(_("You may only answer the LKE of your own unit."), code="forbidden")
    if criterion.subcomponent.component.template_id != evaluation.template_id:
        raise _refuse(_("This criterion is not part of the evaluation's LKE."))
    option = AnswerOption.objects.filter(scale_id=criterion.scale_id, code=option_code).first()
    if option is None:
        raise _refuse(_("Choose one of the answers offered for this criterion."), field="option")
    evidence_link = (evidence_link or "").strip()
    if evidence_link:
        try:
            URLValidator(schemes=["http", "https"])(evidence_link)
        except ValidationError as exc:
            raise _refuse(
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
        raise _refuse(
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
    _require_manager(actor)
    evaluation = _locked_evaluation(answer.evaluation)
    _require_open(evaluation)
    answer = Answer.objects.select_related("criterion").get(pk=answer.pk)
    reviewed = None
    if reviewed_option_code:
        reviewed = AnswerOption.objects.filter(
            scale_id=answer.criterion.scale_id, code=reviewed_option_code
        ).first()
        if reviewed is None:
            raise _refuse(
                _("Choose one of the answers offered for this criterion."),
                field="reviewed_option",
            )
    if not accepted and not note.strip():
        raise _refuse(
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
    _require_manager(actor)
    evaluation = _locked_evaluation(evaluation)
    if previous_score is not None and not (0 <= previous_score <= 100):
        raise _refuse(_("A score lies between 0 and 100."), field="previous_score")
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
    _require_manager(actor)
    evaluation = _locked_evaluation(evaluation)
    _require_open(evaluation)
    pending = Answer.objects.filter(evaluation=evaluation, accepted__isnull=True).count()
    if pending:
        raise _refuse(
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
        raise _refuse(_("The grade bands are missing from the reference data."))
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
    _require_manager(actor)
    evaluation = _locked_evaluation(evaluation)
    if not evaluation.is_final:
        raise _refuse(_("The evaluation is not final, so there is nothing to unlock."))
    if not reason.strip():
        raise _refuse(_("Give the reason for unlocking the evaluation."), field="reason")
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


# --- Recommendations ----------------------------------------------------------------------------

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
    _require_manager(actor)
    if not text.strip():
        raise _refuse(_("Write the recommendation."), field="text")
    if component is not None and component.template_id != evaluation.template_id:
        raise _refuse(_("Choose a component of this evaluation's LKE."), field="component")
    if due_on < dt.date(evaluation.year, 1, 1):
        raise _refuse(
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
        raise _refuse(
            _("Only the responsible unit or the planning officer may follow this up."),
            code="forbidden",
        )
    if status not in Recommendation.Status.values:
        raise _refuse(_("Choose a status from the list."), field="status")
    if status == Recommendation.Status.DONE and not follow_up.strip():
        raise _refuse(
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

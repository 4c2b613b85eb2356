"""Writes of the SAKIP evaluation: LKE templates and weights, evaluations, answers with evidence,
reviews, finalising (locks) and unlocking, recommendations and their follow-up. Every change writes
an audit event in the same transaction; a refused write leaves nothing saved."""

from sinergi.sakip.services.evaluations import (
    EVIDENCE_RULE,
    answer_review,
    answer_save,
    evaluation_create,
    evaluation_finalise,
    evaluation_unlock,
    previous_score_set,
)
from sinergi.sakip.services.recommendations import recommendation_create, recommendation_follow_up
from sinergi.sakip.services.templates import (
    STANDARD_TEMPLATE,
    template_create,
    template_weights_set,
)

__all__ = [
    "EVIDENCE_RULE",
    "STANDARD_TEMPLATE",
    "answer_review",
    "answer_save",
    "evaluation_create",
    "evaluation_finalise",
    "evaluation_unlock",
    "previous_score_set",
    "recommendation_create",
    "recommendation_follow_up",
    "template_create",
    "template_weights_set",
]

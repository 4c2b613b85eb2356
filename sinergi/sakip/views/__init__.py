"""SAKIP pages: the summary of a year, the worksheet (LKE) of an evaluation, answers, reviews,
finalising, recommendations, LKE templates and weights, an xlsx summary and a PDF report."""

from sinergi.sakip.views.evaluations import (
    answer_edit,
    answer_review,
    evaluation_create,
    evaluation_detail,
    evidence_download,
    finalise,
    previous_score,
    report_pdf,
    summary,
    summary_xlsx,
    unlock,
)
from sinergi.sakip.views.recommendations import (
    recommendation_create,
    recommendation_edit,
    recommendation_list,
)
from sinergi.sakip.views.templates import template_detail, template_list

__all__ = [
    "answer_edit",
    "answer_review",
    "evaluation_create",
    "evaluation_detail",
    "evidence_download",
    "finalise",
    "previous_score",
    "recommendation_create",
    "recommendation_edit",
    "recommendation_list",
    "report_pdf",
    "summary",
    "summary_xlsx",
    "template_detail",
    "template_list",
    "unlock",
]

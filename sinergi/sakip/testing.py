"""Test helpers: the standard LKE of a year and an evaluation with answers."""

from typing import Any

from sinergi.sakip import services
from sinergi.sakip.models import Criterion, Evaluation, Template


def make_template(year: int = 2025) -> Template:
    existing = Template.objects.filter(year=year).first()
    return existing or services.template_create(actor=None, year=year)


def criteria_of(template: Template) -> list[Criterion]:
    return list(
        Criterion.objects.filter(subcomponent__component__template=template)
        .select_related("scale", "subcomponent__component")
        .order_by("subcomponent__component__order", "subcomponent__order", "order")
    )


def make_evaluation(unit: Any, year: int = 2025, **kwargs: Any) -> Evaluation:
    return services.evaluation_create(actor=None, template=make_template(year), unit=unit, **kwargs)


def answer_all(
    evaluation: Evaluation, yes: str = "Y", grade: str = "A", review: bool = True
) -> None:
    """Answer every criterion (Y/T criteria with `yes`, A-E with `grade`), accepted when `review`."""
    for criterion in criteria_of(evaluation.template):
        answer = services.answer_save(
            actor=None,
            evaluation=evaluation,
            criterion=criterion,
            option_code=yes if criterion.scale.code == "YT" else grade,
            evidence_text="Dokumen tersedia",
        )
        if review:
            services.answer_review(actor=None, answer=answer, accepted=True)

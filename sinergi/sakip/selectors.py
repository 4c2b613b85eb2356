"""Reads of the SAKIP evaluation, scoped to the viewer: the summary of a year with last year's
scores, one evaluation's worksheet by component with progress, evidence, and the recommendations
tracker. A fixed number of queries whatever the number of units or criteria."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sinergi.core.pagination import Page, keyset_page
from sinergi.sakip import scoring
from sinergi.sakip.models import (
    Answer,
    AnswerOption,
    Component,
    Criterion,
    Evaluation,
    GradeBand,
    Recommendation,
    SubComponent,
    Template,
)
from sinergi.sakip.permissions import access_evaluation, scope_evaluations, scope_recommendations


def template_list() -> QuerySet[Template]:
    return Template.objects.order_by("-year")


def template_get(*, pk: Any) -> Template:
    try:
        return Template.objects.get(pk=pk)
    except (Template.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def template_for_year(year: Any) -> Template | None:
    try:
        return Template.objects.filter(year=int(year)).first() if year else None
    except (TypeError, ValueError):
        return None


def template_components(template: Template) -> list[Component]:
    """Components with their sub-components and criteria (3 queries)."""
    return list(
        template.components.prefetch_related(
            Prefetch(
                "subcomponents",
                queryset=SubComponent.objects.prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.select_related("scale"))
                ),
            )
        )
    )


def grade_bands() -> list[GradeBand]:
    return list(GradeBand.objects.all())


def options_by_scale() -> dict[int, list[AnswerOption]]:
    found: dict[int, list[AnswerOption]] = {}
    for option in AnswerOption.objects.order_by("scale_id", "order"):
        found.setdefault(option.scale_id, []).append(option)
    return found


# --- The summary of a year ----------------------------------------------------------------------


@dataclass
class SummaryRow:
    evaluation: Evaluation
    previous_score: Decimal | None
    answered: int = 0
    total: int = 0

    @property
    def change(self) -> Decimal | None:
        if self.evaluation.score is None or self.previous_score is None:
            return None
        return self.evaluation.score - self.previous_score


def previous_scores(evaluations: list[Evaluation]) -> dict[int, Decimal | None]:
    """Per evaluation: last year's final score of the same unit, else the score typed in."""
    if not evaluations:
        return {}
    keys = {(e.unit_id, e.year - 1) for e in evaluations}
    finals = {
        (unit_id, year): score
        for unit_id, year, score in Evaluation.objects.filter(
            unit_id__in={k[0] for k in keys},
            year__in={k[1] for k in keys},
            status=Evaluation.Status.FINAL,
        ).values_list("unit_id", "year", "score")
    }
    return {e.pk: finals.get((e.unit_id, e.year - 1), e.previous_score) for e in evaluations}


def evaluation_summary(*, viewer: Any, year: int) -> list[SummaryRow]:
    """Every evaluation of the year in the viewer's scope with progress and last year (4 queries)."""
    evaluations = list(
        scope_evaluations(Evaluation.objects.filter(year=year), viewer)
        .select_related("unit", "template")
        .order_by("unit__path", "id")
    )
    previous = previous_scores(evaluations)
    answered = dict(
        _count_by(
            Answer.objects.filter(evaluation__in=[e.pk for e in evaluations]), "evaluation_id"
        )
    )
    totals = dict(
        _count_by(
            Criterion.objects.filter(
                subcomponent__component__template_id__in={e.template_id for e in evaluations}
            ),
            "subcomponent__component__template_id",
        )
    )
    return [
        SummaryRow(
            evaluation=e,
            previous_score=previous.get(e.pk),
            answered=answered.get(e.pk, 0),
            total=totals.get(e.template_id, 0),
        )
        for e in evaluations
    ]


def _count_by(queryset: QuerySet[Any], key: str) -> list[tuple[Any, int]]:
    from django.db.models import Count

    return list(queryset.values_list(key).annotate(n=Count("*")).order_by())


def evaluation_years() -> list[int]:
    return list(Template.objects.order_by("-year").values_list("year", flat=True))


def evaluation_list(*, viewer: Any, year: int | None = None) -> QuerySet[Evaluation]:
    queryset = scope_evaluations(Evaluation.objects.select_related("unit"), viewer)
    return queryset.filter(year=year) if year else queryset


def evaluation_get(*, viewer: Any, pk: Any) -> Evaluation:
    return access_evaluation(viewer, pk)


# --- The worksheet ------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion: Criterion
    points: Decimal
    options: list[AnswerOption]
    answer: Answer | None = None

    @property
    def earned(self) -> Decimal:
        if self.answer is None:
            return Decimal("0")
        option = self.answer.reviewed_option or self.answer.option
        return self.points * option.value


@dataclass
class ComponentBlock:
    component: Component
    rows: list[tuple[SubComponent, list[CriterionRow]]] = field(default_factory=list)

    @property
    def criteria(self) -> list[CriterionRow]:
        return [row for _sub, rows in self.rows for row in rows]

    @property
    def answered(self) -> int:
        return sum(1 for r in self.criteria if r.answer is not None)

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def progress(self) -> int:
        return int(self.answered * 100 / self.total) if self.total else 0

    @property
    def score(self) -> Decimal:
        return scoring.quantize(sum((r.earned for r in self.criteria), Decimal("0")))


@dataclass
class Worksheet:
    evaluation: Evaluation
    blocks: list[ComponentBlock]
    previous_score: Decimal | None
    bands: list[GradeBand]

    @property
    def answered(self) -> int:
        return sum(b.answered for b in self.blocks)

    @property
    def total(self) -> int:
        return sum(b.total for b in self.blocks)

    @property
    def reviewed(self) -> int:
        return sum(
            1 for b in self.blocks for r in b.criteria if r.answer and r.answer.accepted is not None
        )

    @property
    def progress(self) -> int:
        return int(self.answered * 100 / self.total) if self.total else 0

    @property
    def score(self) -> Decimal:
        """The final score, or the provisional one from the answers so far."""
        if self.evaluation.score is not None:
            return self.evaluation.score
        return scoring.quantize(sum((b.score for b in self.blocks), Decimal("0")))

    @property
    def grade(self) -> str:
        if self.evaluation.grade:
            return self.evaluation.grade
        band = scoring.grade_for(self.score, self.bands)
        return band.code if band else ""

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_score is None else self.score - self.previous_score


def worksheet(evaluation: Evaluation) -> Worksheet:
    """The LKE of the evaluation by component, with answers, points and progress (7 queries)."""
    components = template_components(evaluation.template)
    answers = {
        a.criterion_id: a
        for a in Answer.objects.filter(evaluation=evaluation).select_related(
            "option", "reviewed_option"
        )
    }
    options = options_by_scale()
    blocks = []
    for comp in components:
        block = ComponentBlock(component=comp)
        for sub in comp.subcomponents.all():
            rows = [
                CriterionRow(
                    criterion=c,
                    points=c.weight * sub.weight * comp.weight / Decimal("10000"),
                    options=options.get(c.scale_id, []),
                    answer=answers.get(c.pk),
                )
                for c in sub.criteria.all()
            ]
            block.rows.append((sub, rows))
        blocks.append(block)
    previous = previous_scores([evaluation]).get(evaluation.pk)
    return Worksheet(
        evaluation=evaluation, blocks=blocks, previous_score=previous, bands=grade_bands()
    )


def criterion_get(evaluation: Evaluation, criterion_id: Any) -> Criterion:
    try:
        return Criterion.objects.select_related("subcomponent__component", "scale").get(
            pk=criterion_id, subcomponent__component__template_id=evaluation.template_id
        )
    except (Criterion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def answer_for(evaluation: Evaluation, criterion: Criterion) -> Answer | None:
    return (
        Answer.objects.select_related("option", "reviewed_option")
        .filter(evaluation=evaluation, criterion=criterion)
        .first()
    )


def evidence_get(*, viewer: Any, answer_id: Any) -> Answer:
    """An answer with an evidence file, if its evaluation lies in the viewer's scope (else 404)."""
    try:
        answer = Answer.objects.select_related("evaluation").get(pk=answer_id)
    except (Answer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    access_evaluation(viewer, answer.evaluation_id)
    if not answer.evidence_file:
        raise Http404
    return answer


# --- Recommendations ----------------------------------------------------------------------------

RECOMMENDATION_ORDERING = ("due_on", "id")


def recommendation_list(
    *,
    viewer: Any,
    status: str = "",
    year: int | None = None,
    evaluation: Evaluation | None = None,
) -> QuerySet[Recommendation]:
    queryset = scope_recommendations(Recommendation.objects.all(), viewer).select_related(
        "owner_unit", "evaluation__unit", "component"
    )
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(evaluation__year=year)
    if evaluation is not None:
        queryset = queryset.filter(evaluation=evaluation)
    return queryset


def recommendation_page(
    *, viewer: Any, status: str = "", year: int | None = None, cursor: str | None = None
) -> Page:
    return keyset_page(
        recommendation_list(viewer=viewer, status=status, year=year),
        ordering=RECOMMENDATION_ORDERING,
        cursor=cursor,
        size=50,
    )


def recommendation_get(*, viewer: Any, pk: Any) -> Recommendation:
    try:
        return recommendation_list(viewer=viewer).get(pk=pk)
    except (Recommendation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc

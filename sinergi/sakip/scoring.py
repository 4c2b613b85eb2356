"""The arithmetic of the LKE: points per criterion, the score of an evaluation, its grade, and
the weight checks (each level adds up to 100). Shared by services and selectors."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from sinergi.sakip.models import Answer, AnswerOption, Criterion, GradeBand, Template

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def criterion_points(template: Template) -> dict[int, Decimal]:
    """Points a full answer to each criterion is worth (the template's criteria add up to 100)."""
    rows = Criterion.objects.filter(subcomponent__component__template=template).values_list(
        "id", "weight", "subcomponent__weight", "subcomponent__component__weight"
    )
    return {pk: w * sw * cw / (HUNDRED * HUNDRED) for pk, w, sw, cw in rows}


def option_values(option_ids: Iterable[int]) -> dict[int, Decimal]:
    return dict(AnswerOption.objects.filter(id__in=set(option_ids)).values_list("id", "value"))


def score_of(evaluation: Any, points: dict[int, Decimal] | None = None) -> Decimal:
    """Sum over the answered criteria of points x answer value (the reviewed answer when set)."""
    points = points if points is not None else criterion_points(evaluation.template)
    answers = list(
        Answer.objects.filter(evaluation=evaluation).values_list(
            "criterion_id", "option_id", "reviewed_option_id"
        )
    )
    values = option_values(r or o for _c, o, r in answers)
    total = sum(
        (points.get(c, ZERO) * values[r or o] for c, o, r in answers),
        ZERO,
    )
    return quantize(total)


def grade_for(score: Decimal | None, bands: list[GradeBand] | None = None) -> GradeBand | None:
    """The band whose lower bound the score exceeds (the highest such band); DOMAIN.md 5.3."""
    if score is None:
        return None
    bands = bands if bands is not None else list(GradeBand.objects.all())
    ranked = sorted(bands, key=lambda b: b.above if b.above is not None else Decimal("-1"))
    found = None
    for band in ranked:
        if band.above is None or score > band.above:
            found = band
    return found


def weight_problems(
    components: list[tuple[str, Decimal, list[tuple[str, Decimal, list[Decimal]]]]],
) -> list[str]:
    """Messages naming every level whose weights do not add up to 100.

    `components` is [(component name, weight, [(sub-component name, weight, [criterion weights])])].
    """
    problems = []
    total = sum((w for _n, w, _s in components), ZERO)
    if total != HUNDRED:
        problems.append(
            _("The component weights add up to %(sum)s, not 100.") % {"sum": _fmt(total)}
        )
    for name, _weight, subs in components:
        sub_total = sum((w for _n, w, _c in subs), ZERO)
        if sub_total != HUNDRED:
            problems.append(
                _("The sub-component weights of '%(name)s' add up to %(sum)s, not 100.")
                % {"name": name, "sum": _fmt(sub_total)}
            )
        for sub_name, _w, criteria in subs:
            crit_total = sum(criteria, ZERO)
            if crit_total != HUNDRED:
                problems.append(
                    _(
                        "The criterion weights of '%(component)s - %(name)s' add up to %(sum)s, not 100."
                    )
                    % {"component": name, "name": sub_name, "sum": _fmt(crit_total)}
                )
    return problems


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")

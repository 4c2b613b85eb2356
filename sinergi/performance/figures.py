"""The figures of indicators in a period as one annotated queryset (target, realisation,
achievement in SQL), shared by the selectors (pages) and the services (summary refresh)."""

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from sinergi.performance import achievement as formulas
from sinergi.performance.models import Indicator, QuarterMode, Realisation


def with_figures(
    qs: QuerySet[Indicator], *, year: int, quarter: int | None, achievement: bool = True
) -> QuerySet[Indicator]:
    """Annotate t_value, t_low, t_high, r_value, r_entered, r_verified and (unless
    `achievement=False`, for callers that compute it in Python) the achievement in SQL."""
    qs = qs.annotate(
        period_target=FilteredRelation(
            "targets",
            condition=Q(targets__year=year, targets__quarter=quarter or 0),
        )
    ).annotate(
        # plain columns (not expressions), so every database returns them with four decimals
        t_value=F("period_target__value"),
        t_low=F("period_target__low"),
        t_high=F("period_target__high"),
    )
    if quarter:
        qs = qs.annotate(
            period_realisation=FilteredRelation(
                "realisations",
                condition=Q(realisations__year=year, realisations__quarter=quarter),
            )
        ).annotate(
            r_value=F("period_realisation__value"),
            r_entered=Case(
                When(period_realisation__id__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            r_verified=Coalesce("period_realisation__verified", Value(False)),
        )
    else:
        of_year = Realisation.objects.filter(indicator=OuterRef("pk"), year=year)
        latest = Subquery(of_year.order_by("-quarter").values("value")[:1])
        total = Subquery(
            of_year.order_by().values("indicator").annotate(total=Sum("value")).values("total")[:1]
        )
        qs = qs.annotate(
            r_value=Case(
                When(quarter_mode=QuarterMode.PER_QUARTER, then=total),
                default=latest,
            ),
            r_entered=Exists(of_year),
            r_verified=Case(
                When(
                    Exists(of_year) & ~Exists(of_year.filter(verified=False)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    if not achievement:
        return qs
    return qs.annotate(
        achievement=formulas.sql_expression(
            polarity="polarity", target="t_value", realisation="r_value", low="t_low", high="t_high"
        )
    )

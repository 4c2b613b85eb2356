"""Achievement reads: targets and realisation side by side, capaian and band, per indicator, per
unit and for the office dashboard. Every figure comes from one annotated query (no per-row
queries); the dashboard aggregates in SQL (GROUP BY unit and band).

Periods: `quarter` 1-4 compares the quarter's target with the quarter's realisation (both
cumulative or both per quarter, as the indicator says); `quarter=None` compares the year's target
with the year's realisation so far (the latest quarter for cumulative indicators, the sum of the
quarters otherwise).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Q, QuerySet, Sum

from sinergi.accounts.permissions import scope_queryset
from sinergi.performance import achievement as formulas
from sinergi.performance.figures import with_figures
from sinergi.performance.models import AchievementSummary, Band, Indicator
from sinergi.performance.permissions import scope_indicators

# Pass as `viewer` for figures of the whole office outside a request (LKjIP job, demo data).
SYSTEM = object()


@dataclass(frozen=True)
class AchievementRow:
    """One indicator in one period: target, realisation, achievement (percent) and band."""

    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    polarity: str
    target: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None  # percent, per DOMAIN 5.4
    band: str | None  # band label from reference data
    automatic: bool  # filled from a metric
    verified: bool


@dataclass
class AchievementDetail:
    """An AchievementRow with what pages show beside it (range bounds, colour, unit, IKU...)."""

    row: AchievementRow
    unit_id: int
    unit_name: str
    level: str
    objective_id: int | None
    parent_id: int | None
    target_low: Decimal | None
    target_high: Decimal | None
    band_colour: str | None
    needs_attention: bool
    entered: bool
    extra: dict[str, Any] = field(default_factory=dict)


def bands(scheme: str = Band.Scheme.ACHIEVEMENT) -> list[Band]:
    """The bands of a scheme, highest first (one query)."""
    return list(Band.objects.filter(scheme=scheme))


def indicators_of_year(*, viewer: Any, year: int) -> QuerySet[Indicator]:
    """Active indicators of the Renstra period covering `year`, in the viewer's scope."""
    qs = Indicator.objects.filter(
        is_active=True, period__start_year__lte=year, period__end_year__gte=year
    )
    if viewer is SYSTEM:
        return qs
    return scope_indicators(qs, viewer)


def _display_target(indicator: Any) -> Decimal | None:
    value = indicator.t_value
    if value is None and indicator.t_low is not None and indicator.t_high is not None:
        value = (indicator.t_low + indicator.t_high) / 2
    return value


def _detail(indicator: Any, band_list: list[Band]) -> AchievementDetail:
    # The capaian is computed in Python from the exact decimals (the SQL twin serves aggregates).
    value = formulas.compute(
        indicator.polarity,
        target=indicator.t_value,
        realisation=indicator.r_value,
        low=indicator.t_low,
        high=indicator.t_high,
    )
    band = formulas.band_of(value, band_list)
    row = AchievementRow(
        indicator_id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        unit_of_measure=indicator.unit_of_measure,
        polarity=indicator.polarity,
        target=_display_target(indicator),
        realisation=indicator.r_value,
        achievement=value,
        band=band.label if band else None,
        automatic=bool(indicator.metric_code),
        verified=bool(indicator.r_verified),
    )
    return AchievementDetail(
        row=row,
        unit_id=indicator.unit_id,
        unit_name=indicator.unit.name,
        level=indicator.level,
        objective_id=indicator.objective_id,
        parent_id=indicator.parent_id,
        target_low=indicator.t_low,
        target_high=indicator.t_high,
        band_colour=band.colour if band else None,
        needs_attention=bool(band and band.needs_attention),
        entered=bool(indicator.r_entered),
    )


def achievement_details(
    indicators: QuerySet[Indicator], *, year: int, quarter: int | None
) -> list[AchievementDetail]:
    """Each indicator of `indicators` with its figures (2 queries: bands, indicators)."""
    band_list = bands()
    qs = with_figures(
        indicators.select_related("unit"), year=year, quarter=quarter, achievement=False
    )
    return [_detail(i, band_list) for i in qs.order_by("unit__path", "sort_order", "code", "pk")]


def indicator_periods(indicator: Indicator, *, year: int) -> dict[int, AchievementDetail]:
    """One indicator's figures for the year (key 0) and each quarter (1-4) (6 queries)."""
    band_list = bands()
    base = Indicator.objects.filter(pk=indicator.pk).select_related("unit")
    return {
        quarter: _detail(
            with_figures(base, year=year, quarter=quarter or None, achievement=False).get(),
            band_list,
        )
        for quarter in range(0, 5)
    }


def unit_achievements(
    *, viewer: Any, unit_id: int, year: int, quarter: int | None
) -> list[AchievementRow]:
    """The indicators of one unit in a year (quarter None) or a quarter, with achievement and band.

    Only the unit's own indicators (not those of the units below it); a unit outside the viewer's
    scope gives an empty list. Two queries whatever the number of indicators.
    """
    indicators = indicators_of_year(viewer=viewer, year=year).filter(unit_id=unit_id)
    return [d.row for d in achievement_details(indicators, year=year, quarter=quarter)]


@dataclass
class UnitSummary:
    """How a unit's indicators stand in a period: counts per band and the mean achievement."""

    unit_id: int
    unit_name: str
    unit_path: str
    indicators: int = 0
    with_figure: int = 0
    verified: int = 0
    average: Decimal | None = None
    per_band: dict[int, int] = field(default_factory=dict)


def summary_rows(
    *, viewer: Any, year: int, quarter: int | None, band_ids: list[int], within: Any = None
) -> Any:
    """One row per unit of the viewer's scope from the summaries, aggregated in SQL: indicators,
    with a figure, verified, the sum of achievements and the count in each band (`band_<id>`)."""
    qs = AchievementSummary.objects.filter(year=year, quarter=quarter or 0)
    if within is not None:  # a unit: only its subtree
        qs = qs.filter(unit__path__startswith=within.path)
    if viewer is not SYSTEM:
        qs = scope_queryset(qs, viewer, unit_path_field="unit__path")
    return (
        qs.values("unit_id", "unit__name", "unit__path")
        .annotate(
            n=Sum("indicators"),
            figures=Sum("with_figure"),
            checked=Sum("verified"),
            achieved=Sum("total"),
            **{f"band_{pk}": Sum("indicators", filter=Q(band_id=pk)) for pk in band_ids},
        )
        .order_by("unit__path")
    )


def unit_summaries(
    *, viewer: Any, year: int, quarter: int | None, within: Any = None
) -> tuple[list[UnitSummary], list[Band]]:
    """Per unit: indicator count, how many have a figure, verified, mean achievement and the count
    in each band, from the summaries the services keep (2 queries, one row per unit)."""
    band_list = bands()
    found = []
    for row in summary_rows(
        viewer=viewer, year=year, quarter=quarter, band_ids=[b.pk for b in band_list], within=within
    ):
        summary = UnitSummary(
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            unit_path=row["unit__path"],
            indicators=row["n"] or 0,
            with_figure=row["figures"] or 0,
            verified=row["checked"] or 0,
            per_band={b.pk: row[f"band_{b.pk}"] or 0 for b in band_list},
        )
        if summary.with_figure and row["achieved"] is not None:
            summary.average = formulas._round(Decimal(row["achieved"]) / summary.with_figure)
        found.append(summary)
    return found, band_list


def office_average(
    *, viewer: Any, year: int, quarter: int | None, level: str | None = None
) -> Decimal | None:
    """The mean achievement of the viewer's indicators (optionally of one level) in SQL."""
    qs = indicators_of_year(viewer=viewer, year=year)
    if level:
        qs = qs.filter(level=level)
    value = with_figures(qs, year=year, quarter=quarter).aggregate(avg=Avg("achievement"))["avg"]
    return formulas._round(Decimal(value)) if value is not None else None

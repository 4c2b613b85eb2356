"""Reads behind the SPM page and the LKjIP draft (annual performance report)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sinergi.core import metrics
from sinergi.performance import achievement as formulas
from sinergi.performance.models import Band, Goal, Indicator, SpmFigure, SpmService
from sinergi.performance.selectors.achievements import (
    SYSTEM,
    AchievementDetail,
    achievement_details,
    bands,
    indicators_of_year,
)
from sinergi.performance.selectors.plan import (
    SubKegiatanAbsorption,
    absorption_of_links,
    combined_absorption,
    period_for_year,
)
from sinergi.performance.spm_sources import spm_metric
from sinergi.sakip import selectors as sakip

HUNDRED = Decimal("100")


@dataclass
class SpmRow:
    service: SpmService
    figure: SpmFigure | None
    percent: Decimal | None
    band: Band | None
    metric: metrics.Metric | None  # where the number served comes from (None: entered by hand)

    @property
    def metric_available(self) -> bool:
        return self.metric is not None


def spm_rows(*, year: int, service_id: int | None = None) -> list[SpmRow]:
    """Every provincial SPM service (or one) with the year's figures, percentage, band and the
    source of its number served (3 queries)."""
    band_list = bands(Band.Scheme.SPM)
    figures = {f.service_id: f for f in SpmFigure.objects.filter(year=year)}
    services = SpmService.objects.order_by("sort_order", "code")
    if service_id is not None:
        services = services.filter(pk=service_id)
    rows = []
    for service in services:
        figure = figures.get(service.pk)
        percent = None
        if figure is not None and figure.served is not None and figure.needing:
            percent = formulas._round(Decimal(figure.served) * HUNDRED / figure.needing)
        rows.append(
            SpmRow(
                service=service,
                figure=figure,
                percent=percent,
                band=formulas.band_of(percent, band_list),
                metric=spm_metric(service),
            )
        )
    return rows


def spm_service_get(pk: int) -> SpmService | None:
    return SpmService.objects.filter(pk=pk).first()


@dataclass
class ReportIndicator:
    detail: AchievementDetail
    last_year: Decimal | None
    absorption: list[SubKegiatanAbsorption]
    absorption_total: Decimal | None
    note: str = ""


@dataclass
class ReportObjective:
    code: str
    statement: str
    indicators: list[ReportIndicator] = field(default_factory=list)


@dataclass
class ReportGoal:
    code: str
    statement: str
    objectives: list[ReportObjective] = field(default_factory=list)


@dataclass
class Report:
    year: int
    period_name: str
    goals: list[ReportGoal]
    without_objective: list[ReportIndicator]
    average: Decimal | None
    attention: list[ReportIndicator]
    band_counts: list[tuple[Band, int]]
    spm: list[SpmRow]
    sakip: list[Any] = field(default_factory=list)  # final SAKIP evaluations of the year


def _note(item: ReportIndicator) -> str:
    """The automatic explanation of an indicator below the expected band."""
    detail = item.detail
    row = detail.row
    parts = [
        _(
            "The achievement of %(percent)s%% falls in the band “%(band)s”: the realisation "
            "%(realisation)s %(uom)s is behind the target %(target)s %(uom)s."
        )
        % {
            "percent": row.achievement,
            "band": row.band,
            "realisation": row.realisation,
            "target": row.target,
            "uom": row.unit_of_measure,
        }
    ]
    if item.last_year is not None and row.achievement is not None:
        if row.achievement < item.last_year:
            parts.append(_("It is lower than last year (%(last)s%%).") % {"last": item.last_year})
        else:
            parts.append(_("Last year it was %(last)s%%.") % {"last": item.last_year})
    if item.absorption_total is not None:
        parts.append(
            _("Budget absorption of the linked sub kegiatan: %(absorption)s%%.")
            % {"absorption": item.absorption_total}
        )
    if not row.verified:
        parts.append(_("The realisation has not been verified yet."))
    parts.append(_("The unit should explain the causes and the follow-up planned."))
    return " ".join(parts)


def lkjip(*, viewer: Any, year: int) -> Report:
    """The data of the LKjIP draft of `year`: per tujuan and sasaran each indicator's target,
    realisation, achievement and band, last year's achievement, budget absorption of its linked
    sub kegiatan, notes for indicators in a band that needs attention, SPM and the year's final
    SAKIP evaluations in the viewer's scope (fixed query count)."""
    period = period_for_year(year)
    indicators = indicators_of_year(viewer=viewer, year=year)
    details = achievement_details(indicators, year=year, quarter=None)
    last_year = {
        d.row.indicator_id: d.row.achievement
        for d in achievement_details(
            Indicator.objects.filter(pk__in=[d.row.indicator_id for d in details]),
            year=year - 1,
            quarter=None,
        )
    }
    absorption = absorption_of_links(
        viewer=viewer, indicator_ids=[d.row.indicator_id for d in details], year=year, month=12
    )
    items = []
    for detail in details:
        rows = absorption.get(detail.row.indicator_id, [])
        item = ReportIndicator(
            detail=detail,
            last_year=last_year.get(detail.row.indicator_id),
            absorption=rows,
            absorption_total=combined_absorption(rows) if rows else None,
        )
        if detail.needs_attention:
            item.note = _note(item)
        items.append(item)
    by_objective: dict[int | None, list[ReportIndicator]] = {}
    for item in items:
        by_objective.setdefault(item.detail.objective_id, []).append(item)
    goals = []
    if period is not None:
        for goal in (
            Goal.objects.filter(period=period).prefetch_related("objectives").order_by("code")
        ):
            report_goal = ReportGoal(code=goal.code, statement=goal.statement)
            for objective in sorted(goal.objectives.all(), key=lambda o: o.code):
                report_goal.objectives.append(
                    ReportObjective(
                        code=objective.code,
                        statement=objective.statement,
                        indicators=by_objective.get(objective.pk, []),
                    )
                )
            goals.append(report_goal)
    band_list = bands()
    counts = {b.label: 0 for b in band_list}
    for item in items:
        if item.detail.row.band:
            counts[item.detail.row.band] = counts.get(item.detail.row.band, 0) + 1
    values = [i.detail.row.achievement for i in items if i.detail.row.achievement is not None]
    return Report(
        year=year,
        period_name=str(period) if period else "",
        goals=goals,
        without_objective=by_objective.get(None, []),
        average=formulas._round(sum(values, Decimal(0)) / len(values)) if values else None,
        attention=[i for i in items if i.note],
        band_counts=[(b, counts.get(b.label, 0)) for b in band_list],
        spm=spm_rows(year=year),
        sakip=[]
        if viewer is SYSTEM
        else [
            row
            for row in sakip.evaluation_summary(viewer=viewer, year=year)
            if row.evaluation.is_final
        ],
    )

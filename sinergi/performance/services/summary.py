"""The achievement summaries behind the dashboard: rebuilt set-based for the units and year a
change touches, in the same transaction (so the dashboard never shows stale counts)."""

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from sinergi.performance import achievement as formulas
from sinergi.performance.figures import with_figures
from sinergi.performance.models import AchievementSummary, Band, Indicator, Realisation, Target


@transaction.atomic
def summaries_refresh(*, year: int, unit_ids: Iterable[int] | None = None) -> int:
    """Recompute the summaries of `year` (of some units only): one grouped query per period
    (the year and its four quarters). Returns the rows written."""
    ids = None if unit_ids is None else sorted(set(unit_ids))
    stale = AchievementSummary.objects.filter(year=year)
    indicators = Indicator.objects.filter(
        is_active=True, period__start_year__lte=year, period__end_year__gte=year
    )
    if ids is not None:
        stale = stale.filter(unit_id__in=ids)
        indicators = indicators.filter(unit_id__in=ids)
    stale.delete()
    band_list = list(Band.objects.filter(scheme=Band.Scheme.ACHIEVEMENT))
    rows = []
    for quarter in range(0, 5):
        grouped = (
            with_figures(indicators, year=year, quarter=quarter or None)
            .annotate(band_id=formulas.band_case(band_list, "achievement"))
            .values("unit_id", "band_id")
            .annotate(
                n=Count("pk"),
                with_figure=Count("pk", filter=Q(achievement__isnull=False)),
                verified=Count("pk", filter=Q(r_verified=True)),
                total=Sum("achievement"),
            )
            .order_by()
        )
        rows += [
            AchievementSummary(
                unit_id=row["unit_id"],
                year=year,
                quarter=quarter,
                band_id=row["band_id"],
                indicators=row["n"],
                with_figure=row["with_figure"],
                verified=row["verified"],
                total=Decimal(row["total"]).quantize(Decimal("0.0001"))
                if row["total"] is not None
                else None,
            )
            for row in grouped
        ]
    AchievementSummary.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def summaries_rebuild() -> int:
    """Rebuild every year that has targets or realisations (after a band changed)."""
    years = set(Target.objects.values_list("year", flat=True).distinct())
    years |= set(Realisation.objects.values_list("year", flat=True).distinct())
    AchievementSummary.objects.exclude(year__in=years).delete()
    return sum(summaries_refresh(year=year) for year in sorted(years))


_deferred: contextvars.ContextVar[set[tuple[int, int]] | None] = contextvars.ContextVar(
    "performance_summaries_deferred", default=None
)


@contextlib.contextmanager
def summaries_deferred() -> Iterator[None]:
    """Collect the refreshes of many writes (demo, imports) and run them once at the end."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set(set())
    try:
        yield
        pending = _deferred.get() or set()
    finally:
        _deferred.reset(token)
    by_year: dict[int, set[int]] = {}
    for year, unit_id in pending:
        by_year.setdefault(year, set()).add(unit_id)
    for year, units in sorted(by_year.items()):
        summaries_refresh(year=year, unit_ids=units)


def summaries_changed(*, years: Iterable[int], unit_ids: Iterable[int]) -> None:
    """Called by the services after a change: refresh now, or later inside summaries_deferred."""
    units = set(unit_ids)
    pending = _deferred.get()
    for year in set(years):
        if pending is not None:
            pending.update((year, unit_id) for unit_id in units)
        else:
            summaries_refresh(year=year, unit_ids=units)

"""The absorption summaries (models/summary.py): rebuilt for the units concerned in the
transaction of every write, or once at the end of a bulk write (`summaries_deferred`)."""

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce, ExtractMonth

from sinergi.budget.models import (
    AbsorptionSummary,
    BudgetLine,
    CashPlan,
    FiscalYear,
    RealisationAllocation,
)
from sinergi.budget.services.rules import ZERO

_deferred: contextvars.ContextVar[dict[int, set[int]] | None] = contextvars.ContextVar(
    "budget_summaries_deferred", default=None
)


@contextlib.contextmanager
def summaries_deferred() -> Iterator[None]:
    """Collect the summary refreshes of many writes and run them once, at the end of the block
    (imports, the demo). Use it inside the writes' transaction."""
    if _deferred.get() is not None:  # already deferred by an outer block
        yield
        return
    token = _deferred.set(defaultdict(set))
    try:
        yield
        pending = _deferred.get() or {}
    finally:
        _deferred.reset(token)
    for year_id, unit_ids in pending.items():
        summaries_refresh(fiscal_year_id=year_id, unit_ids=unit_ids)


def summaries_changed(fiscal_year_id: int, unit_ids: Iterable[int]) -> None:
    pending = _deferred.get()
    if pending is not None:
        pending[fiscal_year_id].update(unit_ids)
    else:
        summaries_refresh(fiscal_year_id=fiscal_year_id, unit_ids=unit_ids)


def summaries_changed_everywhere(fiscal_year_id: int) -> None:
    """Every unit of the year changed (a kegiatan or sub kegiatan moved to another program)."""
    units = BudgetLine.objects.filter(fiscal_year_id=fiscal_year_id).values_list(
        "unit_id", flat=True
    )
    summaries_changed(fiscal_year_id, set(units.distinct().order_by()))


def _lock_units(fiscal_year_id: int, unit_ids: Sequence[int]) -> None:
    """Serialise refreshes of the same units (PostgreSQL advisory locks, in unit order, held to the
    end of the transaction), so a refresh always sees the writes committed before it."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one write transaction at a time
    with connection.cursor() as cursor:
        for unit_id in sorted(unit_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4004 + fiscal_year_id, unit_id])


@transaction.atomic
def summaries_refresh(*, fiscal_year_id: int, unit_ids: Iterable[int] | None = None) -> int:
    """Rebuild the absorption summaries of a year (of some units only when `unit_ids` is given)
    from the lines, the cash plan and the SP2D: three grouped queries and one insert. Returns the
    number of summary rows written."""
    units = None if unit_ids is None else sorted(set(unit_ids))
    if units is not None:
        if not units:
            return 0
        _lock_units(fiscal_year_id, units)
    line_filter: dict[str, Any] = {"fiscal_year_id": fiscal_year_id}
    if units is not None:
        line_filter["unit_id__in"] = units
    program = "sub_kegiatan__kegiatan__program_id"
    rows: dict[tuple[int, int, int], AbsorptionSummary] = {}

    def row(unit_id: int, program_id: int, month: int) -> AbsorptionSummary:
        key = (unit_id, program_id, month)
        if key not in rows:
            rows[key] = AbsorptionSummary(
                fiscal_year_id=fiscal_year_id, unit_id=unit_id, program_id=program_id, month=month
            )
        return rows[key]

    year_rows = (
        BudgetLine.objects.filter(**line_filter)
        .annotate(planned=Coalesce(Sum("cash_plan__amount"), ZERO))
        .values_list("unit_id", program, "pagu", "planned")
    )
    for unit_id, program_id, pagu, planned in year_rows:
        summary = row(unit_id, program_id, 0)
        summary.pagu += pagu
        summary.plan += planned
        summary.lines += 1
        summary.mismatched_lines += planned != pagu
    lines_of = {f"line__{k}": v for k, v in line_filter.items()}
    plans = (
        CashPlan.objects.filter(**lines_of)
        .values_list("line__unit_id", f"line__{program}", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for unit_id, program_id, month, total in plans:
        row(unit_id, program_id, month).plan += total
    realised = (
        RealisationAllocation.objects.filter(**lines_of)
        .annotate(month=ExtractMonth("paid_on"))
        .values_list("line__unit_id", f"line__{program}", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for unit_id, program_id, month, total in realised:
        row(unit_id, program_id, month).realised += total
    stale = AbsorptionSummary.objects.filter(fiscal_year_id=fiscal_year_id)
    if units is not None:
        stale = stale.filter(unit_id__in=units)
    stale.delete()
    AbsorptionSummary.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


def summaries_rebuild(*, fiscal_year: FiscalYear | None = None) -> int:
    """Rebuild the summaries of one year, or of every year; returns the rows written."""
    years = [fiscal_year] if fiscal_year is not None else list(FiscalYear.objects.all())
    return sum(summaries_refresh(fiscal_year_id=year.pk) for year in years)

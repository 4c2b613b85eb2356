"""Capaian (achievement) of an indicator, DOMAIN.md 5.4, in Python and as the same SQL expression.

- higher is better (maximize): realisation / target x 100
- lower is better (minimize): (target - (realisation - target)) / target x 100 = (2t - r) / t x 100
  (PermenPANRB 8/2021's "(1 + (1 - r/t)) x 100" is the same number)
- range (low..high): 100 inside the range; below it r / low x 100; above it (2 high - r) / high x 100
- yes/no (binary): 100 when the realisation equals the target, else 0
Results are floored at 0 and rounded to two decimals; a missing target or realisation, or a zero
where the formula divides, gives None (no figure), never a made-up number.

Bands (Band rows of a scheme) turn a percentage into a label and a colour; see `band_of`.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest, Round

from sinergi.performance.models import Band, Polarity

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# Polarities whose formula divides by the target (a zero target has no meaning there).
RATIO_POLARITIES = frozenset({Polarity.MAXIMIZE, Polarity.MINIMIZE})


def _round(value: Decimal) -> Decimal:
    return max(value, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def compute(
    polarity: str,
    *,
    target: Decimal | None,
    realisation: Decimal | None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal | None:
    """The achievement percentage of one indicator in one period (None when it cannot be said)."""
    if realisation is None:
        return None
    r = Decimal(realisation)
    try:
        if polarity == Polarity.MAXIMIZE:
            if not target:
                return None
            return _round(r / Decimal(target) * HUNDRED)
        if polarity == Polarity.MINIMIZE:
            if not target:
                return None
            t = Decimal(target)
            return _round((2 * t - r) / t * HUNDRED)
        if polarity == Polarity.RANGE:
            if low is None or high is None:
                return None
            lo, hi = Decimal(low), Decimal(high)
            if lo <= r <= hi:
                return _round(HUNDRED)
            if r > hi:
                return _round((2 * hi - r) / hi * HUNDRED) if hi else None
            return _round(r / lo * HUNDRED) if lo else None
        if polarity == Polarity.BINARY:
            if target is None:
                return None
            return HUNDRED.quantize(CENT) if r == Decimal(target) else ZERO.quantize(CENT)
    except (InvalidOperation, ZeroDivisionError):
        return None
    return None


def band_of(value: Decimal | None, bands: Sequence[Band]) -> Band | None:
    """The band `value` falls in: the one with the highest minimum it reaches."""
    if value is None:
        return None
    ordered = sorted(
        bands, key=lambda b: (b.minimum is None, -(b.minimum if b.minimum is not None else 0))
    )
    for band in ordered:
        if band.minimum is None:
            return band
        if value > band.minimum or (band.inclusive and value == band.minimum):
            return band
    return None


def band_condition(band: Band, field: str) -> Q | None:
    """The SQL condition "`field` reaches `band`" (None for the catch-all band)."""
    if band.minimum is None:
        return None
    lookup = "gte" if band.inclusive else "gt"
    return Q(**{f"{field}__{lookup}": band.minimum})


def band_case(bands: Sequence[Band], field: str) -> Case:
    """CASE giving the id of the band of `field` (NULL where `field` is NULL)."""
    ordered = sorted(
        bands, key=lambda b: (b.minimum is None, -(b.minimum if b.minimum is not None else 0))
    )
    whens = [When(**{f"{field}__isnull": True}, then=Value(None))]
    catch_all = None
    for band in ordered:
        condition = band_condition(band, field)
        if condition is None:
            catch_all = band.pk
            break
        whens.append(When(condition, then=Value(band.pk)))
    return Case(*whens, default=Value(catch_all), output_field=IntegerField())


_NUMBER = DecimalField(max_digits=30, decimal_places=10)


def _wrap(expression: Any) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=_NUMBER)


def sql_expression(*, polarity: str, target: str, realisation: str, low: str, high: str) -> Case:
    """The achievement as a SQL expression over annotated/field names (same rules as `compute`).

    `polarity` names the polarity field; the others name the target, realisation and range bounds.
    """
    r, t, lo, hi = F(realisation), F(target), F(low), F(high)
    hundred = Value(HUNDRED, output_field=_NUMBER)
    zero = Value(ZERO, output_field=_NUMBER)
    two = Value(Decimal(2), output_field=_NUMBER)

    def floored(expression: Any) -> Any:
        return Round(Greatest(_wrap(expression), zero), 2)

    return Case(
        When(**{f"{realisation}__isnull": True}, then=Value(None)),
        When(
            Q(**{polarity: Polarity.MAXIMIZE})
            & ~Q(**{target: 0})
            & Q(**{f"{target}__isnull": False}),
            then=floored(r * hundred / t),
        ),
        When(
            Q(**{polarity: Polarity.MINIMIZE})
            & ~Q(**{target: 0})
            & Q(**{f"{target}__isnull": False}),
            then=floored((two * t - r) * hundred / t),
        ),
        When(
            Q(**{polarity: Polarity.RANGE})
            & Q(**{f"{low}__isnull": False, f"{high}__isnull": False})
            & Q(**{f"{realisation}__gte": lo, f"{realisation}__lte": hi}),
            then=Value(HUNDRED, output_field=_NUMBER),
        ),
        When(
            Q(**{polarity: Polarity.RANGE}) & Q(**{f"{realisation}__gt": hi}) & ~Q(**{high: 0}),
            then=floored((two * hi - r) * hundred / hi),
        ),
        When(
            Q(**{polarity: Polarity.RANGE}) & Q(**{f"{realisation}__lt": lo}) & ~Q(**{low: 0}),
            then=floored(r * hundred / lo),
        ),
        When(
            Q(**{polarity: Polarity.BINARY}) & Q(**{f"{target}__isnull": False}),
            then=Case(When(**{realisation: t}, then=hundred), default=zero),
        ),
        default=Value(None),
        output_field=_NUMBER,
    )

"""Figures that Sinergi can compute from its own records, offered to other apps by code.

A domain app that can count something useful (clients served, aid paid on time, SKP handed in on
time...) declares it in its own `metrics.py` (autodiscovered by CoreConfig) with `register`. Apps
that *use* such figures (performance indicators filled automatically, SPM "served" counts, SKP
suggested evidence) look them up here by code, so they never import the app that computes them and
the dependency stays one way.

    # sinergi/rehabilitation/metrics.py
    from sinergi.core import metrics

    @metrics.register(
        code="rehabilitation.clients_served",
        label=_("Clients served in the UPT"),
        unit_of_measure=_("people"),
        scope=metrics.Scope.UNIT,
    )
    def clients_served(query: metrics.MetricQuery) -> Decimal:
        ...

A metric of scope UNIT answers for a set of units (or the whole office when `unit_ids` is None);
a metric of scope USER answers for one user's own work (SKP suggested evidence). The period is
inclusive on both ends. A metric returns None when it has no basis for a figure (e.g. a ratio with
nothing to divide by), never a made-up zero.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


class Scope(enum.StrEnum):
    UNIT = "unit"
    USER = "user"


@dataclass(frozen=True)
class MetricQuery:
    start: date
    end: date
    unit_ids: frozenset[int] | None = None
    user_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a metric period must not end before it starts")


Compute = Callable[[MetricQuery], Decimal | None]


@dataclass(frozen=True)
class Metric:
    code: str
    label: Any  # a lazy translation
    unit_of_measure: Any
    scope: Scope
    compute: Compute
    description: Any = ""

    def value(self, query: MetricQuery) -> Decimal | None:
        if self.scope is Scope.USER and query.user_id is None:
            raise ValueError(f"metric {self.code!r} is per user: the query needs user_id")
        return self.compute(query)


_metrics: dict[str, Metric] = {}


def register(
    *,
    code: str,
    label: Any,
    unit_of_measure: Any,
    scope: Scope = Scope.UNIT,
    description: Any = "",
) -> Callable[[Compute], Compute]:
    """Decorator: register the decorated function as the metric `code` ("<app>.<name>")."""
    if "." not in code:
        raise ValueError(f"metric code {code!r} must be '<app>.<name>'")

    def decorator(compute: Compute) -> Compute:
        existing = _metrics.get(code)
        if existing is not None and existing.compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"metric {code!r} is registered twice")
        _metrics[code] = Metric(
            code=code,
            label=label,
            unit_of_measure=unit_of_measure,
            scope=scope,
            compute=compute,
            description=description,
        )
        return compute

    return decorator


def unregister(code: str) -> None:
    _metrics.pop(code, None)


def get(code: str) -> Metric | None:
    return _metrics.get(code)


def all_metrics(scope: Scope | None = None) -> list[Metric]:
    found = sorted(_metrics.values(), key=lambda m: m.code)
    return [m for m in found if scope is None or m.scope is scope]


def choices(scope: Scope | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's select."""
    return [(m.code, str(m.label)) for m in all_metrics(scope)]

"""The formulas of absorption (DOMAIN.md 6.2), free of any query.

absorption % = realised / pagu; plan % = cash plan up to the month / pagu; deviation = plan % -
absorption % (points); achievement = realised / cash plan up to the month.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.budget.models import FiscalYear

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def percent_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole x 100, two decimals; None when the whole is zero."""
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def traffic_light(deviation: Decimal | None, fiscal_year: FiscalYear) -> str:
    """green / amber / red from the deviation behind the cash plan and the year's thresholds."""
    if deviation is None or deviation < fiscal_year.warning_points:
        return "green"
    if deviation < fiscal_year.critical_points:
        return "amber"
    return "red"


@dataclass
class Absorption:
    """Absorption of one group (a unit, program, ... or everything) at the end of a month."""

    key: Any
    label: str = ""
    code: str = ""
    pagu: Decimal = ZERO
    plan: Decimal = ZERO  # cash plan, cumulative to the month
    plan_previous: Decimal = ZERO
    plan_year: Decimal = ZERO  # the 12 months of the cash plan
    realised: Decimal = ZERO  # SP2D, cumulative to the month
    realised_previous: Decimal = ZERO  # cumulative to the month before
    light: str = "green"
    rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def absorption(self) -> Decimal | None:
        return percent_of(self.realised, self.pagu)

    @property
    def absorption_previous(self) -> Decimal | None:
        return percent_of(self.realised_previous, self.pagu)

    @property
    def change(self) -> Decimal | None:
        if self.absorption is None or self.absorption_previous is None:
            return None
        return self.absorption - self.absorption_previous

    @property
    def plan_percent(self) -> Decimal | None:
        return percent_of(self.plan, self.pagu)

    @property
    def deviation(self) -> Decimal | None:
        """Points behind (positive) or ahead of (negative) the cash plan."""
        if self.plan_percent is None or self.absorption is None:
            return None
        return self.plan_percent - self.absorption

    @property
    def achievement(self) -> Decimal | None:
        return percent_of(self.realised, self.plan)

    @property
    def remaining(self) -> Decimal:
        return self.pagu - self.realised

    @property
    def plan_mismatch(self) -> bool:
        return self.plan_year != self.pagu


MONTH_NAMES = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]

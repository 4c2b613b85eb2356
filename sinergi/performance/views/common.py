"""What the performance pages share: the period chosen in the query string."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.performance import selectors


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("Year %(year)s") % {"year": self.year}
        return _("Quarter %(quarter)s of %(year)s") % {
            "quarter": ["I", "II", "III", "IV"][self.quarter - 1],
            "year": self.year,
        }

    @property
    def query(self) -> str:
        return f"tahun={self.year}&triwulan={self.quarter or ''}"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def period_from(request: HttpRequest) -> Period:
    """?tahun= (a year of a plan; this year by default) and ?triwulan= (1-4; empty = the year)."""
    year = _int(request.GET.get("tahun"))
    if year is None or not 2000 <= year <= 2100:
        year = selectors.default_year(timezone.localdate().year)
    quarter = _int(request.GET.get("triwulan"))
    if quarter not in (1, 2, 3, 4):
        quarter = None
    return Period(year, quarter)


def year_from_post(request: HttpRequest) -> int:
    """The year a form posted (a year of a plan), else the year of the page's period."""
    year = _int(request.POST.get("year"))
    if year is None or not 2000 <= year <= 2100:
        return period_from(request).year
    return year


def period_context(period: Period) -> dict[str, Any]:
    plan = selectors.period_for_year(period.year)
    years = plan.years if plan else [period.year]
    return {
        "period": period,
        "plan": plan,
        "years": years,
        "quarters": [(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    }

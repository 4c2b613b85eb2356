"""The budget as the performance app sees it: the sub kegiatan an indicator can be linked to and
their absorption, read only through the budget app's selectors (never its models), shared by the
selectors (pages), the services (checking a link) and the demo."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sinergi.budget import selectors as budget

# Pass as `viewer` for every sub kegiatan of the office (checks in services, demo data).
SYSTEM = budget.SYSTEM


@dataclass(frozen=True)
class SubKegiatanChoice:
    """A sub kegiatan of the DPA of a fiscal year."""

    sub_kegiatan_id: int
    year: int
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.year} · {self.code} {self.name}"


def sub_kegiatan_choices(*, viewer: Any, years: Iterable[int]) -> list[SubKegiatanChoice]:
    """The sub kegiatan with budget lines the viewer sees in each fiscal year of `years` that has a
    DPA, in year and code order (a fixed handful of queries per fiscal year)."""
    found: list[SubKegiatanChoice] = []
    for year in sorted(set(years)):
        fiscal_year = budget.fiscal_year_get(year)
        if fiscal_year is None or fiscal_year.year != year:
            continue
        rows = budget.absorption_by(
            viewer=viewer, fiscal_year=fiscal_year, month=12, group="sub_kegiatan"
        )
        found += [SubKegiatanChoice(int(r.key), year, r.code, r.label) for r in rows]
    return found

"""What the budget imports share: the columns naming a DPA line, per-year lookups of the lines, the
year checks."""

from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.budget.models import BudgetLine, FiscalYear, RealisationAllocation, SubKegiatan
from sinergi.core.tabular import Column, RowError
from sinergi.organisation.models import Unit

MONTH_KEYS = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"]
QUARTER_KEYS = ["tw1", "tw2", "tw3", "tw4"]
ZERO = Decimal("0")

YEAR = Column(
    "tahun",
    gettext_lazy("Fiscal year"),
    kind="int",
    aliases=("tahun_anggaran", "year"),
    help_text=gettext_lazy("The budget year, e.g. 2026."),
)
SUB = Column(
    "kode_sub_kegiatan",
    gettext_lazy("Sub kegiatan code"),
    aliases=("sub_kegiatan", "kode sub kegiatan"),
    max_length=40,
    help_text=gettext_lazy("As in SIPD, e.g. 1.06.04.1.01.0001 (format the cell as Text)."),
)
ACCOUNT = Column(
    "kode_rekening",
    gettext_lazy("Account code"),
    aliases=("rekening", "kode rekening", "kode_akun"),
    max_length=40,
    help_text=gettext_lazy("Rekening belanja as in SIPD, e.g. 5.1.02.01.01.0024."),
)
UNIT = Column(
    "kode_unit",
    gettext_lazy("Unit code (KPA)"),
    aliases=("unit",),
    max_length=50,
    help_text=gettext_lazy("Code of the responsible Bidang or UPT, e.g. upt-pstw-jember."),
)

LineKey = tuple[int, str, str, str]  # (year, sub kegiatan code, account code, unit code)


class LineRef(NamedTuple):
    id: int
    pagu: Decimal | None  # loaded with realised=True only
    unit_id: int
    sub_kegiatan_id: int


class LineLookup:
    """The DPA lines by (year, sub kegiatan code, account code, unit code), each year loaded the
    first time a row names it (not every line of every year). `realised=True` loads the pagu and
    what each line has realised too."""

    def __init__(self, *, realised: bool = False) -> None:
        self.with_realised = realised
        self.by_key: dict[LineKey, LineRef] = {}
        self.realised: dict[int, Decimal] = {}  # line id -> SP2D so far (with realised=True)
        self.loaded: set[int] = set()

    def get(self, key: LineKey) -> LineRef | None:
        if key[0] not in self.loaded:
            self.load(key[0])
        return self.by_key.get(key)

    def load(self, year: int) -> None:
        # No joins: the codes of the year's sub kegiatan and of the units come in two small
        # queries (a 20,000-line year loads in half the time of the joined query).
        self.loaded.add(year)
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            return
        subs = dict(SubKegiatan.objects.filter(fiscal_year=fiscal_year).values_list("pk", "code"))
        units = dict(Unit.objects.values_list("pk", "code"))
        lines = BudgetLine.objects.filter(fiscal_year=fiscal_year)
        if self.with_realised:
            rows: Any = lines.values_list(
                "pk", "sub_kegiatan_id", "account_code", "unit_id", "pagu"
            )
        else:
            rows = lines.values_list("pk", "sub_kegiatan_id", "account_code", "unit_id")
        for pk, sub_id, account, unit_id, *pagu in rows:
            ref = LineRef(pk, pagu[0] if pagu else None, unit_id, sub_id)
            self.by_key[(year, subs[sub_id], account, units[unit_id])] = ref
        if self.with_realised:
            self.realised.update(
                RealisationAllocation.objects.filter(line__fiscal_year=fiscal_year)
                .values("line_id")
                .annotate(total=Sum("amount"))
                .values_list("line_id", "total")
            )


def line_key(row: dict[str, Any]) -> LineKey:
    return (row["tahun"], row["kode_sub_kegiatan"], row["kode_rekening"], row["kode_unit"])


def closed_years() -> set[int]:
    return set(
        FiscalYear.objects.filter(status=FiscalYear.Status.CLOSED).values_list("year", flat=True)
    )


def year_errors(year: int, closed: set[int]) -> list[RowError]:
    if not 2000 <= year <= 2100:
        return [RowError(_("Write the fiscal year as four digits, e.g. 2026."), column="tahun")]
    if year in closed:
        return [
            RowError(
                _("Fiscal year %(year)s is closed. Remove the row or reopen the year.")
                % {"year": year},
                column="tahun",
            )
        ]
    return []


def unknown_line(year: int, sub: str, account: str, unit: str) -> RowError:
    return RowError(
        _(
            "There is no DPA line %(sub)s / %(account)s of unit %(unit)s in %(year)s. Check the "
            "codes, or import the DPA lines first."
        )
        % {"sub": sub, "account": account, "unit": unit, "year": year},
        column="kode_rekening",
    )

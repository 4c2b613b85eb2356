"""Import of the SP2D realisations: one row per SP2D and line charged, through the same service
(and rules) as an SP2D entered on its page."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.budget import services
from sinergi.budget.imports.common import (
    ACCOUNT,
    SUB,
    UNIT,
    YEAR,
    ZERO,
    LineLookup,
    closed_years,
    line_key,
    unknown_line,
    year_errors,
)
from sinergi.budget.models import BudgetLine, FiscalYear, Realisation
from sinergi.budget.permissions import can_enter_realisation
from sinergi.core.formatting import rupiah
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import ApplyResult, Column, ImportSpec, RowError, RowErrors, StagedRows


def _line_id(lookup: LineLookup, row: dict[str, Any]) -> int:
    found = lookup.get(line_key(row))
    assert found is not None  # checked when the file was validated
    return found.id


class RealisationImport(ImportSpec):
    code = "budget.realisations"
    title = gettext_lazy("SP2D realisations")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per SP2D and budget line charged. An SP2D charging several lines takes one row "
        "per line with the same number. SP2D already recorded are skipped, so the same file can "
        "be imported again."
    )
    natural_key = ("tahun", "nomor_sp2d", "kode_sub_kegiatan", "kode_rekening", "kode_unit")
    columns = (
        YEAR,
        Column("nomor_sp2d", gettext_lazy("SP2D number"), aliases=("no_sp2d",), max_length=80),
        Column("tanggal", gettext_lazy("SP2D date"), kind="date", aliases=("tanggal_sp2d",)),
        Column(
            "jenis",
            gettext_lazy("Type"),
            choices=["UP", "GU", "TU", "LS"],
            help_text=gettext_lazy("UP, GU, TU or LS."),
        ),
        SUB,
        ACCOUNT,
        UNIT,
        Column("nilai", gettext_lazy("Amount (Rp)"), kind="decimal", aliases=("jumlah",)),
        Column("uraian", gettext_lazy("Description"), required=False, max_length=255),
    )
    sample_rows = (
        {
            "tahun": 2026,
            "nomor_sp2d": "0123/SP2D/LS/1.06.0.00.0.00.01.0000/M/2026",
            "tanggal": dt.date(2026, 2, 16),
            "jenis": "LS",
            "kode_sub_kegiatan": "1.06.04.1.03.0001",
            "kode_rekening": "5.1.02.01.01.0052",
            "kode_unit": "upt-pstw-jember",
            "nilai": Decimal("98500000"),
            "uraian": "Permakanan Januari",
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.lines = LineLookup(realised=True)
        self.remaining: dict[int, Decimal] = {}  # line id -> pagu left after the rows so far
        self.recorded: dict[int, set[str]] = {}  # year -> SP2D numbers already recorded
        self.closed = closed_years()
        self.seen: dict[tuple[int, str], dt.date] = {}
        self.seen_lines: set[tuple[int, str, int]] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        year, number = row["tahun"], row["nomor_sp2d"].strip()
        row["nomor_sp2d"] = number
        errors = year_errors(year, self.closed)
        if row["tanggal"].year != year:
            errors.append(
                RowError(
                    _(
                        "The date %(date)s lies outside fiscal year %(year)s. Write a date between "
                        "1 January and 31 December %(year)s."
                    )
                    % {"date": row["tanggal"].strftime("%d-%m-%Y"), "year": year},
                    column="tanggal",
                )
            )
        first_date = self.seen.setdefault((year, number), row["tanggal"])
        if first_date != row["tanggal"]:
            errors.append(
                RowError(
                    _("Rows of the same SP2D must have the same date. Correct the date."),
                    column="tanggal",
                )
            )
        if row["nilai"] <= 0:
            errors.append(RowError(_("Write an amount above zero."), column="nilai"))
        key = line_key(row)
        line = self.lines.get(key)
        if line is None:
            errors.append(unknown_line(*key))
        if errors:
            raise RowErrors(errors)
        assert line is not None
        row["skip"] = number in self._recorded(year)
        if row["skip"]:
            return row  # already recorded: re-importing the file changes nothing
        if (year, number, line.id) in self.seen_lines:
            raise RowError(
                _("This SP2D charges the same line twice. Put the amounts in one row."),
                column="kode_rekening",
            )
        stub = BudgetLine(pk=line.id, unit_id=line.unit_id)
        if actor is not None and not can_enter_realisation(actor, stub):
            raise RowError(
                _("You can only import SP2D for the lines of your own unit. Remove this row."),
                column="kode_rekening",
            )
        pagu = line.pagu or ZERO  # loaded: the lookup was made with realised=True
        remaining = self.remaining.get(line.id)
        if remaining is None:
            remaining = pagu - (self.lines.realised.get(line.id) or ZERO)
        if row["nilai"] > remaining:
            raise RowError(
                _(
                    "This SP2D would take line %(sub)s / %(account)s above its pagu of %(pagu)s: "
                    "only %(remaining)s remains. Lower the amount, or revise the pagu first."
                )
                % {
                    "sub": key[1],
                    "account": key[2],
                    "pagu": rupiah(pagu),
                    "remaining": rupiah(remaining),
                },
                column="nilai",
            )
        self.remaining[line.id] = remaining - row["nilai"]
        self.seen_lines.add((year, number, line.id))
        return row

    def _recorded(self, year: int) -> set[str]:
        if year not in self.recorded:
            self.recorded[year] = set(
                Realisation.objects.filter(fiscal_year__year=year).values_list(
                    "sp2d_number", flat=True
                )
            )
        return self.recorded[year]

    def staged_fields(self) -> list[tuple[str, str]]:
        return [*super().staged_fields(), ("skip", "bool")]

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        keyed = LineLookup()
        grouped: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if row["skip"]:
                result.unchanged += 1
                continue
            grouped[(row["tahun"], row["nomor_sp2d"])].append(row)
        years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in={y for y, _n in grouped})}
        line_ids = {_line_id(keyed, r) for group in grouped.values() for r in group}
        lines = BudgetLine.objects.select_related("sub_kegiatan").in_bulk(line_ids)
        with services.summaries_deferred():  # the summaries are rebuilt once, at the end
            self._create_all(grouped, years, lines, keyed, actor)
        result.created += sum(len(group) for group in grouped.values())
        return result

    def _create_all(
        self,
        grouped: dict[tuple[int, str], list[dict[str, Any]]],
        years: dict[int, FiscalYear],
        lines: dict[int, BudgetLine],
        keyed: LineLookup,
        actor: Any,
    ) -> None:
        for (year, number), group in grouped.items():
            first = group[0]
            services.realisation_create(
                actor=actor,
                fiscal_year=years[year],
                sp2d_number=number,
                paid_on=first["tanggal"],
                sp2d_type=first["jenis"],
                description=first.get("uraian") or "",
                allocations={lines[_line_id(keyed, r)]: r["nilai"] for r in group},
            )

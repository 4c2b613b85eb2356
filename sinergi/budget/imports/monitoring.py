"""Imports of the monitoring data: the provincial offices table and the physical progress the
PPTK report per sub kegiatan and unit."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.budget import services
from sinergi.budget.imports.common import SUB, UNIT, YEAR, closed_years, year_errors
from sinergi.budget.models import BudgetLine, FiscalYear, ProvincialOffice
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import ApplyResult, Column, ImportSpec, RowError, RowErrors, StagedRows

MONTH = Column(
    "bulan",
    gettext_lazy("Month"),
    kind="int",
    help_text=gettext_lazy("The month the figures stand at, 1 to 12."),
)


class ProvincialOfficeImport(ImportSpec):
    code = "budget.provincial_offices"
    title = gettext_lazy("Provincial offices table")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per provincial office with its pagu and realisation at the end of a month, as "
        "shared by the province. Mark this office's own row with “ya” in dinas_ini so the "
        "dashboard shows its rank. Importing the same file again changes nothing."
    )
    natural_key = ("tahun", "bulan", "nama_dinas")
    columns = (
        YEAR,
        MONTH,
        Column(
            "nama_dinas",
            gettext_lazy("Office name"),
            aliases=("dinas", "nama_opd", "opd"),
            max_length=200,
        ),
        Column("pagu", gettext_lazy("Pagu (Rp)"), kind="decimal"),
        Column(
            "realisasi", gettext_lazy("Realisation (Rp)"), kind="decimal", aliases=("realisation",)
        ),
        Column(
            "dinas_ini",
            gettext_lazy("This office"),
            kind="bool",
            required=False,
            help_text=gettext_lazy("“ya” on the row of this office; leave the others empty."),
        ),
    )
    sample_rows = (
        {
            "tahun": 2026,
            "bulan": 8,
            "nama_dinas": "Dinas Sosial Provinsi Jawa Timur",
            "pagu": Decimal("412500000000"),
            "realisasi": Decimal("192473000000"),
            "dinas_ini": True,
        },
        {
            "tahun": 2026,
            "bulan": 8,
            "nama_dinas": "Dinas Pendidikan Provinsi Jawa Timur",
            "pagu": Decimal("9850000000000"),
            "realisasi": Decimal("6107000000000"),
            "dinas_ini": False,
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.seen: set[tuple[int, int, str]] = set()
        self.own: set[tuple[int, int]] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = year_errors(row["tahun"], set())
        row["nama_dinas"] = " ".join(row["nama_dinas"].split())
        row["dinas_ini"] = bool(row.get("dinas_ini"))
        if not 1 <= row["bulan"] <= 12:
            errors.append(RowError(_("Write the month as a number from 1 to 12."), column="bulan"))
        for column in ("pagu", "realisasi"):
            if row[column] < 0:
                errors.append(
                    RowError(_("Amounts cannot be negative. Write 0 or more."), column=column)
                )
        key = (row["tahun"], row["bulan"], row["nama_dinas"].casefold())
        if key in self.seen:
            errors.append(
                RowError(
                    _("This office appears twice for the same month. Keep one row per office."),
                    column="nama_dinas",
                )
            )
        if row["dinas_ini"] and key[:2] in self.own:
            errors.append(
                RowError(
                    _(
                        "Only one row per month can be marked as this office. Remove the extra “ya”."
                    ),
                    column="dinas_ini",
                )
            )
        if errors:
            raise RowErrors(errors)
        self.seen.add(key)
        if row["dinas_ini"]:
            self.own.add(key[:2])
        return row

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        staged = list(rows)
        years: dict[int, FiscalYear] = {}
        existing = {
            (r.fiscal_year.year, r.month, r.office_name): r
            for r in ProvincialOffice.objects.select_related("fiscal_year").filter(
                fiscal_year__year__in={row["tahun"] for row in staged}
            )
        }
        for row in staged:
            year = row["tahun"]
            if year not in years:
                years[year] = services.fiscal_year_get_or_create(actor=actor, year=year)
            before = existing.get((year, row["bulan"], row["nama_dinas"]))
            if before is not None and (
                before.pagu,
                before.realisation,
                before.is_own_office,
            ) == (row["pagu"], row["realisasi"], row["dinas_ini"]):
                result.unchanged += 1
                continue
            services.provincial_office_save(
                actor=actor,
                fiscal_year=years[year],
                month=row["bulan"],
                office_name=row["nama_dinas"],
                pagu=row["pagu"],
                realisation=row["realisasi"],
                is_own_office=row["dinas_ini"],
            )
            if before is None:
                result.created += 1
            else:
                result.updated += 1
        return result


class PhysicalProgressImport(ImportSpec):
    code = "budget.physical_progress"
    title = gettext_lazy("Physical progress")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per sub kegiatan, unit and month with the physical progress in percent reported "
        "by the PPTK (monev). A later report for the same month replaces the earlier one; "
        "importing the same file again changes nothing."
    )
    natural_key = ("tahun", "kode_sub_kegiatan", "kode_unit", "bulan")
    columns = (
        YEAR,
        SUB,
        UNIT,
        MONTH,
        Column(
            "persen",
            gettext_lazy("Physical progress (%)"),
            kind="decimal",
            aliases=("realisasi_fisik", "fisik"),
            help_text=gettext_lazy("From 0 to 100, e.g. 42,5."),
        ),
        Column("pptk", gettext_lazy("Reported by (PPTK)"), max_length=150),
    )
    sample_rows = (
        {
            "tahun": 2026,
            "kode_sub_kegiatan": "1.06.04.1.03.0001",
            "kode_unit": "upt-pstw-jember",
            "bulan": 8,
            "persen": Decimal("62.5"),
            "pptk": "Siti Aminah",
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.closed = closed_years()
        self.carried: dict[int, dict[tuple[str, str], tuple[int, int]]] = {}

    def _carried(self, year: int) -> dict[tuple[str, str], tuple[int, int]]:
        """(sub kegiatan code, unit code) -> (sub kegiatan id, unit id) of the year's lines."""
        if year not in self.carried:
            self.carried[year] = {
                (sub, unit): (sub_id, unit_id)
                for sub, unit, sub_id, unit_id in BudgetLine.objects.filter(fiscal_year__year=year)
                .values_list("sub_kegiatan__code", "unit__code", "sub_kegiatan_id", "unit_id")
                .distinct()
                .order_by()
            }
        return self.carried[year]

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        year = row["tahun"]
        errors = year_errors(year, self.closed)
        if not 1 <= row["bulan"] <= 12:
            errors.append(RowError(_("Write the month as a number from 1 to 12."), column="bulan"))
        if not 0 <= row["persen"] <= 100:
            errors.append(
                RowError(_("Write the physical progress from 0 to 100."), column="persen")
            )
        found = self._carried(year).get((row["kode_sub_kegiatan"], row["kode_unit"]))
        if not errors and found is None:
            errors.append(
                RowError(
                    _(
                        "Unit %(unit)s has no DPA line in sub kegiatan %(sub)s in %(year)s. Check "
                        "the codes, or import the DPA lines first."
                    )
                    % {"unit": row["kode_unit"], "sub": row["kode_sub_kegiatan"], "year": year},
                    column="kode_sub_kegiatan",
                )
            )
        if errors:
            raise RowErrors(errors)
        assert found is not None
        return {
            "sub_kegiatan_id": found[0],
            "unit_id": found[1],
            "month": row["bulan"],
            "percent": row["persen"],
            "reported_by": row["pptk"],
        }

    def staged_fields(self) -> list[tuple[str, str]]:
        return [
            ("sub_kegiatan_id", "int"),
            ("unit_id", "int"),
            ("month", "int"),
            ("percent", "decimal"),
            ("reported_by", "text"),
        ]

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        """Set-based: one upsert (services.progress_import)."""
        done = services.progress_import(actor=actor, rows=list(rows))
        return ApplyResult(created=done.created, updated=done.updated, unchanged=done.unchanged)

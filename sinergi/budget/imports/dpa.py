"""Imports of the DPA lines and of their cash plan (monthly, or quarterly split into months)."""

import operator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.budget import services
from sinergi.budget.imports.common import (
    ACCOUNT,
    MONTH_KEYS,
    QUARTER_KEYS,
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
from sinergi.core.formatting import rupiah
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import ApplyResult, Column, ImportSpec, RowError, RowErrors, StagedRows
from sinergi.organisation.models import Unit


class DpaLineImport(ImportSpec):
    code = "budget.dpa_lines"
    title = gettext_lazy("DPA budget lines")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per rekening belanja of the DPA: program, kegiatan and sub kegiatan codes and "
        "names, the responsible unit and the pagu. A new pagu for an existing line is kept as an "
        "amendment in the line's history."
    )
    natural_key = ("tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit")
    columns = (
        YEAR,
        Column("kode_program", gettext_lazy("Program code"), max_length=40),
        Column("nama_program", gettext_lazy("Program name"), max_length=255),
        Column("kode_kegiatan", gettext_lazy("Kegiatan code"), max_length=40),
        Column("nama_kegiatan", gettext_lazy("Kegiatan name"), max_length=255),
        SUB,
        Column("nama_sub_kegiatan", gettext_lazy("Sub kegiatan name"), max_length=255),
        ACCOUNT,
        Column("nama_rekening", gettext_lazy("Account name"), max_length=255),
        UNIT,
        Column("pptk", gettext_lazy("PPTK name"), required=False, max_length=150),
        Column("pagu", gettext_lazy("Pagu (Rp)"), kind="decimal"),
    )
    sample_rows = (
        {
            "tahun": 2026,
            "kode_program": "1.06.04",
            "nama_program": "Program Rehabilitasi Sosial",
            "kode_kegiatan": "1.06.04.1.03",
            "nama_kegiatan": "Rehabilitasi Sosial Dasar Lanjut Usia Terlantar di dalam Panti",
            "kode_sub_kegiatan": "1.06.04.1.03.0001",
            "nama_sub_kegiatan": "Penyediaan Permakanan",
            "kode_rekening": "5.1.02.01.01.0052",
            "nama_rekening": "Belanja Makanan dan Minuman pada Fasilitas Pelayanan",
            "kode_unit": "upt-pstw-jember",
            "pptk": "Siti Aminah",
            "pagu": Decimal("1250000000"),
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.closed = closed_years()
        self.lines = LineLookup(realised=True)

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = year_errors(row["tahun"], self.closed)
        if row["kode_unit"] not in self.units:
            errors.append(
                RowError(
                    _("Unknown unit code “%(code)s”. Use the code shown on the Units page.")
                    % {"code": row["kode_unit"]},
                    column="kode_unit",
                )
            )
        if row["pagu"] < 0:
            errors.append(
                RowError(_("The pagu cannot be negative. Write 0 or more."), column="pagu")
            )
        if not row["kode_sub_kegiatan"].startswith(row["kode_kegiatan"]) or not row[
            "kode_kegiatan"
        ].startswith(row["kode_program"]):
            errors.append(
                RowError(
                    _(
                        "The sub kegiatan code must start with its kegiatan code, and the kegiatan "
                        "code with its program code. Check the three codes."
                    ),
                    column="kode_sub_kegiatan",
                )
            )
        line = self.lines.get(line_key(row)) if not errors else None
        realised = self.lines.realised.get(line.id) if line is not None else None
        if realised is not None and row["pagu"] < realised:
            errors.append(
                RowError(
                    _(
                        "The new pagu %(pagu)s is below the %(realised)s already realised on "
                        "this line. Write at least %(realised)s."
                    )
                    % {"pagu": rupiah(row["pagu"]), "realised": rupiah(realised)},
                    column="pagu",
                )
            )
        if errors:
            raise RowErrors(errors)
        return row

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        """Set-based: one upsert per table (services.dpa_lines_import)."""
        units = dict(Unit.objects.values_list("code", "pk"))
        done = services.dpa_lines_import(
            actor=actor,
            rows=[
                {
                    "year": row["tahun"],
                    "program_code": row["kode_program"],
                    "program_name": row["nama_program"],
                    "kegiatan_code": row["kode_kegiatan"],
                    "kegiatan_name": row["nama_kegiatan"],
                    "sub_code": row["kode_sub_kegiatan"],
                    "sub_name": row["nama_sub_kegiatan"],
                    "account_code": row["kode_rekening"],
                    "account_name": row["nama_rekening"],
                    "unit_id": units[row["kode_unit"]],
                    "pptk_name": row["pptk"] or "",
                    "pagu": row["pagu"],
                }
                for row in rows
            ],
        )
        return ApplyResult(created=done.created, updated=done.updated, unchanged=done.unchanged)


QUARTERS = [
    gettext_lazy("Quarter 1"),
    gettext_lazy("Quarter 2"),
    gettext_lazy("Quarter 3"),
    gettext_lazy("Quarter 4"),
]
_NO_MONTHS = (None,) * 12
_NO_QUARTERS = (None,) * 4
_months_of = operator.itemgetter(*MONTH_KEYS)  # a row's 12 months as a tuple, in C
_quarters_of = operator.itemgetter(*QUARTER_KEYS)


class CashPlanImport(ImportSpec):
    code = "budget.cash_plan"
    title = gettext_lazy("Cash plan (anggaran kas)")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per DPA line with its 12 monthly amounts (jan ... des), or with its 4 quarterly "
        "amounts (tw1 ... tw4), each split evenly over the 3 months of the quarter. Rows whose "
        "months do not add up to the pagu are accepted and flagged on the budget pages."
    )
    natural_key = ("tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit")
    columns = (
        YEAR,
        SUB,
        ACCOUNT,
        UNIT,
        *(Column(key, key.capitalize(), kind="decimal", required=False) for key in MONTH_KEYS),
        *(
            Column(
                key,
                header,
                kind="decimal",
                required=False,
                aliases=(f"triwulan_{number}", f"tw_{number}"),
                help_text=gettext_lazy("Only for a quarterly plan: leave jan ... des empty."),
            )
            for number, (key, header) in enumerate(zip(QUARTER_KEYS, QUARTERS, strict=True), 1)
        ),
    )
    sample_rows = (
        {
            "tahun": 2026,
            "kode_sub_kegiatan": "1.06.04.1.03.0001",
            "kode_rekening": "5.1.02.01.01.0052",
            "kode_unit": "upt-pstw-jember",
            **{key: Decimal("104166666.67") for key in MONTH_KEYS[:11]},
            "des": Decimal("104166666.63"),
        },
        {
            "tahun": 2026,
            "kode_sub_kegiatan": "1.06.04.1.03.0006",
            "kode_rekening": "5.1.02.02.01.0026",
            "kode_unit": "upt-pstw-jember",
            **{key: Decimal("45000000") for key in QUARTER_KEYS},
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.lines = LineLookup()
        self.closed = closed_years()

    def staged_fields(self) -> list[tuple[str, str]]:
        # the line and its 12 months in one text value: a row is checked once, staged small
        return [("line_id", "int"), ("months", "text")]

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        year = row["tahun"]
        line = self.lines.get(line_key(row))
        months = _months_of(row)
        quarters = _quarters_of(row)
        if quarters != _NO_QUARTERS:
            if months != _NO_MONTHS:
                raise RowError(
                    _(
                        "Write either the 12 months (jan ... des) or the 4 quarters (tw1 ... tw4) "
                        "of a line, not both. Empty one of them."
                    ),
                    column="tw1",
                )
            amounts = services.split_quarters([q or ZERO for q in quarters])
        else:
            amounts = [m or ZERO for m in months]
        if line is None or year in self.closed or min(amounts) < 0 or not 2000 <= year <= 2100:
            self._refuse(row, line is None, amounts)
        return {"line_id": line.id, "months": "|".join(map(str, amounts))}  # type: ignore[union-attr]

    def _refuse(self, row: dict[str, Any], unknown: bool, amounts: list[Decimal]) -> None:
        errors = year_errors(row["tahun"], self.closed)
        if unknown:
            errors.append(unknown_line(*line_key(row)))
        if min(amounts) < 0:
            negative = [k for k in (*MONTH_KEYS, *QUARTER_KEYS) if (row[k] or ZERO) < 0]
            errors.extend(
                RowError(_("Cash plan amounts cannot be negative. Write 0 or more."), column=key)
                for key in negative
            )
        raise RowErrors(errors)

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        """Set-based: only the lines whose months change are written (services.cash_plans_import)."""
        done = services.cash_plans_import(
            actor=actor,
            plans={
                row["line_id"]: [Decimal(amount) for amount in row["months"].split("|")]
                for row in rows
            },
        )
        return ApplyResult(created=done.created, updated=done.updated, unchanged=done.unchanged)

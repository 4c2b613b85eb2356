"""Spreadsheet imports of the budget through the core engine: DPA lines, cash plan, SP2D.

Each file is checked row by row first (unknown units or lines, dates outside the year, duplicate SP2D
numbers, amounts above the pagu) and applied through the services in the batch's one transaction,
so the same rules and audit events apply as for entries on the pages. Re-importing the same file
changes nothing: lines are matched by (year, sub kegiatan code, account code), SP2D by number.
Column reference: docs/guide/20-anggaran.md; sample files: sinergi/budget/data/samples/.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.budget import services
from sinergi.budget.models import (
    BudgetLine,
    FiscalYear,
    ProvincialOffice,
    Realisation,
    RealisationAllocation,
)
from sinergi.budget.permissions import can_enter_realisation
from sinergi.core.formatting import rupiah
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import (
    ApplyResult,
    Column,
    ImportSpec,
    RowError,
    RowErrors,
    StagedRows,
    register,
)
from sinergi.organisation.models import Unit

MONTH_KEYS = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"]
ZERO = Decimal("0")

_YEAR = Column(
    "tahun",
    gettext_lazy("Fiscal year"),
    kind="int",
    aliases=("tahun_anggaran", "year"),
    help_text=gettext_lazy("The budget year, e.g. 2026."),
)
_SUB = Column(
    "kode_sub_kegiatan",
    gettext_lazy("Sub kegiatan code"),
    aliases=("sub_kegiatan", "kode sub kegiatan"),
    max_length=40,
    help_text=gettext_lazy("As in SIPD, e.g. 1.06.04.1.01.0001 (format the cell as Text)."),
)
_ACCOUNT = Column(
    "kode_rekening",
    gettext_lazy("Account code"),
    aliases=("rekening", "kode rekening", "kode_akun"),
    max_length=40,
    help_text=gettext_lazy("Rekening belanja as in SIPD, e.g. 5.1.02.01.01.0024."),
)


LineKey = tuple[int, str, str, str]  # (year, sub kegiatan code, account code, unit code)

_UNIT = Column(
    "kode_unit",
    gettext_lazy("Unit code (KPA)"),
    aliases=("unit",),
    max_length=50,
    help_text=gettext_lazy("Code of the responsible Bidang or UPT, e.g. upt-pstw-jember."),
)


def _line_keys() -> dict[LineKey, dict[str, Any]]:
    rows = BudgetLine.objects.values_list(
        "pk",
        "fiscal_year__year",
        "sub_kegiatan__code",
        "account_code",
        "unit__code",
        "pagu",
        "unit_id",
    )
    return {
        (year, sub, account, unit): {"id": pk, "pagu": pagu, "unit_id": unit_id}
        for pk, year, sub, account, unit, pagu, unit_id in rows
    }


def _realised_by_line() -> dict[int, Decimal]:
    return dict(
        RealisationAllocation.objects.values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
    )


def _key(row: dict[str, Any]) -> LineKey:
    return (row["tahun"], row["kode_sub_kegiatan"], row["kode_rekening"], row["kode_unit"])


def _year_errors(year: int, closed: set[int]) -> list[RowError]:
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


def _unknown_line(year: int, sub: str, account: str, unit: str) -> RowError:
    return RowError(
        _(
            "There is no DPA line %(sub)s / %(account)s of unit %(unit)s in %(year)s. Check the "
            "codes, or import the DPA lines first."
        )
        % {"sub": sub, "account": account, "unit": unit, "year": year},
        column="kode_rekening",
    )


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
        _YEAR,
        Column("kode_program", gettext_lazy("Program code"), max_length=40),
        Column("nama_program", gettext_lazy("Program name"), max_length=255),
        Column("kode_kegiatan", gettext_lazy("Kegiatan code"), max_length=40),
        Column("nama_kegiatan", gettext_lazy("Kegiatan name"), max_length=255),
        _SUB,
        Column("nama_sub_kegiatan", gettext_lazy("Sub kegiatan name"), max_length=255),
        _ACCOUNT,
        Column("nama_rekening", gettext_lazy("Account name"), max_length=255),
        _UNIT,
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
        self.closed = set(
            FiscalYear.objects.filter(status=FiscalYear.Status.CLOSED).values_list(
                "year", flat=True
            )
        )
        self.seen: set[LineKey] = set()
        realised = _realised_by_line()
        self.realised = {
            key: realised[line["id"]]
            for key, line in _line_keys().items()
            if line["id"] in realised
        }

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = _year_errors(row["tahun"], self.closed)
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
        key = _key(row)
        if key in self.seen:
            errors.append(
                RowError(
                    _("This line appears twice in the file. Keep one row per account code."),
                    column="kode_rekening",
                )
            )
        realised = self.realised.get(key)
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
        self.seen.add(key)
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


class CashPlanImport(ImportSpec):
    code = "budget.cash_plan"
    title = gettext_lazy("Cash plan (anggaran kas)")
    permission = "budget.import_budget"
    description = gettext_lazy(
        "One row per DPA line with its 12 monthly amounts (jan ... des). A quarterly plan is "
        "written into the first month of each quarter. Rows whose months do not add up to the "
        "pagu are accepted and flagged on the budget pages."
    )
    natural_key = ("tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit")
    columns = (
        _YEAR,
        _SUB,
        _ACCOUNT,
        _UNIT,
        *(Column(key, key.capitalize(), kind="decimal", required=False) for key in MONTH_KEYS),
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
    )

    def prepare(self, *, actor: Any) -> None:
        self.lines = _line_keys()
        self.closed = set(
            FiscalYear.objects.filter(status=FiscalYear.Status.CLOSED).values_list(
                "year", flat=True
            )
        )
        self.seen: set[LineKey] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = _year_errors(row["tahun"], self.closed)
        key = _key(row)
        if key not in self.lines:
            errors.append(_unknown_line(*key))
        if key in self.seen:
            errors.append(
                RowError(_("This line appears twice in the file. Keep one row per line."))
            )
        for month in MONTH_KEYS:
            if (row.get(month) or ZERO) < 0:
                errors.append(
                    RowError(
                        _("Cash plan amounts cannot be negative. Write 0 or more."), column=month
                    )
                )
        if errors:
            raise RowErrors(errors)
        self.seen.add(key)
        return row

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        """Set-based: only the lines whose months change are written (services.cash_plans_import)."""
        keyed = _line_keys()
        done = services.cash_plans_import(
            actor=actor,
            plans={
                keyed[_key(row)]["id"]: [row.get(key) or ZERO for key in MONTH_KEYS] for row in rows
            },
        )
        return ApplyResult(created=done.created, updated=done.updated, unchanged=done.unchanged)


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
        _YEAR,
        Column("nomor_sp2d", gettext_lazy("SP2D number"), aliases=("no_sp2d",), max_length=80),
        Column("tanggal", gettext_lazy("SP2D date"), kind="date", aliases=("tanggal_sp2d",)),
        Column(
            "jenis",
            gettext_lazy("Type"),
            choices=["UP", "GU", "TU", "LS"],
            help_text=gettext_lazy("UP, GU, TU or LS."),
        ),
        _SUB,
        _ACCOUNT,
        _UNIT,
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
        self.actor = actor
        self.lines = _line_keys()
        realised = _realised_by_line()
        self.remaining = {
            v["id"]: v["pagu"] - (realised.get(v["id"]) or ZERO) for v in self.lines.values()
        }
        self.recorded = set(Realisation.objects.values_list("fiscal_year__year", "sp2d_number"))
        self.closed = set(
            FiscalYear.objects.filter(status=FiscalYear.Status.CLOSED).values_list(
                "year", flat=True
            )
        )
        self.seen: dict[tuple[int, str], dt.date] = {}
        self.seen_lines: set[tuple[int, str, int]] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        year, number = row["tahun"], row["nomor_sp2d"].strip()
        row["nomor_sp2d"] = number
        errors = _year_errors(year, self.closed)
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
        key = _key(row)
        line = self.lines.get(key)
        if line is None:
            errors.append(_unknown_line(*key))
        if errors:
            raise RowErrors(errors)
        assert line is not None
        row["skip"] = (year, number) in self.recorded
        if row["skip"]:
            return row  # already recorded: re-importing the file changes nothing
        if (year, number, line["id"]) in self.seen_lines:
            raise RowError(
                _("This SP2D charges the same line twice. Put the amounts in one row."),
                column="kode_rekening",
            )
        stub = BudgetLine(pk=line["id"], unit_id=line["unit_id"])
        if actor is not None and not can_enter_realisation(actor, stub):
            raise RowError(
                _("You can only import SP2D for the lines of your own unit. Remove this row."),
                column="kode_rekening",
            )
        remaining = self.remaining[line["id"]]
        if row["nilai"] > remaining:
            raise RowError(
                _(
                    "This SP2D would take line %(sub)s / %(account)s above its pagu of %(pagu)s: "
                    "only %(remaining)s remains. Lower the amount, or revise the pagu first."
                )
                % {
                    "sub": key[1],
                    "account": key[2],
                    "pagu": rupiah(line["pagu"]),
                    "remaining": rupiah(remaining),
                },
                column="nilai",
            )
        self.remaining[line["id"]] = remaining - row["nilai"]
        self.seen_lines.add((year, number, line["id"]))
        return row

    def staged_fields(self) -> list[tuple[str, str]]:
        return [*super().staged_fields(), ("skip", "bool")]

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        keyed = _line_keys()
        grouped: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if row["skip"]:
                result.unchanged += 1
                continue
            grouped[(row["tahun"], row["nomor_sp2d"])].append(row)
        years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in={y for y, _n in grouped})}
        line_ids = {keyed[_key(r)]["id"] for group in grouped.values() for r in group}
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
        keyed: dict[LineKey, dict[str, Any]],
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
                allocations={lines[keyed[_key(r)]["id"]]: r["nilai"] for r in group},
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
        _YEAR,
        Column(
            "bulan",
            gettext_lazy("Month"),
            kind="int",
            help_text=gettext_lazy("The month the figures stand at, 1 to 12."),
        ),
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
        errors = _year_errors(row["tahun"], set())
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


register(DpaLineImport())
register(CashPlanImport())
register(RealisationImport())
register(ProvincialOfficeImport())

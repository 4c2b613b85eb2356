"""Set-based writes of the imports: DPA lines, cash plans and physical progress, one statement per
table."""

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.budget.models import (
    BudgetLine,
    BudgetRevision,
    CashPlan,
    FiscalYear,
    Kegiatan,
    PhysicalProgress,
    Program,
    SubKegiatan,
)
from sinergi.budget.models.dpa import account_class_of
from sinergi.budget.services.dpa import fiscal_year_get_or_create
from sinergi.budget.services.rules import ZERO, author_of, require_open, today_within
from sinergi.budget.services.summaries import summaries_changed, summaries_changed_everywhere
from sinergi.core.errors import ApplicationError
from sinergi.core.tabular.spec import staged_kind
from sinergi.core.tabular.staging import StagedRows, StagingWriter
from sinergi.core.tabular.upsert import TableUpsert


def _table_upsert(
    model: Any, *, fields: Sequence[str], key: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> tuple[int, int, int]:
    """Upsert `rows` (dicts of model attnames) into `model`'s table in one statement through the
    import engine's TableUpsert (COPY + INSERT ... ON CONFLICT on PostgreSQL); (created, updated,
    unchanged)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    staged_fields = [(name, staged_kind(by_attname[name])) for name in fields]
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", newline="\n", suffix=".tsv") as handle:
        writer = StagingWriter(handle, staged_fields)
        for number, row in enumerate(rows, start=1):
            writer.write(number, dict(row))
        handle.flush()
        staged = StagedRows(Path(handle.name), staged_fields, writer.count)
        result = TableUpsert(model, fields=list(fields), key=list(key)).run(staged)
    return result.created, result.updated, result.unchanged


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _open_years(years: Iterable[int], actor: Any) -> dict[int, FiscalYear]:
    found = {}
    for year in sorted(set(years)):
        fiscal_year = fiscal_year_get_or_create(actor=actor, year=year)
        require_open(fiscal_year)
        found[year] = fiscal_year
    return found


@transaction.atomic
def dpa_lines_import(*, actor: Any, rows: Sequence[Mapping[str, Any]]) -> BulkResult:
    """Create or update DPA lines set-based (the DPA import): programs, kegiatan and sub kegiatan
    by (year, code), lines by (sub kegiatan, account code, unit), one statement per table. A new
    line gets its initial revision, a changed pagu an amendment (history, never overwritten).

    Each row: year, program_code/name, kegiatan_code/name, sub_code/name, account_code,
    account_name, unit_id, pptk_name, pagu. The caller has checked every row (codes, units, a pagu
    not below what was realised, closed years); a closed year still stops everything here."""
    result = BulkResult()
    if not rows:
        return result
    years = _open_years((row["year"] for row in rows), actor)
    year_ids = [fy.pk for fy in years.values()]

    moved_years: set[int] = set()

    def upsert_named(model: Any, level: str, parent: tuple[str, str] | None) -> dict[Any, int]:
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        for row in rows:
            y = years[row["year"]].pk
            values = {"fiscal_year_id": y, "code": row[f"{level}_code"]}
            values["name"] = row[f"{level}_name"]
            if parent is not None:
                field, parent_level = parent
                values[field] = ids[parent_level][(y, row[f"{parent_level}_code"])]
            wanted[(y, values["code"])] = values
        fields = ["fiscal_year_id", "code", "name", *([parent[0]] if parent else [])]
        if parent is not None:  # an existing kegiatan or sub kegiatan moving to another parent
            for y, code, parent_id in model.objects.filter(fiscal_year_id__in=year_ids).values_list(
                "fiscal_year_id", "code", parent[0]
            ):
                found = wanted.get((y, code))
                if found is not None and found[parent[0]] != parent_id:
                    moved_years.add(y)
        _table_upsert(model, fields=fields, key=["fiscal_year_id", "code"], rows=wanted.values())
        return {
            (y, code): pk
            for pk, y, code in model.objects.filter(fiscal_year_id__in=year_ids).values_list(
                "pk", "fiscal_year_id", "code"
            )
        }

    ids: dict[str, dict[Any, int]] = {}
    ids["program"] = upsert_named(Program, "program", None)
    ids["kegiatan"] = upsert_named(Kegiatan, "kegiatan", ("program_id", "program"))
    ids["sub"] = upsert_named(SubKegiatan, "sub", ("kegiatan_id", "kegiatan"))

    def line_key(values: Mapping[str, Any]) -> tuple[int, str, int]:
        return (values["sub_kegiatan_id"], values["account_code"], values["unit_id"])

    existing = {
        (sub, account, unit): (pk, pagu)
        for pk, sub, account, unit, pagu in BudgetLine.objects.filter(
            fiscal_year_id__in=year_ids
        ).values_list("pk", "sub_kegiatan_id", "account_code", "unit_id", "pagu")
    }
    lines = []
    for row in rows:
        y = years[row["year"]].pk
        lines.append(
            {
                "fiscal_year_id": y,
                "sub_kegiatan_id": ids["sub"][(y, row["sub_code"])],
                "account_code": row["account_code"],
                "account_name": row["account_name"],
                "account_class": account_class_of(row["account_code"]),
                "unit_id": row["unit_id"],
                "pptk_name": row["pptk_name"] or "",
                "pagu": Decimal(row["pagu"]),
            }
        )
    result.created, result.updated, result.unchanged = _table_upsert(
        BudgetLine,
        fields=list(lines[0]),
        key=["sub_kegiatan_id", "account_code", "unit_id"],
        rows=lines,
    )
    new_ids = {
        (sub, account, unit): pk
        for pk, sub, account, unit in BudgetLine.objects.filter(
            fiscal_year_id__in=year_ids
        ).values_list("pk", "sub_kegiatan_id", "account_code", "unit_id")
    }
    by_year_id = {fy.pk: fy for fy in years.values()}
    author = author_of(actor)
    revisions = []
    for values in lines:
        key, fiscal_year = line_key(values), by_year_id[values["fiscal_year_id"]]
        before = existing.get(key)
        if before is None:
            revisions.append(
                BudgetRevision(
                    line_id=new_ids[key],
                    kind=BudgetRevision.Kind.INITIAL,
                    old_pagu=ZERO,
                    new_pagu=values["pagu"],
                    revised_on=fiscal_year.starts_on,
                    reference="DPA",
                    created_by=author,
                )
            )
        elif before[1] != values["pagu"]:
            revisions.append(
                BudgetRevision(
                    line_id=before[0],
                    kind=BudgetRevision.Kind.AMENDMENT,
                    old_pagu=before[1],
                    new_pagu=values["pagu"],
                    revised_on=today_within(fiscal_year),
                    reference=_("DPA import"),
                    created_by=author,
                )
            )
    BudgetRevision.objects.bulk_create(revisions, batch_size=2000)
    for fiscal_year in years.values():
        if fiscal_year.pk in moved_years:
            summaries_changed_everywhere(fiscal_year.pk)
        units = {v["unit_id"] for v in lines if v["fiscal_year_id"] == fiscal_year.pk}
        summaries_changed(fiscal_year.pk, units)
    return result


@transaction.atomic
def cash_plans_import(*, actor: Any, plans: Mapping[int, Sequence[Decimal]]) -> BulkResult:
    """Set the 12 months of many lines' cash plans set-based (the cash-plan import): `plans` maps
    a line id to its 12 amounts. A line with no plan yet counts as created, one whose months all
    stay the same as unchanged; only the lines that change are written (one statement)."""
    result = BulkResult()
    if not plans:
        return result
    lines = list(
        BudgetLine.objects.filter(pk__in=list(plans)).values_list("pk", "fiscal_year_id", "unit_id")
    )
    for year in FiscalYear.objects.filter(pk__in={y for _pk, y, _u in lines}):
        require_open(year)
    before: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for line_id, month, amount in CashPlan.objects.filter(line_id__in=list(plans)).values_list(
        "line_id", "month", "amount"
    ):
        before[line_id][month] = amount
    cells: list[dict[str, Any]] = []
    changed: set[int] = set()
    for line_id, amounts in plans.items():
        if len(amounts) != 12 or any(Decimal(a) < 0 for a in amounts):
            raise ApplicationError(
                _("A cash plan has 12 months of 0 or more. Correct the amounts."),
                code="invalid_cash_plan",
            )
        months = {m: Decimal(a) for m, a in enumerate(amounts, start=1)}
        old = before.get(line_id)
        if old == months:
            result.unchanged += 1
            continue
        if old:
            result.updated += 1
        else:
            result.created += 1
        changed.add(line_id)
        cells.extend({"line_id": line_id, "month": m, "amount": a} for m, a in months.items())
    if cells:
        _table_upsert(
            CashPlan, fields=["line_id", "month", "amount"], key=["line_id", "month"], rows=cells
        )
    by_year: dict[int, set[int]] = defaultdict(set)
    for pk, year_id, unit_id in lines:
        if pk in changed:
            by_year[year_id].add(unit_id)
    for year_id, units in by_year.items():
        summaries_changed(year_id, units)
    return result


@transaction.atomic
def progress_import(*, actor: Any, rows: Sequence[Mapping[str, Any]]) -> BulkResult:
    """Set the physical progress of many (sub kegiatan, unit, month) in one statement (the
    progress import): each row has sub_kegiatan_id, unit_id, month, percent, reported_by, checked
    by the caller; a closed year still stops everything here."""
    result = BulkResult()
    if not rows:
        return result
    sub_ids = {row["sub_kegiatan_id"] for row in rows}
    for year in FiscalYear.objects.filter(subkegiatan__in=sub_ids).distinct():
        require_open(year)
    fields = ["sub_kegiatan_id", "unit_id", "month", "percent", "reported_by"]
    result.created, result.updated, result.unchanged = _table_upsert(
        PhysicalProgress,
        fields=fields,
        key=["sub_kegiatan_id", "unit_id", "month"],
        rows=({field: row[field] for field in fields} for row in rows),
    )
    return result

"""The validation pass: header mapping, then every row parsed, cleaned, de-duplicated and staged.

This is the hot loop of budget P1/P2: no database access per row (specs preload in `prepare`),
one parser closure per column, the checked rows written once to the staging file.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from sinergi.core.tabular.columns import CellError, Column, cell_as_text
from sinergi.core.tabular.readers import Sheet, SpreadsheetError
from sinergi.core.tabular.spec import ImportSpec, RowError, RowErrors
from sinergi.core.tabular.staging import StagingWriter

PROGRESS_EVERY = 2000
MAX_VALUE_LENGTH = 200


def normalise_header(text: Any) -> str:
    """`Kode Induk`, `kode-induk` and ` KODE_INDUK ` all become `kode_induk`."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).strip().casefold()).strip("_")


@dataclass
class HeaderMap:
    positions: dict[str, int]  # column key -> index in the row
    labels: dict[str, str]  # column key -> the header as written in the file
    ignored: list[str]  # headers of the file that match no column


def expected_headers(spec: ImportSpec) -> str:
    return ", ".join(c.key for c in spec.columns)


def map_headers(spec: ImportSpec, headers: Sequence[str]) -> HeaderMap:
    """Which file column holds which spec column; SpreadsheetError naming what is missing."""
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        for name in (column.key, column.label(), *column.aliases):
            lookup.setdefault(normalise_header(name), column)
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        found = lookup.get(normalise_header(header))
        if found is None:
            ignored.append(header)
        elif found.key in positions:
            duplicates.append(header)
        else:
            positions[found.key] = index
            labels[found.key] = header
    if not positions:
        raise SpreadsheetError(
            _(
                "The first row of the file must hold the column headers, but none of them is "
                "known. Expected headers: %(expected)s. Download the template to see the layout."
            )
            % {"expected": expected_headers(spec)}
        )
    missing = [c.key for c in spec.columns if c.required and c.key not in positions]
    if missing:
        raise SpreadsheetError(
            _(
                "The file lacks these required columns: %(missing)s. Expected headers: "
                "%(expected)s. Add the columns (or download the template) and upload again."
            )
            % {"missing": ", ".join(missing), "expected": expected_headers(spec)}
        )
    if duplicates:
        raise SpreadsheetError(
            _(
                "These columns appear more than once: %(columns)s. Keep one of each and upload again."
            )
            % {"columns": ", ".join(duplicates)}
        )
    return HeaderMap(positions, labels, ignored)


@dataclass
class ValidationOutcome:
    total_rows: int = 0
    valid_rows: int = 0
    error_rows: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    preview_headers: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    staged_fields: list[tuple[str, str]] = field(default_factory=list)
    staged_rows: int = 0
    present_columns: list[str] = field(default_factory=list)


def _raw_text(raw: Any) -> str:
    return cell_as_text(raw)[:MAX_VALUE_LENGTH]


def validate_sheet(
    spec: ImportSpec,
    sheet: Sheet,
    *,
    actor: Any,
    staging: IO[str] | None,
    max_errors: int,
    preview_rows: int,
    on_progress: Callable[[int], None] | None = None,
) -> ValidationOutcome:
    """Check every row of `sheet`; stage the good ones while no row has failed. Spec is per run."""
    headers = map_headers(spec, sheet.headers)
    run = spec.copy_for_run(present_columns=headers.positions.keys())
    run.prepare(actor=actor)
    outcome = ValidationOutcome(ignored_headers=headers.ignored)
    outcome.present_columns = [c.key for c in run.columns if c.key in headers.positions]
    outcome.staged_fields = run.staged_fields()
    present = [c for c in run.columns if c.key in headers.positions]
    outcome.preview_headers = [headers.labels[c.key] for c in present]
    writer = StagingWriter(staging, outcome.staged_fields) if staging is not None else None

    plan = [(c.key, headers.positions[c.key], c.parser(headers.labels[c.key])) for c in present]
    absent = [c.key for c in run.columns if c.key not in headers.positions]
    width = max(headers.positions.values()) + 1
    labels = {c.key: headers.labels.get(c.key, c.label()) for c in run.columns}
    natural_key = tuple(run.natural_key)
    single_key = natural_key[0] if len(natural_key) == 1 else None
    seen: dict[Any, int] = {}
    clean_row = run.clean_row
    errors = outcome.errors

    def add_error(number: int, key: str | None, raw: Any, message: str) -> None:
        outcome.error_count += 1
        if len(errors) < max_errors:
            errors.append(
                {
                    "row": number,
                    "column": labels.get(key, "") if key else "",
                    "value": _raw_text(raw),
                    "message": message,
                }
            )

    total = 0
    for number, cells in sheet.rows:
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        lead = cells[0]
        if (lead is None or (lead.__class__ is str and not lead.strip())) and all(
            c is None or (c.__class__ is str and not c.strip()) for c in cells
        ):
            continue  # an empty row (common at the end of sheets)
        total += 1
        row: dict[str, Any] = {}
        failed = False
        for key, index, parse in plan:
            try:
                row[key] = parse(cells[index])
            except CellError as exc:
                failed = True
                add_error(number, key, cells[index], exc.message)
        parsed = row
        if not failed:
            for key in absent:
                row[key] = None
            try:
                row = clean_row(row, actor=actor)
            except RowError as exc:
                failed = True
                raw = (
                    cells[headers.positions[exc.column]] if exc.column in headers.positions else ""
                )
                add_error(number, exc.column, raw, exc.message)
            except RowErrors as exc:
                failed = True
                for error in exc.errors:
                    raw = (
                        cells[headers.positions[error.column]]
                        if error.column in headers.positions
                        else ""
                    )
                    add_error(number, error.column, raw, error.message)
        if not failed and natural_key:
            key_value = parsed[single_key] if single_key else tuple(parsed[k] for k in natural_key)
            first = seen.setdefault(key_value, number)
            if first != number:
                failed = True
                column = natural_key[0]
                add_error(
                    number,
                    column,
                    cells[headers.positions[column]] if column in headers.positions else "",
                    _(
                        "%(column)s “%(value)s” appears more than once in this file (first on row "
                        "%(first)d). Keep one row for it."
                    )
                    % {
                        "column": labels[column],
                        "value": key_value if single_key else " / ".join(map(str, key_value)),
                        "first": first,
                    },
                )
        if failed:
            outcome.error_rows += 1
            if writer is not None:
                writer = None  # nothing will be applied: stop staging
        else:
            outcome.valid_rows += 1
            if writer is not None:
                writer.write(number, row)
            if len(outcome.preview) < preview_rows:
                outcome.preview.append(run.display_row(parsed))
        if on_progress is not None and total % PROGRESS_EVERY == 0:
            on_progress(total)
    outcome.total_rows = total
    outcome.staged_rows = writer.count if writer is not None else 0
    return outcome

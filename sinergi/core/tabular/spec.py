"""What an app declares to import a spreadsheet: its columns, natural key, row checks and apply step."""

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from sinergi.core.tabular.columns import Column
from sinergi.core.tabular.staging import StagedRows

if TYPE_CHECKING:
    from sinergi.core.models import ImportBatch


class RowError(Exception):
    """One problem with a row, raised from `clean_row`. `column` is a column key (or None)."""

    def __init__(self, message: Any, *, column: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.column = column


class RowErrors(Exception):
    """Several problems with one row at once."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportSpec:
    """Base class of an import. Subclass, set the attributes, register an instance.

    Each run (validation or apply) works on a shallow copy of the registered instance, so `prepare`
    may keep lookups on `self`. `present_columns` holds the keys of the columns found in the file;
    a missing optional column is None in every row, and should usually leave the stored value alone.
    """

    code: str = ""  # "organisation.units"
    title: Any = ""
    permission: str = ""  # "organisation.import_unit"
    columns: Sequence[Column] = ()
    natural_key: tuple[str, ...] = ()  # column keys whose values identify a record
    description: Any = ""
    sample_rows: Sequence[Mapping[str, Any]] = ()  # rows of the downloadable template

    present_columns: frozenset[str] = frozenset()

    def copy_for_run(self, *, present_columns: Iterable[str] = ()) -> Self:
        run = copy.copy(self)
        run.present_columns = frozenset(present_columns)
        return run

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def prepare(self, *, actor: Any) -> None:
        """Load what clean_row looks up (codes, existing keys) once, before the rows."""

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        """Check one parsed row against the database and the domain rules; return the row to stage.

        Raise RowError(message, column=key) or RowErrors([...]). Rows come in file order.
        """
        return row

    def staged_fields(self) -> list[tuple[str, str]]:
        """(key, kind) of the values clean_row returns, kept between validation and apply."""
        return [(c.key, c.kind) for c in self.columns if c.key in self.present_columns]

    def apply(self, rows: StagedRows, *, actor: Any, batch: "ImportBatch") -> ApplyResult:
        """Write the checked rows (inside the batch's one transaction) and count what changed."""
        raise NotImplementedError(f"{type(self).__name__} must implement apply()")

    def display_row(self, row: Mapping[str, Any]) -> list[str]:
        """A cleaned row as the preview table shows it, one cell per column in the file."""
        from sinergi.core.tabular.columns import cell_as_text

        return [cell_as_text(row.get(c.key)) for c in self.columns if c.key in self.present_columns]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


_FIELD_KINDS = {
    "CharField": "text",
    "SlugField": "text",
    "TextField": "text",
    "EmailField": "text",
    "URLField": "text",
    "IntegerField": "int",
    "BigIntegerField": "int",
    "SmallIntegerField": "int",
    "PositiveIntegerField": "int",
    "PositiveBigIntegerField": "int",
    "PositiveSmallIntegerField": "int",
    "AutoField": "int",
    "BigAutoField": "int",
    "SmallAutoField": "int",
    "DecimalField": "decimal",
    "DateField": "date",
    "DateTimeField": "datetime",
    "BooleanField": "bool",
}


def staged_kind(field: "models.Field[Any, Any]") -> str:
    """The staging kind of a model field (a ForeignKey takes the kind of the key it points to)."""
    if field.is_relation and field.many_to_one:
        target = field.target_field  # type: ignore[attr-defined]
        return staged_kind(target)
    internal = field.get_internal_type()
    try:
        return _FIELD_KINDS[internal]
    except KeyError:
        raise ImproperlyConfigured(
            f"{field.model.__name__}.{field.name}: {internal} cannot be imported in bulk"
        ) from None


class UpsertSpec(ImportSpec):
    """An import written set-based into one table: insert new natural keys, update changed rows.

    `clean_row` returns a dict keyed by the model's field attnames (e.g. "village_id"); `fields`
    lists those keys (default: the keys of the columns found in the file). `natural_key` must match a
    unique constraint of the table. Rows whose values did not change are not touched.
    `key_fields` are the attnames of that unique constraint (default: `natural_key`, when the
    columns are named like the fields).
    """

    model: type[models.Model]
    fields: Sequence[str] | None = None
    key_fields: Sequence[str] | None = None

    def upsert_fields(self) -> list[str]:
        if self.fields is not None:
            return list(self.fields)
        return [c.key for c in self.columns if c.key in self.present_columns]

    def staged_fields(self) -> list[tuple[str, str]]:
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        staged = []
        for name in self.upsert_fields():
            if name not in by_attname:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: {self.model.__name__} has no field {name!r}"
                )
            staged.append((name, staged_kind(by_attname[name])))
        return staged

    def apply(self, rows: StagedRows, *, actor: Any, batch: "ImportBatch") -> ApplyResult:
        from sinergi.core.tabular.upsert import TableUpsert

        key = self.key_fields if self.key_fields is not None else self.natural_key
        return TableUpsert(self.model, fields=rows.keys, key=key).run(rows)

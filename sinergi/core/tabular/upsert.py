"""Set-based upsert of staged rows into one table, counting created/updated/unchanged exactly.

PostgreSQL: COPY the staging file into a TEMP table, then one
`INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE ... WHERE (cols) IS DISTINCT FROM (excluded)`,
whose RETURNING `xmax = 0` tells inserts from updates. SQLite: executemany into a TEMP table, count
with two joins, then the same INSERT ... ON CONFLICT. No per-row ORM call on either path.
Run it inside a transaction (the batch apply does).

The SQL is assembled from quoted identifiers of the model's own metadata (never from user input);
values always travel as parameters or through COPY. Hence the `noqa: S608` marks below.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils import timezone

from sinergi.core.tabular.spec import ApplyResult
from sinergi.core.tabular.staging import StagedRows

_SQLITE_BATCH = 2000
_NOW = object()


class TableUpsert:
    def __init__(self, model: type[models.Model], *, fields: Sequence[str], key: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        missing = [name for name in [*fields, *key] if name not in concrete]
        if missing:
            raise ImproperlyConfigured(f"{model.__name__} has no fields {missing}")
        if not set(key) <= set(fields):
            raise ImproperlyConfigured("every natural-key field must be among the imported fields")
        self.fields = list(fields)
        self.key = list(key)
        self.compare = [f for f in self.fields if f not in self.key]
        self.concrete = concrete
        self._plan_extra_columns()

    def _plan_extra_columns(self) -> None:
        """Columns the file does not carry: timestamps and Python-side defaults for new rows."""
        now = _NOW  # replaced by the time of the run
        self.insert_extra: list[tuple[str, Any]] = []  # (column, value) on insert only
        self.touch: list[str] = []  # auto_now columns, set again on update
        for attname, field in self.concrete.items():
            if attname in self.fields or (
                field.primary_key and field.get_internal_type().endswith("AutoField")
            ):
                continue
            column = str(field.column)
            if getattr(field, "auto_now", False):
                self.insert_extra.append((column, now))
                self.touch.append(column)
            elif getattr(field, "auto_now_add", False):
                self.insert_extra.append((column, now))
            elif field.db_default is not models.NOT_PROVIDED:
                continue
            elif field.has_default() or (
                field.empty_strings_allowed and not field.null and not field.unique
            ):
                # An explicit default, or "" for a text column (what Model() would save).
                if callable(field.default) and (field.unique or field.primary_key):
                    raise ImproperlyConfigured(
                        f"{self.model.__name__}.{field.name} needs a value per row; "
                        "put it among the imported fields"
                    )
                value = field.get_db_prep_save(field.get_default(), connection)
                self.insert_extra.append((column, value))
            elif not field.null:
                raise ImproperlyConfigured(
                    f"{self.model.__name__}.{field.name} is required and has no default; "
                    "put it among the imported fields"
                )

    def _q(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def _column(self, attname: str) -> str:
        return self._q(str(self.concrete[attname].column))

    def run(self, rows: StagedRows) -> ApplyResult:
        if list(rows.keys) != self.fields:
            raise ImproperlyConfigured(
                f"staged fields {rows.keys} differ from the upsert fields {self.fields}"
            )
        if rows.count == 0:
            return ApplyResult()
        stage = f"import_stage_{uuid.uuid4().hex[:12]}"
        if connection.vendor == "postgresql":
            created, updated = self._run_postgresql(rows, stage)
        else:
            created, updated = self._run_generic(rows, stage)
        return ApplyResult(
            created=created, updated=updated, unchanged=rows.count - created - updated
        )

    def _insert_sql(self, stage: str, *, distinct: str) -> tuple[str, list[Any]]:
        target = self._q(self.table)
        columns = [self._column(f) for f in self.fields]
        extra_columns = [self._q(c) for c, _ in self.insert_extra]
        now = timezone.now()
        params = [now if value is _NOW else value for _, value in self.insert_extra]
        select = ", ".join([f"s.{c}" for c in columns] + ["%s" for _ in self.insert_extra])
        conflict = ", ".join(self._column(f) for f in self.key)
        sql = (
            f"INSERT INTO {target} ({', '.join(columns + extra_columns)}) "  # noqa: S608
            f"SELECT {select} FROM {self._q(stage)} s WHERE true ORDER BY s.import_row "
        )
        if self.compare:
            updates = [f"{self._column(f)} = excluded.{self._column(f)}" for f in self.compare]
            updates += [f"{self._q(c)} = excluded.{self._q(c)}" for c in self.touch]
            sql += f"ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(updates)} WHERE {distinct}"
        else:
            sql += f"ON CONFLICT ({conflict}) DO NOTHING"
        return sql, params

    def _create_stage(self, cursor: Any, stage: str, *, postgresql: bool) -> None:
        columns = ", ".join(f"t.{self._column(f)}" for f in self.fields)
        on_commit = " ON COMMIT DROP" if postgresql else ""
        limit = " WITH NO DATA" if postgresql else " WHERE 0"
        cursor.execute(
            f"CREATE TEMP TABLE {self._q(stage)}{on_commit} AS "  # noqa: S608
            f"SELECT 0 AS import_row, {columns} FROM {self._q(self.table)} t{limit}"
        )

    def _run_postgresql(self, rows: StagedRows, stage: str) -> tuple[int, int]:
        target = self._q(self.table)
        with connection.cursor() as cursor:
            self._create_stage(cursor, stage, postgresql=True)
            columns = ", ".join(["import_row", *(self._column(f) for f in self.fields)])
            with cursor.copy(f"COPY {self._q(stage)} ({columns}) FROM STDIN") as copy:
                for chunk in rows.copy_chunks():
                    copy.write(chunk)
            mine = ", ".join(f"{target}.{self._column(f)}" for f in self.compare)
            theirs = ", ".join(f"excluded.{self._column(f)}" for f in self.compare)
            distinct = f"ROW({mine}) IS DISTINCT FROM ROW({theirs})" if self.compare else ""
            sql, params = self._insert_sql(stage, distinct=distinct)
            cursor.execute(
                f"WITH up AS ({sql} RETURNING (xmax = 0) AS inserted) "  # noqa: S608
                "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) "
                "FROM up",
                params,
            )
            created, updated = cursor.fetchone()
            cursor.execute(f"DROP TABLE IF EXISTS {self._q(stage)}")
        return int(created), int(updated)

    def _run_generic(self, rows: StagedRows, stage: str) -> tuple[int, int]:
        target = self._q(self.table)
        fields = [self.concrete[f] for f in self.fields]
        with connection.cursor() as cursor:
            self._create_stage(cursor, stage, postgresql=False)
            placeholders = ", ".join(["%s"] * (len(fields) + 1))
            columns = ", ".join(["import_row", *(self._column(f) for f in self.fields)])
            insert = f"INSERT INTO {self._q(stage)} ({columns}) VALUES ({placeholders})"  # noqa: S608
            batch: list[list[Any]] = []
            for number, row in rows.with_row_numbers():
                values: list[Any] = [number]
                for field in fields:
                    value = row[field.attname]
                    values.append(
                        None if value is None else field.get_db_prep_save(value, connection)
                    )
                batch.append(values)
                if len(batch) >= _SQLITE_BATCH:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)

            join = " AND ".join(f"t.{self._column(f)} = s.{self._column(f)}" for f in self.key)
            cursor.execute(
                f"SELECT COUNT(*) FROM {self._q(stage)} s "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {join})"
            )
            created = int(cursor.fetchone()[0])
            if self.compare:
                differs = " OR ".join(
                    f"t.{self._column(f)} IS NOT s.{self._column(f)}" for f in self.compare
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {self._q(stage)} s JOIN {target} t ON {join} "  # noqa: S608
                    f"WHERE {differs}"
                )
                updated = int(cursor.fetchone()[0])
            else:
                updated = 0
            distinct = " OR ".join(
                f"{target}.{self._column(f)} IS NOT excluded.{self._column(f)}"
                for f in self.compare
            )
            sql, params = self._insert_sql(stage, distinct=distinct)
            cursor.execute(sql, params)
            cursor.execute(f"DROP TABLE IF EXISTS {self._q(stage)}")
        return created, updated

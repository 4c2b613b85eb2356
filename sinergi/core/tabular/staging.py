"""The checked rows of a batch, kept on disk between "validate" and "apply" so apply never re-parses.

The format is PostgreSQL's COPY text format (tab-separated, `\\N` for NULL, backslash escapes), one
line per row, the spreadsheet row number first. PostgreSQL loads it with COPY as is; other code
reads it back as dicts with `StagedRows`.
"""

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

STAGED_KINDS = ("text", "identity", "int", "decimal", "date", "datetime", "bool")
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "N": ""}


def _text(value: Any) -> str:
    text = value if value.__class__ is str else str(value)
    # Printable text without backslashes (nearly every value) needs no escaping.
    if "\\" not in text and text.isprintable():
        return text
    return text.translate(_ESCAPES)


def _decimal(value: Any) -> str:
    return format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")


def _bool(value: Any) -> str:
    return "t" if value else "f"


def _iso(value: Any) -> str:
    return value.isoformat()


def _int(value: Any) -> str:
    return str(int(value))


SERIALIZERS: dict[str, Callable[[Any], str]] = {
    "text": _text,
    "identity": _text,
    "int": _int,
    "decimal": _decimal,
    "date": _iso,
    "datetime": _iso,
    "bool": _bool,
}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(_UNESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


DESERIALIZERS: dict[str, Callable[[str], Any]] = {
    "text": _unescape,
    "identity": _unescape,
    "int": int,
    "decimal": Decimal,
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "bool": lambda text: text == "t",
}


class StagingWriter:
    """Appends checked rows (dicts) to the staging file, in the order of `fields`."""

    def __init__(self, handle: IO[str], fields: Sequence[tuple[str, str]]) -> None:
        for key, kind in fields:
            if kind not in STAGED_KINDS:
                raise ValueError(
                    f"field {key!r} has kind {kind!r}; staged kinds are {STAGED_KINDS}"
                )
        self.handle = handle
        self.fields = list(fields)
        # Text values are written inline (no call per value): None marks them in the plan.
        self._plan: list[tuple[str, Callable[[Any], str] | None]] = [
            (key, None if kind in ("text", "identity") else SERIALIZERS[kind])
            for key, kind in fields
        ]
        self._write = handle.write
        self.count = 0

    def write(self, row_number: int, row: dict[str, Any]) -> None:
        get = row.get
        values = [str(row_number)]
        append = values.append
        for key, serialize in self._plan:
            value = get(key)
            if value is None:
                append(NULL)
            elif serialize is not None:
                append(serialize(value))
            elif value.__class__ is str and "\\" not in value and value.isprintable():
                append(value)  # nearly every text value: nothing to escape
            else:
                append(_text(value))
        self._write("\t".join(values) + "\n")
        self.count += 1


class StagedRows:
    """The checked rows of a batch: iterate for dicts, or stream the raw lines into COPY."""

    def __init__(self, path: Path, fields: Sequence[tuple[str, str]], count: int) -> None:
        self.path = Path(path)
        self.fields = [(str(key), str(kind)) for key, kind in fields]
        self.keys = [key for key, _ in self.fields]
        self.count = count

    def __len__(self) -> int:
        return self.count

    def with_row_numbers(self) -> Iterator[tuple[int, dict[str, Any]]]:
        plan = [(key, DESERIALIZERS[kind]) for key, kind in self.fields]
        with self.path.open("r", encoding="utf-8", newline="\n") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                row = {
                    key: None if text == NULL else parse(text)
                    for (key, parse), text in zip(plan, parts[1:], strict=True)
                }
                yield int(parts[0]), row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for _number, row in self.with_row_numbers():
            yield row

    def copy_chunks(self, size: int = 1024 * 1024) -> Iterator[bytes]:
        """The file's bytes, for `COPY ... FROM STDIN` (row number first)."""
        with self.path.open("rb") as handle:
            while chunk := handle.read(size):
                yield chunk

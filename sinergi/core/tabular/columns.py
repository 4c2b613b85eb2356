"""Columns of an import: how one spreadsheet cell becomes a Python value, or a message saying why not.

Cells come as strings from CSV and as str/float/int/bool/date/datetime from python-calamine.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

KINDS = ("text", "identity", "int", "decimal", "date", "bool")

# Excel keeps 15 significant digits: a longer number typed into a number cell has lost digits.
EXCEL_DIGITS = 15
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_INT = re.compile(r"^[+-]?\d+$")
_GROUPED_INT = re.compile(r"^[+-]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "benar", "1", "aktif"})
FALSE_WORDS = frozenset({"tidak", "t", "no", "n", "false", "salah", "0", "tidak aktif"})


_MISSING = object()


class CellError(Exception):
    """A cell's value is unusable; `message` says what is wrong and how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def number_as_text(value: float | int) -> str:
    """How a number cell looks to the user: 12 (not 12.0), 3.58e+15 for long ones."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**EXCEL_DIGITS:
        return str(int(value))
    if isinstance(value, float) and abs(value) >= 10**EXCEL_DIGITS:
        return f"{value:.3g}"
    return str(value)


def cell_as_text(raw: Any) -> str:
    """A raw cell shown back to the user (error lists, the errors workbook)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float):
        return number_as_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d-%m-%Y %H:%M") if (raw.hour or raw.minute) else f"{raw:%d-%m-%Y}"
    if isinstance(raw, dt.date):
        return raw.strftime("%d-%m-%Y")
    return str(raw)


@dataclass(frozen=True)
class Column:
    """One column an import reads. `key` is the header in the template and the key in the row dict.

    `header` is the human label (used in messages); `aliases` are other headers accepted for the
    column (e.g. English ones). `choices` is a list of allowed values, or a mapping of accepted
    spellings (matched case-insensitively) to the value stored.
    """

    key: str
    header: Any
    kind: str = "text"
    required: bool = True
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    choices: Sequence[Any] | Mapping[str, Any] | None = None
    help_text: Any = ""
    _parser: Callable[[Any], Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; use one of {KINDS}")

    def label(self) -> str:
        return str(self.header)

    def parse(self, raw: Any) -> Any:
        """The value of one cell (None when empty and optional), or CellError."""
        return self.parser()(raw)

    def parser(self, label: str | None = None) -> Callable[[Any], Any]:
        """A fast single-argument function for the import loop (built once per run).

        `label` names the column in messages (the header as written in the file)."""
        return _build_parser(self, label or self.label())

    def format_hint(self) -> str:
        """How to write a value, for the upload page and the template's instructions sheet."""
        hints = {
            "text": _("Text"),
            "identity": _("Text of digits (format the cell as Text, never as a number)"),
            "int": _("Whole number, e.g. 25"),
            "decimal": _("Number, e.g. 1500000 or 1.500.000,50"),
            "date": _("Date dd-mm-yyyy, e.g. 31-12-2024"),
            "bool": _("ya or tidak"),
        }
        hint = hints[self.kind]
        if self.max_length:
            hint += " · " + _("at most %(count)d characters") % {"count": self.max_length}
        if self.choices:
            hint += " · " + _("one of: %(values)s") % {"values": ", ".join(self.choice_labels())}
        return hint

    def choice_labels(self) -> list[str]:
        if not self.choices:
            return []
        if isinstance(self.choices, Mapping):
            return [str(v) for v in dict.fromkeys(self.choices.values())]
        return [str(v) for v in self.choices]


def _build_parser(column: Column, label: str) -> Callable[[Any], Any]:
    required = column.required
    max_length = column.max_length

    def empty() -> None:
        if required:
            raise CellError(
                _("%(column)s is empty. Fill it in: this column is required.") % {"column": label}
            )

    base = _KIND_PARSERS[column.kind]

    def check_length(text: str) -> str:
        if max_length is not None and len(text) > max_length:
            raise CellError(
                _(
                    "%(column)s is %(length)d characters long; at most %(max)d are allowed. "
                    "Shorten it."
                )
                % {"column": label, "length": len(text), "max": max_length}
            )
        return text

    choice_map: dict[str, Any] | None = None
    if column.choices:
        if isinstance(column.choices, Mapping):
            choice_map = {str(k).strip().casefold(): v for k, v in column.choices.items()}
            for v in column.choices.values():
                choice_map.setdefault(str(v).strip().casefold(), v)
        else:
            choice_map = {str(v).strip().casefold(): v for v in column.choices}
    allowed = ", ".join(column.choice_labels())

    if column.kind == "text" and choice_map is None:
        # The hot path: a plain text column.
        def parse_text(raw: Any) -> Any:
            if raw.__class__ is str:
                text = raw.strip()
                if not text:
                    return empty()
                if max_length is not None and len(text) > max_length:
                    return check_length(text)
                return text
            if _is_empty(raw):
                return empty()
            return check_length(cell_as_text(raw).strip())

        return parse_text

    identity_length = max_length if column.kind == "identity" else None

    def parse(raw: Any) -> Any:
        if _is_empty(raw):
            return empty()
        if (
            identity_length
            and isinstance(raw, int | float)
            and not isinstance(raw, bool)
            and (digits := identity_from_number(raw, length=identity_length)) is not None
        ):
            return digits
        value = base(raw, label)
        if isinstance(value, str):
            check_length(value)
        if choice_map is not None:
            try:
                return choice_map[str(value).strip().casefold()]
            except KeyError:
                raise CellError(
                    _("%(column)s “%(value)s” is not one of the allowed values: %(allowed)s.")
                    % {"column": label, "value": cell_as_text(raw), "allowed": allowed}
                ) from None
        return value

    # Fast paths for the common case of a well-formed text cell (every CSV cell is text); anything
    # unusual falls back to `parse`, which gives the precise message.
    if choice_map is not None:
        choices = choice_map

        def parse_choice(raw: Any) -> Any:
            if raw.__class__ is str:
                found = choices.get(raw.strip().casefold(), _MISSING)
                if found is not _MISSING:
                    return found
            return parse(raw)

        return parse_choice
    if column.kind == "identity":

        def parse_identity(raw: Any) -> Any:
            if raw.__class__ is str:
                text = raw.strip()
                if (
                    text.isdigit()
                    and text.isascii()
                    and (max_length is None or len(text) <= max_length)
                ):
                    return text
            return parse(raw)

        return parse_identity
    if column.kind == "date":

        def parse_date(raw: Any) -> Any:
            kind = raw.__class__
            if kind is dt.date:  # a real date cell of a workbook
                return raw
            if kind is dt.datetime:
                return raw.date()
            if kind is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    pass
            return parse(raw)

        return parse_date
    if column.kind == "int":

        def parse_int(raw: Any) -> Any:
            kind = raw.__class__
            if kind is int:  # a number cell of a workbook
                return raw
            if kind is float and raw.is_integer():  # how python-calamine gives a number cell
                return int(raw)
            if kind is str and raw.isdigit() and raw.isascii():
                return int(raw)
            return parse(raw)

        return parse_int
    if column.kind == "decimal":

        def parse_decimal(raw: Any) -> Any:
            kind = raw.__class__
            if kind is float:  # a number cell of a workbook: exactly as _parse_decimal reads it
                return Decimal(repr(raw))
            if kind is int:
                return Decimal(raw)
            return parse(raw)

        return parse_decimal
    return parse


def _parse_text(raw: Any, label: str) -> str:
    return raw.strip() if isinstance(raw, str) else cell_as_text(raw).strip()


def _lost_digits(label: str, shown: str) -> CellError:
    return CellError(
        _(
            "Column %(column)s holds a number, not text: %(value)s lost digits. "
            "Format the column as Text and type the values again."
        )
        % {"column": label, "value": shown}
    )


def _parse_identity(raw: Any, label: str) -> str:
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("'"):  # Excel's "this is text" prefix, kept by some CSV exports
            text = text[1:].strip()
        if _SCIENTIFIC.match(text):
            raise _lost_digits(label, text)
        return text
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise CellError(
            _("Column %(column)s must hold text, not “%(value)s”.")
            % {"column": label, "value": cell_as_text(raw)}
        )
    # A number cell whose digits may be gone (too long for Excel, or leading zeros dropped).
    raise _lost_digits(label, number_as_text(raw))


def identity_from_number(raw: float | int, *, length: int) -> str | None:
    """The digits of a number cell when they are surely exact (<= 15 digits, exactly `length`)."""
    if isinstance(raw, float):
        if not raw.is_integer():
            return None
        raw = int(raw)
    digits = str(abs(raw))
    if raw >= 0 and len(digits) == length and len(digits) <= EXCEL_DIGITS:
        return digits
    return None


def _parse_int(raw: Any, label: str) -> int:
    if isinstance(raw, bool):
        raise _not_a_whole_number(label, raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise _not_a_whole_number(label, raw)
    text = str(raw).strip().replace(" ", "")
    if _INT.match(text):
        return int(text)
    if _GROUPED_INT.match(text) and not _AMBIGUOUS.match(text):
        return int(text.replace(".", "").replace(",", ""))
    if _AMBIGUOUS.match(text) and "." in text:
        # 1.500 is one thousand five hundred in Indonesian writing.
        return int(text.replace(".", ""))
    raise _not_a_whole_number(label, raw)


def _not_a_whole_number(label: str, raw: Any) -> CellError:
    return CellError(
        _("%(column)s must be a whole number, not “%(value)s”. Write it like 25.")
        % {"column": label, "value": cell_as_text(raw)}
    )


def _parse_decimal(raw: Any, label: str) -> Decimal:
    if isinstance(raw, bool):
        raise _not_a_number(label, raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if text[:2].lower() == "rp":
        text = text[2:].lstrip(".")
    if not text:
        raise _not_a_number(label, raw)
    if _AMBIGUOUS.match(text):
        raise CellError(
            _(
                "%(column)s “%(value)s” is ambiguous: the separator could mark thousands or "
                "decimals. Write the number without thousands separators, e.g. 1500 or 1,5."
            )
            % {"column": label, "value": text}
        )
    if "," in text and "." in text:
        # The separator written last is the decimal one: 1.500.000,50 or 1,500,000.50.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") > 1 or text.count(".") > 1:
        if not _GROUPED_INT.match(text):
            raise _not_a_number(label, raw)
        text = text.replace(",", "").replace(".", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _not_a_number(label, raw) from None
    if not value.is_finite():
        raise _not_a_number(label, raw)
    return value


def _not_a_number(label: str, raw: Any) -> CellError:
    return CellError(
        _("%(column)s must be a number, not “%(value)s”. Write it like 1500000 or 1.500.000,50.")
        % {"column": label, "value": cell_as_text(raw)}
    )


def _parse_date(raw: Any, label: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # A date typed in a cell formatted as a number: Excel's day count since 1899-12-30.
        if 1 <= raw < 2958466 and float(raw).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise _not_a_date(label, raw)
    text = str(raw).strip()
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _DATE_YMD.match(text)
        if not match:
            raise _not_a_date(label, raw)
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            _("%(column)s: %(value)s is not a real date. Check the day and the month.")
            % {"column": label, "value": text}
        ) from None


def _not_a_date(label: str, raw: Any) -> CellError:
    return CellError(
        _("%(column)s must be a date written as dd-mm-yyyy (e.g. 31-12-2024), not “%(value)s”.")
        % {"column": label, "value": cell_as_text(raw)}
    )


def _parse_bool(raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        _("%(column)s must be “ya” or “tidak”, not “%(value)s”.")
        % {"column": label, "value": cell_as_text(raw)}
    )


_KIND_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "text": _parse_text,
    "identity": _parse_identity,
    "int": _parse_int,
    "decimal": _parse_decimal,
    "date": _parse_date,
    "bool": _parse_bool,
}

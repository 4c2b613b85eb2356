"""Shared parts of the identity-number checks: sexes, errors, digit and date checks."""

import datetime as dt
import re
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Kemendagri province codes, Kepmendagri 300.2.2-2138/2025 (idn-area-data 4.0.1, provinces.csv).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        *("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"),
        *("31", "32", "33", "34", "35", "36", "51", "52", "53"),
        *("61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76"),
        *("81", "82", "91", "92", "93", "94", "95", "96"),
    }
)
# Minimum age of a CPNS/PPPK applicant (PP 11/2017 Ps 23(1)a: 18 years when applying).
NIP_MIN_APPOINTMENT_AGE = 18
NIK_LENGTH = 16
KK_LENGTH = 16
NIP_LENGTH = 18
FEMALE_DAY_OFFSET = 40  # NIK: day of birth + 40 for women

Label = str | Promise  # a (lazily) translated noun such as "NIK", put into messages
_SEPARATORS = re.compile(r"[\s.\-]+")
# Any date in a year before this one is in the past for as long as this process runs (and in any
# time zone), so "not in the future" needs the current date only for dates from this year on.
_PAST_YEARS_BELOW = dt.date.today().year - 1
_SCIENTIFIC = re.compile(r"^\s*[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+\s*$")


class Sex(models.TextChoices):
    """Sex as written on the KTP: L (laki-laki) or P (perempuan)."""

    MALE = "L", gettext_lazy("Male")
    FEMALE = "P", gettext_lazy("Female")


_SEX_ALIASES = {
    **dict.fromkeys(["l", "m", "male", "laki-laki", "laki laki", "lk", "pria", "1"], Sex.MALE),
    **dict.fromkeys(["p", "f", "female", "perempuan", "pr", "wanita", "2"], Sex.FEMALE),
}


_MALE, _FEMALE = Sex.MALE, Sex.FEMALE  # plain names: enum attribute access is slow per row
# Nouns put into the messages, translated when a message is shown.
_NIK, _KTP_OR_KK = gettext_lazy("NIK"), gettext_lazy("KTP or family card")
_KK, _FAMILY_CARD = gettext_lazy("KK number"), gettext_lazy("family card")
_NIP, _SK = gettext_lazy("NIP"), gettext_lazy("appointment decree (SK) or employee card")
_SEX_EXACT: dict[Any, Sex | None] = {"L": Sex.MALE, "P": Sex.FEMALE, None: None, "": None}


def coerce_sex(value: Any) -> Sex | None:
    """Sex from Sex, "L"/"P", "M"/"F", "laki-laki"/"perempuan", 1/2; None or "" when not given."""
    try:
        return _SEX_EXACT[value]  # Sex.MALE == "L": members hit this fast path too
    except (KeyError, TypeError):
        pass
    found = _SEX_ALIASES.get(str(value).strip().lower())
    if found is None:
        raise ValueError(f"unknown sex value {value!r}: use Sex.MALE or Sex.FEMALE")
    return found


@dataclass(frozen=True)
class IdentityProblem:
    code: str  # e.g. "length", "district", "birth_date_mismatch"
    message: str


class IdentityError(ValueError):
    """An identity number is invalid; `problems` lists each problem with a code and a message."""

    def __init__(self, problems: Iterable[IdentityProblem]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def as_validation_error(self) -> ValidationError:
        return ValidationError([ValidationError(p.message, code=p.code) for p in self.problems])


class NikInfo(NamedTuple):
    number: str  # the 16 digits
    province_code: str  # "35"
    regency_code: str  # "35.78"
    district_code: str  # "35.78.01"
    birth_date: dt.date
    sex: Sex
    serial: str  # "0001"


class KkInfo(NamedTuple):
    number: str
    province_code: str
    regency_code: str
    district_code: str
    registered_on: dt.date
    serial: str


class NipInfo(NamedTuple):
    number: str  # the 18 digits
    birth_date: dt.date
    appointed_year: int
    appointed_month: int | None  # None for an NI PPPK (year only)
    sex: Sex
    serial: str  # "001"
    pppk_code: str | None = None  # digits 13-14 of an NI PPPK, e.g. "21"

    @property
    def is_pppk(self) -> bool:
        return self.pppk_code is not None


# --- shared checks ------------------------------------------------------------------------------


def _ddmmyyyy(value: dt.date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def _digits(
    value: Any, *, label: Label, length: int, hint: Label
) -> tuple[str | None, list[IdentityProblem]]:
    """The digits of `value` with separators removed, or the problems that prevent reading it."""
    if isinstance(value, float) or (isinstance(value, str) and _SCIENTIFIC.match(value)):
        shown = f"{value:.6g}" if isinstance(value, float) else value.strip()
        return None, [
            IdentityProblem(
                "number_cell",
                _(
                    "The %(label)s %(value)s was stored as a number by a spreadsheet and has "
                    "lost its last digits. Format the column as Text, then type all %(length)d "
                    "digits again."
                )
                % {"label": label, "value": shown, "length": length},
            )
        ]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"{label} must be a string, not {type(value).__name__}")
    text = _SEPARATORS.sub("", str(value))
    if not text:
        return None, [
            IdentityProblem(
                "required",
                _("Fill in the %(label)s: the %(length)d-digit number on the %(document)s.")
                % {"label": label, "length": length, "document": hint},
            )
        ]
    others = [c for c in dict.fromkeys(text) if not ("0" <= c <= "9")]
    if others:
        return None, [
            IdentityProblem(
                "characters",
                _(
                    "The %(label)s may contain only digits, but it contains %(characters)s. "
                    "Type the %(length)d digits exactly as written on the %(document)s "
                    "(the letter O is not a zero, the letter l is not a one)."
                )
                % {
                    "label": label,
                    "characters": ", ".join(f"“{c}”" for c in others),
                    "length": length,
                    "document": hint,
                },
            )
        ]
    if len(text) != length:
        return None, [
            IdentityProblem(
                "length",
                ngettext(
                    "The %(label)s must have %(length)d digits, but %(count)d digit was given. "
                    "Check the number on the %(document)s and type all %(length)d digits.",
                    "The %(label)s must have %(length)d digits, but %(count)d digits were given. "
                    "Check the number on the %(document)s and type all %(length)d digits.",
                    len(text),
                )
                % {"label": label, "length": length, "count": len(text), "document": hint},
            )
        ]
    return text, []


def _region_problems(
    digits: str,
    district: str,
    *,
    label: Label,
    document: Label,
    province_codes: Collection[str] | None,
    district_exists: Callable[[str], bool] | None,
) -> list[IdentityProblem]:
    province = digits[:2]
    if province not in (PROVINCE_CODES if province_codes is None else province_codes):
        return [
            IdentityProblem(
                "province",
                _(
                    "The %(label)s starts with %(code)s, which is not an Indonesian province "
                    "code. Check the first 2 digits against the %(document)s."
                )
                % {"label": label, "code": province, "document": document},
            )
        ]
    if district_exists is not None and not district_exists(district):
        return [
            IdentityProblem(
                "district",
                _(
                    "The kecamatan code %(code)s (the first 6 digits of the %(label)s) is not in "
                    "the region list. Check the first 6 digits against the %(document)s."
                )
                % {"code": district, "label": label, "document": document},
            )
        ]
    return []


def _date_from_two_digit_year(
    day: int, month: int, yy: int, *, today: dt.date | None, hint: dt.date | None
) -> dt.date | None:
    """The real date DD-MM-YY that is not after today, preferring the century of `hint`."""
    years: tuple[int, ...] = (2000 + yy, 1900 + yy)
    if hint is not None and hint.year % 100 == yy:
        years = (hint.year, *years)
    for year in years:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if (today is None and year < _PAST_YEARS_BELOW) or candidate <= _today(today):
            return candidate
    return None


_today_cache: tuple[int, dt.date] = (-1, dt.date.min)


def _today(today: dt.date | None) -> dt.date:
    """`today`, or the date in Asia/Jakarta (re-read at most once a minute: bulk imports call this
    per row)."""
    global _today_cache
    if today is not None:
        return today
    minute = int(time.monotonic() // 60)
    if _today_cache[0] != minute:
        _today_cache = (minute, timezone.localdate())
    return _today_cache[1]


def _is_plain_digits(value: Any, length: int) -> bool:
    return type(value) is str and len(value) == length and value.isascii() and value.isdigit()

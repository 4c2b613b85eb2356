"""Indonesian identity numbers: NIK (KTP), KK number and NIP (civil servants). Pure Python, no DB.

ARCHITECTURE.md convention 6 and DOMAIN.md section 9. `parse_*` return the facts a number carries
or raise `IdentityError` listing EVERY problem found, each with a stable `code` (so a caller may
treat some, e.g. an unknown kecamatan of an old NIK, as a warning) and a message that says what is
wrong and what to check. Decisions:

- Input: surrounding whitespace and the separators people type between digit groups (space, dot,
  hyphen: "3578 0144 1180 0001", "19801104 200501 1 001") are removed before checking; any other
  character is named in the message. A spreadsheet number ("3.57801E+15", or a float) is rejected
  with a message saying the digits were lost and the column must be formatted as Text.
- Two-digit years (NIK, KK): when a birth date is given and its last two digits match, its century
  is used; otherwise 20YY unless that date is after today, else 19YY (a date is never in the future).
- NIK province: one of the 38 province codes (`PROVINCE_CODES`, or `province_codes=`); kecamatan:
  checked when a `district_exists("35.78.01") -> bool` callable is given (the organisation app
  passes one backed by the Region table, see `sinergi.organisation.fields`).
- NIP (Perka BKN 22/2007): birth date YYYYMMDD + appointment (TMT CPNS) YYYYMM + sex 1/2 + serial.
  When digits 13-14 are 13-99 the number is read as an NI PPPK (appointment year + PPPK code, e.g.
  "21"), whose positions are otherwise the same (⚠️ secondary sources, verify with BKD). The
  appointment is not in the future and not before the 18th birthday (minimum age of a CPNS
  applicant, PP 11/2017 Ps 23(1)a); for a PPPK only the years are compared.
"""

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


# --- NIK ----------------------------------------------------------------------------------------


def parse_nik(
    value: Any,
    *,
    birth_date: dt.date | None = None,
    sex: Any = None,
    district_exists: Callable[[str], bool] | None = None,
    province_codes: Collection[str] | None = None,
    today: dt.date | None = None,
) -> NikInfo:
    """Parse and check a NIK; with `birth_date`/`sex`, also check it agrees with them."""
    label, document = _NIK, _KTP_OR_KK
    problems: list[IdentityProblem] = []
    if _is_plain_digits(value, NIK_LENGTH):  # the common case, kept fast for bulk imports
        digits = value
    else:
        digits, problems = _digits(value, label=label, length=NIK_LENGTH, hint=document)
        if digits is None:
            raise IdentityError(problems)
    district = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    problems += _region_problems(
        digits,
        district,
        label=label,
        document=document,
        province_codes=province_codes,
        district_exists=district_exists,
    )
    sex_given = coerce_sex(sex)
    code_day, month, yy, serial = (
        int(digits[6:8]),
        int(digits[8:10]),
        int(digits[10:12]),
        digits[12:],
    )
    nik_sex = _FEMALE if code_day > FEMALE_DAY_OFFSET else _MALE
    day = code_day - FEMALE_DAY_OFFSET if nik_sex is _FEMALE else code_day
    born: dt.date | None = None
    if not (1 <= code_day <= 31 or 41 <= code_day <= 71):
        problems.append(
            IdentityProblem(
                "day",
                _(
                    "Digits 7-8 of the NIK (%(day)s) are not a day of birth: they must be 01-31 "
                    "for a man, or 41-71 for a woman (day + 40). Check them against the KTP."
                )
                % {"day": digits[6:8]},
            )
        )
    if not 1 <= month <= 12:
        problems.append(
            IdentityProblem(
                "month",
                _(
                    "Digits 9-10 of the NIK (%(month)s) are not a month of birth: they must be "
                    "01-12. Check them against the KTP."
                )
                % {"month": digits[8:10]},
            )
        )
    if not problems or all(p.code in {"province", "district"} for p in problems):
        born = _date_from_two_digit_year(day, month, yy, today=today, hint=birth_date)
        if born is None:
            problems.append(
                IdentityProblem(
                    "date",
                    _(
                        "Digits 7-12 of the NIK give the birth date %(date)s, which does not "
                        "exist. Check them against the KTP."
                    )
                    % {"date": f"{day:02d}-{month:02d}-{digits[10:12]}"},
                )
            )
    if serial == "0000":
        problems.append(
            IdentityProblem(
                "serial",
                _(
                    "The last 4 digits of the NIK are 0000, but serial numbers start at 0001. "
                    "Check them against the KTP."
                ),
            )
        )
    if born is not None and birth_date is not None and born != birth_date:
        problems.append(
            IdentityProblem(
                "birth_date_mismatch",
                _(
                    "The birth date in the NIK (%(nik_date)s) is not the same as the birth date "
                    "entered (%(birth_date)s). Check both against the KTP and correct the wrong one."
                )
                % {"nik_date": _ddmmyyyy(born), "birth_date": _ddmmyyyy(birth_date)},
            )
        )
    if 1 <= day <= 31 and sex_given is not None and sex_given != nik_sex:
        if nik_sex is _FEMALE:
            message = _(
                "This NIK belongs to a woman (day %(code_day)s = %(day)d + 40) but the sex "
                "entered is male. Check the sex, or check digits 7-8 of the NIK against the KTP."
            ) % {"code_day": digits[6:8], "day": day}
        else:
            message = _(
                "This NIK belongs to a man (day %(code_day)s, without + 40) but the sex entered "
                "is female; for a woman the NIK would show day %(female_day)d. Check the sex, or "
                "check digits 7-8 of the NIK against the KTP."
            ) % {"code_day": digits[6:8], "female_day": day + FEMALE_DAY_OFFSET}
        problems.append(IdentityProblem("sex_mismatch", message))
    if problems:
        raise IdentityError(problems)
    assert born is not None  # no problems means the date was read
    return NikInfo(
        number=digits,
        province_code=digits[0:2],
        regency_code=district[:5],
        district_code=district,
        birth_date=born,
        sex=nik_sex,
        serial=serial,
    )


def make_nik(district_code: str, birth_date: dt.date, sex: Any, serial: int) -> str:
    """The NIK of a person registered in kecamatan "35.78.01" (for tests, demo and bench data)."""
    region = district_code.replace(".", "")
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"district code must look like 35.78.01, not {district_code!r}")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1-9999")
    day = birth_date.day + (FEMALE_DAY_OFFSET if coerce_sex(sex) == Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


# --- KK -----------------------------------------------------------------------------------------


def parse_kk(
    value: Any,
    *,
    district_exists: Callable[[str], bool] | None = None,
    province_codes: Collection[str] | None = None,
    today: dt.date | None = None,
) -> KkInfo:
    """Parse and check a family card (KK) number: region 6 + registration DDMMYY + serial 4."""
    label, document = _KK, _FAMILY_CARD
    problems: list[IdentityProblem] = []
    if _is_plain_digits(value, KK_LENGTH):
        digits = value
    else:
        digits, problems = _digits(value, label=label, length=KK_LENGTH, hint=document)
        if digits is None:
            raise IdentityError(problems)
    district = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    problems += _region_problems(
        digits,
        district,
        label=label,
        document=document,
        province_codes=province_codes,
        district_exists=district_exists,
    )
    day, month, yy, serial = int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), digits[12:]
    registered = _date_from_two_digit_year(day, month, yy, today=today, hint=None)
    if registered is None:
        problems.append(
            IdentityProblem(
                "date",
                _(
                    "Digits 7-12 of the KK number (%(digits)s) are not a registration date "
                    "(day, month, year: DDMMYY). Check them against the family card."
                )
                % {"digits": digits[6:12]},
            )
        )
    if serial == "0000":
        problems.append(
            IdentityProblem(
                "serial",
                _(
                    "The last 4 digits of the KK number are 0000, but serial numbers start at "
                    "0001. Check them against the family card."
                ),
            )
        )
    if problems:
        raise IdentityError(problems)
    assert registered is not None
    return KkInfo(
        number=digits,
        province_code=digits[0:2],
        regency_code=district[:5],
        district_code=district,
        registered_on=registered,
        serial=serial,
    )


def make_kk(district_code: str, registered_on: dt.date, serial: int) -> str:
    """A KK number registered in kecamatan "35.78.01" on `registered_on` (tests and demo data)."""
    region = district_code.replace(".", "")
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"district code must look like 35.78.01, not {district_code!r}")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1-9999")
    return f"{region}{registered_on:%d%m}{registered_on.year % 100:02d}{serial:04d}"


# --- NIP ----------------------------------------------------------------------------------------


def parse_nip(
    value: Any,
    *,
    birth_date: dt.date | None = None,
    sex: Any = None,
    today: dt.date | None = None,
) -> NipInfo:
    """Parse and check a NIP (or NI PPPK); with `birth_date`/`sex`, check it agrees with them."""
    problems: list[IdentityProblem] = []
    if _is_plain_digits(value, NIP_LENGTH):
        digits = value
    else:
        digits, problems = _digits(
            value,
            label=_NIP,
            length=NIP_LENGTH,
            hint=_SK,
        )
        if digits is None:
            raise IdentityError(problems)
    now = _today(today)
    sex_given = coerce_sex(sex)
    born: dt.date | None = None
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        born = None
    if born is None or born.year < 1900:
        born = None
        problems.append(
            IdentityProblem(
                "birth_date",
                _(
                    "Digits 1-8 of the NIP (%(digits)s) are not a date of birth (year, month, "
                    "day: YYYYMMDD). Check them against the SK."
                )
                % {"digits": digits[0:8]},
            )
        )
    elif born > now:
        problems.append(
            IdentityProblem(
                "birth_date_future",
                _(
                    "The birth date in the NIP (%(date)s) is in the future. Check digits 1-8 "
                    "against the SK."
                )
                % {"date": _ddmmyyyy(born)},
            )
        )
        born = None
    appointed_year, code = int(digits[8:12]), int(digits[12:14])
    appointed_month: int | None = code if 1 <= code <= 12 else None
    pppk_code = digits[12:14] if code > 12 else None
    appointment_ok = True
    if code == 0 or appointed_year < 1900:
        appointment_ok = False
        problems.append(
            IdentityProblem(
                "appointment",
                _(
                    "Digits 9-14 of the NIP (%(digits)s) are not an appointment month (TMT CPNS, "
                    "year and month: YYYYMM). Check them against the SK CPNS."
                )
                % {"digits": digits[8:14]},
            )
        )
    elif (appointed_year, appointed_month or 1) > (now.year, now.month):
        appointment_ok = False
        shown = (
            f"{appointed_month:02d}-{appointed_year}" if appointed_month else str(appointed_year)
        )
        problems.append(
            IdentityProblem(
                "appointment_future",
                _(
                    "The appointment date in the NIP (%(appointed)s) is in the future. Check "
                    "digits 9-14 against the SK."
                )
                % {"appointed": shown},
            )
        )
    if appointment_ok and born is not None:
        earliest = (born.year + NIP_MIN_APPOINTMENT_AGE, born.month)
        too_young = (
            (appointed_year, appointed_month) < earliest
            if appointed_month is not None
            else appointed_year < earliest[0]
        )
        if too_young:
            shown = (
                f"{appointed_month:02d}-{appointed_year}"
                if appointed_month
                else str(appointed_year)
            )
            problems.append(
                IdentityProblem(
                    "appointment_age",
                    _(
                        "The NIP says the employee was appointed in %(appointed)s, before the "
                        "age of %(age)d (born %(birth_date)s). Check digits 1-14 against the SK."
                    )
                    % {
                        "appointed": shown,
                        "age": NIP_MIN_APPOINTMENT_AGE,
                        "birth_date": _ddmmyyyy(born),
                    },
                )
            )
    sex_digit = digits[14]
    nip_sex = {"1": Sex.MALE, "2": Sex.FEMALE}.get(sex_digit)
    if nip_sex is None:
        problems.append(
            IdentityProblem(
                "sex",
                _(
                    "Digit 15 of the NIP is %(digit)s, but it must be 1 (male) or 2 (female). "
                    "Check it against the SK."
                )
                % {"digit": sex_digit},
            )
        )
    if digits[15:] == "000":
        problems.append(
            IdentityProblem(
                "serial",
                _(
                    "The last 3 digits of the NIP are 000, but serial numbers start at 001. "
                    "Check them against the SK."
                ),
            )
        )
    if born is not None and birth_date is not None and born != birth_date:
        problems.append(
            IdentityProblem(
                "birth_date_mismatch",
                _(
                    "The birth date in the NIP (%(nip_date)s) is not the same as the birth date "
                    "entered (%(birth_date)s). Check both against the SK and correct the wrong one."
                )
                % {"nip_date": _ddmmyyyy(born), "birth_date": _ddmmyyyy(birth_date)},
            )
        )
    if nip_sex is not None and sex_given is not None and sex_given != nip_sex:
        if nip_sex == Sex.FEMALE:
            message = _(
                "This NIP belongs to a woman (digit 15 is 2) but the sex entered is male. "
                "Check the sex, or check the NIP against the SK."
            )
        else:
            message = _(
                "This NIP belongs to a man (digit 15 is 1) but the sex entered is female. "
                "Check the sex, or check the NIP against the SK."
            )
        problems.append(IdentityProblem("sex_mismatch", message))
    if problems:
        raise IdentityError(problems)
    assert born is not None
    assert nip_sex is not None
    return NipInfo(
        number=digits,
        birth_date=born,
        appointed_year=appointed_year,
        appointed_month=appointed_month,
        sex=nip_sex,
        serial=digits[15:],
        pppk_code=pppk_code,
    )


def make_nip(
    birth_date: dt.date, appointed_on: dt.date, sex: Any, serial: int, *, pppk_code: str = ""
) -> str:
    """A NIP (or, with `pppk_code` like "21", an NI PPPK) for tests, demo and bench data."""
    if not 1 <= serial <= 999:
        raise ValueError("serial must be 1-999")
    if pppk_code and not (len(pppk_code) == 2 and pppk_code.isdigit() and int(pppk_code) > 12):
        raise ValueError("a PPPK code is two digits from 13 to 99")
    middle = f"{appointed_on.year:04d}{pppk_code or f'{appointed_on.month:02d}'}"
    sex_digit = "2" if coerce_sex(sex) == Sex.FEMALE else "1"
    return f"{birth_date:%Y%m%d}{middle}{sex_digit}{serial:03d}"


# --- Django validators --------------------------------------------------------------------------


def validate_nik(value: Any) -> None:
    """Model/form validator: the NIK is well formed (no region table check; see organisation)."""
    try:
        parse_nik(value)
    except IdentityError as error:
        raise error.as_validation_error() from None


def validate_kk(value: Any) -> None:
    """Model/form validator for a family card (KK) number."""
    try:
        parse_kk(value)
    except IdentityError as error:
        raise error.as_validation_error() from None


def validate_nip(value: Any) -> None:
    """Model/form validator for a NIP or NI PPPK."""
    try:
        parse_nip(value)
    except IdentityError as error:
        raise error.as_validation_error() from None


def normalise_identity(value: Any) -> str:
    """The digits a user meant, with typed separators removed ("3578 0144..." -> "35780144...")."""
    return _SEPARATORS.sub("", str(value)) if value is not None else ""

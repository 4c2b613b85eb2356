"""NIK (KTP) and KK numbers."""

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.identity.common import (
    _FAMILY_CARD,
    _FEMALE,
    _KK,
    _KTP_OR_KK,
    _MALE,
    _NIK,
    FEMALE_DAY_OFFSET,
    KK_LENGTH,
    NIK_LENGTH,
    IdentityError,
    IdentityProblem,
    KkInfo,
    NikInfo,
    Sex,
    _date_from_two_digit_year,
    _ddmmyyyy,
    _digits,
    _is_plain_digits,
    _region_problems,
    coerce_sex,
)

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

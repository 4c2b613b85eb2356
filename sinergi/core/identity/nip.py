"""NIP numbers of civil servants (and NI PPPK)."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.identity.common import (
    _NIP,
    _SK,
    NIP_LENGTH,
    NIP_MIN_APPOINTMENT_AGE,
    IdentityError,
    IdentityProblem,
    NipInfo,
    Sex,
    _ddmmyyyy,
    _digits,
    _is_plain_digits,
    _today,
    coerce_sex,
)

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

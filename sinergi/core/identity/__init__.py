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

from sinergi.core.identity.common import (
    FEMALE_DAY_OFFSET,
    KK_LENGTH,
    NIK_LENGTH,
    NIP_LENGTH,
    NIP_MIN_APPOINTMENT_AGE,
    PROVINCE_CODES,
    IdentityError,
    IdentityProblem,
    KkInfo,
    Label,
    NikInfo,
    NipInfo,
    Sex,
    coerce_sex,
)
from sinergi.core.identity.nik import make_kk, make_nik, parse_kk, parse_nik
from sinergi.core.identity.nip import make_nip, parse_nip
from sinergi.core.identity.validators import (
    normalise_identity,
    validate_kk,
    validate_nik,
    validate_nip,
)

__all__ = [
    "FEMALE_DAY_OFFSET",
    "KK_LENGTH",
    "NIK_LENGTH",
    "NIP_LENGTH",
    "NIP_MIN_APPOINTMENT_AGE",
    "PROVINCE_CODES",
    "IdentityError",
    "IdentityProblem",
    "KkInfo",
    "Label",
    "NikInfo",
    "NipInfo",
    "Sex",
    "coerce_sex",
    "make_kk",
    "make_nik",
    "make_nip",
    "normalise_identity",
    "parse_kk",
    "parse_nik",
    "parse_nip",
    "validate_kk",
    "validate_nik",
    "validate_nip",
]

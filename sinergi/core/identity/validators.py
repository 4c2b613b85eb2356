"""Django validators for the identity numbers."""

from typing import Any

from sinergi.core.identity.common import _SEPARATORS, IdentityError
from sinergi.core.identity.nik import parse_kk, parse_nik
from sinergi.core.identity.nip import parse_nip

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

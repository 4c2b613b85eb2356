"""Identity-number form fields and model validators that check the kecamatan in the Region table.

For domain apps (ARCHITECTURE.md convention 6). `sinergi.core.identity` knows the number formats;
this module plugs the region table in:

    # models.py: one query per validated value (full_clean in a service)
    nik = models.CharField(_("NIK"), max_length=16, validators=[validate_nik_region])

    # forms.py: the cleaned value is the bare digits ("3578 0144 1180 0001" -> "3578014411800001")
    nik = NikField()
    nip = NipField(required=False)

    def clean(self):
        cleaned = super().clean()
        add_identity_consistency_errors(self, "nik", birth_date_field="birth_on", sex_field="sex")
        return cleaned

Bulk imports check thousands of rows: preload the kecamatan codes once with `district_code_set()`
and pass `district_exists=codes.__contains__` to `parse_nik` (no query per row).
"""

from typing import Any, Literal

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.identity import IdentityError, parse_kk, parse_nik, parse_nip
from sinergi.organisation import selectors
from sinergi.organisation.models import Region


def district_exists(code: str) -> bool:
    """Whether `code` ("35.78.01") is a kecamatan in the Region table (one query)."""
    return selectors.region_exists(code, level=Region.Level.DISTRICT)


def district_code_set(province_code: str | None = None) -> frozenset[str]:
    """Every kecamatan code (of one province, if given) in one query, for checks in bulk."""
    qs = Region.objects.filter(level=Region.Level.DISTRICT)
    if province_code:
        qs = qs.filter(code__startswith=f"{province_code}.")
    return frozenset(qs.values_list("code", flat=True))


# --- model validators (module-level functions, so migrations can reference them) ----------------


def validate_nik_region(value: Any) -> None:
    """A well-formed NIK whose kecamatan exists in the Region table."""
    try:
        parse_nik(value, district_exists=district_exists)
    except IdentityError as error:
        raise error.as_validation_error() from None


def validate_kk_region(value: Any) -> None:
    """A well-formed family card (KK) number whose kecamatan exists in the Region table."""
    try:
        parse_kk(value, district_exists=district_exists)
    except IdentityError as error:
        raise error.as_validation_error() from None


# --- form fields ----------------------------------------------------------------------------------


class _IdentityField(forms.CharField):
    """A text input for an identity number; `clean` returns the digits or raises every problem."""

    def __init__(self, **kwargs: Any) -> None:
        # No max_length: typed separators are allowed, the digits are what gets checked.
        kwargs.setdefault("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        )

    def parse(self, value: str) -> Any:
        raise NotImplementedError

    def clean(self, value: Any) -> Any:
        value = self.to_python(value)
        self.validate(value)
        if value in self.empty_values:
            return value
        try:
            info = self.parse(value)
        except IdentityError as error:
            raise error.as_validation_error() from None
        self.run_validators(info.number)
        return info.number


class NikField(_IdentityField):
    """NIK (16 digits); with `check_district` (default) the kecamatan must be in the Region table."""

    def __init__(self, *, check_district: bool = True, **kwargs: Any) -> None:
        self.check_district = check_district
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("help_text", _("16 digits, as on the KTP or family card."))
        super().__init__(**kwargs)

    def parse(self, value: str) -> Any:
        return parse_nik(value, district_exists=district_exists if self.check_district else None)


class KkField(NikField):
    """Family card (KK) number (16 digits), kecamatan checked like the NIK."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("KK number"))
        kwargs.setdefault("help_text", _("16 digits, as on the family card."))
        super().__init__(**kwargs)

    def parse(self, value: str) -> Any:
        return parse_kk(value, district_exists=district_exists if self.check_district else None)


class NipField(_IdentityField):
    """NIP of a civil servant, or NI PPPK (18 digits)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("NIP"))
        kwargs.setdefault("help_text", _("18 digits, as on the appointment decree (SK)."))
        super().__init__(**kwargs)

    def parse(self, value: str) -> Any:
        return parse_nip(value)


def add_identity_consistency_errors(
    form: forms.Form,
    number_field: str,
    *,
    kind: Literal["nik", "nip"] = "nik",
    birth_date_field: str | None = None,
    sex_field: str | None = None,
) -> None:
    """In `Form.clean()`: add an error to `number_field` when the number disagrees with the birth
    date or sex entered in the same form (the message names both values and what to check)."""
    cleaned = form.cleaned_data
    number = cleaned.get(number_field)
    if not number or number_field in form.errors:
        return
    birth_date = cleaned.get(birth_date_field) if birth_date_field else None
    sex = cleaned.get(sex_field) if sex_field else None
    if birth_date is None and not sex:
        return
    parse = parse_nik if kind == "nik" else parse_nip
    try:
        parse(number, birth_date=birth_date, sex=sex)
    except IdentityError as error:
        for problem in error.problems:
            if problem.code in {"birth_date_mismatch", "sex_mismatch"}:
                form.add_error(number_field, problem.message)

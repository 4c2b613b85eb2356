"""HTML input of the pillars pages (validation of the domain rules is in services)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.identity import Sex
from sinergi.core.widgets import FastSelect
from sinergi.organisation.fields import NikField, add_identity_consistency_errors
from sinergi.organisation.models import Region
from sinergi.organisation.widgets import RegionField, RegionPickerWidget
from sinergi.pillars.models import (
    AidScheme,
    Bank,
    BankFileLayout,
    MemberRole,
    MemberStatus,
    PillarType,
)
from sinergi.pillars.selectors import reference_names

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Bootstrap:
    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, RegionPickerWidget):
                widget.attrs.setdefault("class", "form-control")


def _type_choices() -> list[tuple[str, Any]]:
    return [("", _("All types")), *reference_names().type_choices]


def _regency_choices() -> list[tuple[str, Any]]:
    return [("", _("All regencies/cities")), *reference_names().regency_choices]


class MemberFilterForm(forms.Form, _Bootstrap):
    """The member list's filters; the options come from the reference cache (no query)."""

    jenis = forms.ChoiceField(
        choices=_type_choices, required=False, label=_("Pillar type"), widget=FastSelect
    )
    kabupaten = forms.ChoiceField(
        choices=_regency_choices, required=False, label=_("Regency/city"), widget=FastSelect
    )
    kecamatan = forms.CharField(required=False, max_length=13, label=_("Kecamatan code"))
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *MemberStatus.choices],
        required=False,
        label=_("Status"),
        widget=FastSelect,
    )
    rekening = forms.ChoiceField(
        choices=[("", _("Any")), ("siap", _("Ready")), ("belum", _("Not ready"))],
        required=False,
        label=_("Bank account"),
        widget=FastSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"

    def clean_kecamatan(self) -> str:
        code = (self.cleaned_data.get("kecamatan") or "").strip()
        if code and not (len(code) == 8 and code[2] == "." and code[5] == "."):
            raise forms.ValidationError(_("Write a kecamatan code such as 35.78.01."))
        return code


class SearchForm(forms.Form, _Bootstrap):
    """Name or NIK: sent by POST and kept in the session, never in the address."""

    q = forms.CharField(required=False, max_length=150, label=_("Name or NIK"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MemberForm(forms.Form, _Bootstrap):
    pillar_type = forms.ModelChoiceField(
        PillarType.objects.filter(is_active=True), label=_("Pillar type")
    )
    role = forms.ChoiceField(choices=MemberRole.choices, label=_("Role"), initial="member")
    nik = NikField()
    name = forms.CharField(max_length=150, label=_("Name (as on the KTP)"))
    sex = forms.ChoiceField(choices=Sex.choices, label=_("Sex"))
    born_on = forms.DateField(widget=DATE, label=_("Birth date"))
    phone = forms.CharField(max_length=30, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("Email"))
    area = RegionField(
        max_level=Region.Level.DISTRICT,
        min_level=Region.Level.REGENCY,
        label=_("Area of duty (regency/city, kecamatan)"),
    )
    member_number = forms.CharField(
        max_length=40, required=False, label=_("Member number (NIA/ID)")
    )
    decree_number = forms.CharField(max_length=100, required=False, label=_("SK number"))
    decree_on = forms.DateField(widget=DATE, required=False, label=_("SK date"))
    active_from = forms.DateField(widget=DATE, label=_("Active from"))
    active_until = forms.DateField(widget=DATE, required=False, label=_("Active until"))
    employee_nip = forms.CharField(
        max_length=30,
        required=False,
        label=_("NIP of the employee record (Jatim Social Care)"),
        help_text=_("For members from the UPT staff: links the member to their employee record."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        add_identity_consistency_errors(self, "nik", birth_date_field="born_on", sex_field="sex")
        return cleaned

    def area_fields(self) -> dict[str, Any]:
        area = self.cleaned_data["area"]
        if area.level == Region.Level.DISTRICT:
            return {"regency": area.parent, "district": area}
        return {"regency": area, "district": None}


class AccountForm(forms.Form, _Bootstrap):
    bank = forms.ModelChoiceField(Bank.objects.filter(is_active=True), label=_("Bank"))
    account_number = forms.CharField(max_length=40, label=_("Account number"))
    account_holder = forms.CharField(max_length=150, label=_("Account holder (as in the bank)"))
    confirm_holder = forms.BooleanField(
        required=False,
        label=_("I have checked the savings book: the account belongs to this member"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MemberCreateForm(MemberForm):
    bank = forms.ModelChoiceField(
        Bank.objects.filter(is_active=True), required=False, label=_("Bank")
    )
    account_number = forms.CharField(max_length=40, required=False, label=_("Account number"))
    account_holder = forms.CharField(max_length=150, required=False, label=_("Account holder"))
    confirm_holder = AccountForm.base_fields["confirm_holder"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class StatusForm(forms.Form, _Bootstrap):
    status = forms.ChoiceField(choices=MemberStatus.choices, label=_("Status"))
    reason = forms.CharField(max_length=255, required=False, label=_("Reason"))
    ended_on = forms.DateField(widget=DATE, required=False, label=_("End of service"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class TrainingForm(forms.Form, _Bootstrap):
    course = forms.CharField(max_length=200, label=_("Course"))
    organiser = forms.CharField(max_length=150, label=_("Organiser"), initial="BPSDM Jawa Timur")
    held_on = forms.DateField(widget=DATE, label=_("Date"))
    certificate_number = forms.CharField(
        max_length=100, required=False, label=_("Certificate number")
    )
    certificate = forms.FileField(required=False, label=_("Certificate (PDF or image)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_certificate(self) -> Any:
        upload = self.cleaned_data.get("certificate")
        if upload and upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB. Scan it smaller."))
        if upload and upload.name.rsplit(".", 1)[-1].lower() not in {"pdf", "jpg", "jpeg", "png"}:
            raise forms.ValidationError(_("Upload a PDF, JPG or PNG file."))
        return upload


def _year_choices() -> list[tuple[int, int]]:
    this = dt.date.today().year
    return [(y, y) for y in range(this + 1, this - 4, -1)]


class CycleForm(forms.Form, _Bootstrap):
    scheme = forms.ModelChoiceField(AidScheme.objects.filter(is_active=True), label=_("Scheme"))
    year = forms.TypedChoiceField(coerce=int, choices=_year_choices, label=_("Year"))
    quarter = forms.TypedChoiceField(
        coerce=int, choices=[(q, f"TW {q}") for q in range(1, 5)], label=_("Quarter")
    )
    pptk_name = forms.CharField(max_length=150, required=False, label=_("PPTK"))
    treasurer_name = forms.CharField(
        max_length=150, required=False, label=_("Treasurer (bendahara)")
    )
    kpa_name = forms.CharField(max_length=150, required=False, label=_("KPA"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class RateForm(forms.Form, _Bootstrap):
    pillar_type = forms.ModelChoiceField(
        PillarType.objects.filter(is_active=True), label=_("Pillar type")
    )
    role = forms.ChoiceField(
        choices=[("", _("Every role")), *MemberRole.choices], required=False, label=_("Role")
    )
    amount = forms.DecimalField(
        max_digits=18, decimal_places=2, min_value=1, label=_("Amount per quarter")
    )
    effective_from = forms.DateField(widget=DATE, label=_("In force from"))
    source = forms.CharField(max_length=255, label=_("Source (decree, letter, news)"))
    is_confirmed = forms.BooleanField(required=False, label=_("Confirmed"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ResultForm(forms.Form, _Bootstrap):
    file = forms.FileField(label=_("Result file from the bank (.csv or .xlsx)"))
    paid_on = forms.DateField(widget=DATE, label=_("Transfer date"))
    sp2d_number = forms.CharField(max_length=80, required=False, label=_("SP2D number"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ExcludeForm(forms.Form, _Bootstrap):
    reason = forms.CharField(max_length=255, label=_("Reason"))


def columns_text(columns: list[dict[str, str]]) -> str:
    """A layout's columns as the form shows them: one `HEADER = field` or `HEADER = "value"` a line."""
    lines = []
    for column in columns:
        target = column["field"] if "field" in column else f'"{column.get("value", "")}"'
        lines.append(f"{column['header']} = {target}")
    return "\n".join(lines)


class LayoutForm(forms.Form, _Bootstrap):
    code = forms.SlugField(max_length=40, label=_("Code"))
    name = forms.CharField(max_length=150, label=_("Name"))
    bank = forms.ModelChoiceField(Bank.objects.filter(is_active=True), label=_("Paying bank"))
    columns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control font-monospace"}),
        label=_("Columns, in order"),
        help_text=_(
            'One column a line: HEADER = field, or HEADER = "fixed text". Fields: sequence, '
            "reference, account_number, account_holder, bank_code, bank_name, amount, "
            "description, regency_code, pillar_type."
        ),
    )
    separator = forms.ChoiceField(
        choices=[(",", _("Comma (,)")), (";", _("Semicolon (;)")), ("|", "|"), ("tab", "Tab")],
        label=_("Separator"),
    )
    has_header = forms.BooleanField(required=False, label=_("First line holds the headers"))
    amount_format = forms.ChoiceField(
        choices=BankFileLayout.AmountFormat.choices, label=_("Amount format")
    )
    description_template = forms.CharField(
        max_length=60,
        label=_("Description of the transfers"),
        help_text=_("May use {scheme}, {quarter} and {year}."),
    )
    is_default = forms.BooleanField(required=False, label=_("Default layout"))
    is_confirmed = forms.BooleanField(required=False, label=_("Confirmed with the bank"))
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Notes")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_columns(self) -> list[dict[str, str]]:
        parsed: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data["columns"].splitlines(), start=1):
            if not line.strip():
                continue
            header, equals, target = line.partition("=")
            header, target = header.strip(), target.strip()
            if not equals or not header or not target:
                raise forms.ValidationError(
                    _('Line %(number)d: write HEADER = field or HEADER = "fixed text".')
                    % {"number": number}
                )
            if len(target) >= 2 and target[0] == target[-1] == '"':
                parsed.append({"header": header, "value": target[1:-1]})
            else:
                parsed.append({"header": header, "field": target})
        return parsed

    @classmethod
    def initial_for(cls, layout: BankFileLayout) -> dict[str, Any]:
        return {
            "code": layout.code,
            "name": layout.name,
            "bank": layout.bank,
            "columns": columns_text(layout.columns),
            "separator": "tab" if layout.separator == "\t" else layout.separator,
            "has_header": layout.has_header,
            "amount_format": layout.amount_format,
            "description_template": layout.description_template,
            "is_default": layout.is_default,
            "is_confirmed": layout.is_confirmed,
            "notes": layout.notes,
        }

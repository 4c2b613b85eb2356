"""HTML input of the pillars pages (validation of the domain rules is in services)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.identity import Sex
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


class MemberFilterForm(forms.Form, _Bootstrap):
    jenis = forms.ModelChoiceField(
        PillarType.objects.filter(is_active=True), required=False, label=_("Pillar type")
    )
    kabupaten = forms.ModelChoiceField(
        Region.objects.filter(level=Region.Level.REGENCY, code__startswith="35."),
        required=False,
        label=_("Regency/city"),
    )
    kecamatan = forms.CharField(required=False, max_length=13, label=_("Kecamatan code"))
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *MemberStatus.choices], required=False, label=_("Status")
    )
    rekening = forms.ChoiceField(
        choices=[("", _("Any")), ("siap", _("Ready")), ("belum", _("Not ready"))],
        required=False,
        label=_("Bank account"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"


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


class LayoutChoiceForm(forms.Form, _Bootstrap):
    layout = forms.ModelChoiceField(BankFileLayout.objects.all(), label=_("Layout"))

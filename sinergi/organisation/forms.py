"""HTML input for units: validation of the fields only; the rules live in services.py."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import sees_everything
from sinergi.organisation import selectors
from sinergi.organisation.models import Region, Unit
from sinergi.organisation.widgets import RegionField, RegionPickerWidget

STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))]


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, RegionPickerWidget):
            continue
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MarkInvalidMixin:
    """Adds Bootstrap's `is-invalid` class to the widgets of fields that have errors."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._mark_invalid()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        fields = getattr(self, "fields", {})
        for name in errors:
            if name in fields:
                attrs = fields[name].widget.attrs
                classes = attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    attrs["class"] = " ".join([*classes, "is-invalid"])


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class UnitForm(MarkInvalidMixin, forms.ModelForm):
    regency = RegionField(
        max_level=Region.Level.REGENCY,
        required=False,
        label=_("Regency/city"),
        help_text=_(
            "Where the unit's office is. Choose the province first, then the regency/city."
        ),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "unit_type",
            "upt_type",
            "parent",
            "regency",
            "address",
            "phone",
            "email",
            "capacity",
            "sort_order",
        ]
        field_classes = {"parent": ParentChoiceField}
        help_texts = {
            "code": _(
                "A short unique code of lowercase letters, digits and hyphens, "
                "e.g. upt-rsbd-pasuruan. Other systems and imports use it."
            ),
            "upt_type": _("Only for service units (UPT)."),
            "capacity": _("How many clients the unit can take in; leave empty if not a UPT."),
            "sort_order": _("Units under the same parent are listed by this number, then by name."),
        }
        error_messages = {
            "code": {"unique": _("This code is already used by another unit.")},
        }

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.instance if self.instance.pk else None
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = selectors.unit_parent_choices(viewer=viewer, unit=unit)
        parent.empty_label = _("— none (top of the tree) —")
        if not sees_everything(viewer):
            parent.required = True
            parent.empty_label = _("— choose the parent unit —")
            parent.help_text = _("You can place units only under your own unit or its sub-units.")
        unit_type = cast(forms.ModelChoiceField, self.fields["unit_type"])
        unit_type.queryset = selectors.unit_types()
        unit_type.empty_label = _("— choose the unit type —")
        upt_type = cast(forms.ModelChoiceField, self.fields["upt_type"])
        upt_type.queryset = selectors.upt_types()
        upt_type.empty_label = _("— none (not a UPT) —")
        _bootstrap(self)


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Unit name"), "autocomplete": "off"}
        ),
    )
    type = forms.ChoiceField(label=_("Unit type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = [("", _("All types"))] + [
            (t.code, t.name) for t in selectors.unit_types()
        ]
        _bootstrap(self)

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid value falls back to its default)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "unit_type": data.get("type") or "",
            "status": data.get("status") or "active",
        }

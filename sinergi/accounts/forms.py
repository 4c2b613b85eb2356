from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Check both (passwords are case-sensitive) and "
            "try again; after %(limit)s failed attempts the account is locked for 15 minutes."
        ),
        "inactive": _("This account is inactive. Ask the system administrator to activate it."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"] % {"limit": settings.AXES_FAILURE_LIMIT},
            code="invalid_login",
        )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\d{6}$",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the 6 digits shown by your authenticator app.")},
    )


class BootstrapFormMixin:
    """Gives each widget its Bootstrap class, so templates render `{{ field }}` as is."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by their depth in the tree, so the picker reads like the organisation chart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class UserFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All units")
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class _UserFields(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Used for notifications sent by email. May be left empty."),
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=_("Choose a unit"))
    roles = RoleChoiceField(
        label=_("Roles"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )

    def __init__(self, *args: Any, units: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelMultipleChoiceField, self.fields["roles"]).queryset = roles

    @property
    def role_codes(self) -> list[str]:
        return sorted(role.code for role in self.cleaned_data["roles"])


class _PasswordFields(BootstrapFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave both password fields empty to let Sinergi generate a password; it is shown "
            "to you once."
        ),
    )
    password_confirm = forms.CharField(
        label=_("Repeat the password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password", "") != cleaned.get("password_confirm", ""):
            self.add_error(
                "password_confirm", _("The two passwords differ. Type the same password twice.")
            )
        return cleaned


class UserCreateForm(_UserFields, _PasswordFields):
    username = forms.RegexField(
        label=pgettext_lazy("account", "Username"),
        max_length=150,
        regex=r"^[A-Za-z0-9._-]+$",
        help_text=_("Letters, digits, dots, hyphens and underscores, e.g. peksos.rsbd.pasuruan."),
        error_messages={
            "invalid": _(
                "Use only letters, digits, dots, hyphens and underscores (no spaces), "
                "e.g. peksos.rsbd.pasuruan."
            )
        },
    )
    field_order = [
        "username",
        "full_name",
        "email",
        "unit",
        "roles",
        "password",
        "password_confirm",
    ]


class UserEditForm(_UserFields):
    is_active = forms.BooleanField(
        label=_("Active (may log in)"),
        required=False,
        help_text=_("Deactivate instead of deleting: the user's history stays in the audit trail."),
    )


class PasswordResetForm(_PasswordFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = pgettext_lazy("account", "New password")


class SinergiPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    """Django's form with the office's words for the fields ("kata sandi")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = pgettext_lazy("account", "New password")
        self.fields["new_password2"].label = _("Repeat the new password")

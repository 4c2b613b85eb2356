"""HTML input for the staff pages: field validation only; the rules live in services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.widgets import options_html
from sinergi.organisation.fields import NipField
from sinergi.staff import selectors
from sinergi.staff.models import Employee, EmploymentType, Rating, Rhk, RhkIndicator
from sinergi.staff.models.periods import MONTH_NAMES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def month_choices() -> list[tuple[int, str]]:
    return [(i, str(name)) for i, name in enumerate(MONTH_NAMES, start=1)]


class EmployeeSearchForm(forms.Form):
    """POSTed (a NIP or a name never goes into an address or a server log).

    The options of the three selects come from `select_options()`, escaped in one pass, instead of
    Django's widget templates: those render each of the ~50 unit options through the template
    engine on every request, which was a quarter of the list page's time."""

    name = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    nip = forms.CharField(label=_("NIP (exact)"), required=False, max_length=25)
    unit: Any = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Not active")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        unit: Any = self.fields["unit"]
        unit.queryset = selectors.employee_units(viewer=viewer).order_by("path")
        kind: Any = self.fields["employment_type"]
        kind.choices = [("", _("All types")), *EmploymentType.choices]
        bootstrap(self)

    def select_options(self) -> dict[str, str]:
        """{field name: its <option> elements} for the three selects (one query: the units)."""
        filters = self.filters()
        chosen = {
            "unit": str(filters.unit or ""),
            "employment_type": filters.employment_type,
            "status": filters.status,
        }
        scope = selectors.employee_units(viewer=self.viewer).order_by("path")
        units = [("", _("All units")), *scope.values_list("pk", "name")]
        choices: dict[str, list[tuple[Any, Any]]] = {
            "unit": units,
            "employment_type": list(self.fields["employment_type"].choices),  # type: ignore[attr-defined]
            "status": list(self.fields["status"].choices),  # type: ignore[attr-defined]
        }
        return {name: options_html(pairs, [chosen[name]]) for name, pairs in choices.items()}

    def filters(self) -> selectors.EmployeeFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.EmployeeFilters()
        data = self.cleaned_data
        nip = "".join(ch for ch in data.get("nip") or "" if ch.isdigit())
        return selectors.EmployeeFilters(
            name=(data.get("name") or "").strip(),
            nip=nip,
            unit=data["unit"].pk if data.get("unit") else None,
            employment_type=data.get("employment_type") or "",
            status=data.get("status") or "active",
        )


class EmployeeForm(forms.Form):
    nip = NipField(required=False)
    name = forms.CharField(label=_("Name (with academic titles)"), max_length=150)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    rank: Any = forms.ModelChoiceField(
        label=_("Rank/golongan"), queryset=None, required=False, empty_label="—"
    )
    position = forms.CharField(label=_("Position (jabatan)"), max_length=200, required=False)
    unit: Any = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    supervisor_nip = forms.CharField(
        label=_("NIP of the direct supervisor"),
        max_length=25,
        required=False,
        help_text=_("Leave empty for the head of office."),
    )
    username = forms.CharField(
        label=_("User account (username)"),
        max_length=150,
        required=False,
        help_text=_("The account this employee signs in with, if any."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    active_from = forms.DateField(label=_("Active from"), widget=DATE_INPUT)
    active_until = forms.DateField(label=_("Active until"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rank: Any = self.fields["rank"]
        rank.queryset = selectors.ranks()
        unit: Any = self.fields["unit"]
        unit.queryset = selectors.employee_units(viewer=viewer).order_by("path")
        bootstrap(self)

    def clean_supervisor_nip(self) -> Employee | None:
        digits = "".join(ch for ch in self.cleaned_data.get("supervisor_nip") or "" if ch.isdigit())
        if not digits:
            return None
        supervisor = Employee.objects.filter(nip=digits).first()
        if supervisor is None:
            raise forms.ValidationError(
                _("No employee has this NIP. Check the 18 digits, or add the supervisor first.")
            )
        return supervisor

    def clean_username(self) -> Any:
        username = (self.cleaned_data.get("username") or "").strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no user account with this username."))
        return user

    def clean_nip(self) -> str | None:
        value = self.cleaned_data.get("nip")
        if not value:
            return None
        return str(getattr(value, "number", value))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["supervisor"] = data.pop("supervisor_nip")
        data["user"] = data.pop("username")
        return data


def employee_initial(employee: Employee) -> dict[str, Any]:
    return {
        "nip": employee.nip or "",
        "name": employee.name,
        "employment_type": employee.employment_type,
        "rank": employee.rank_id,
        "position": employee.position,
        "unit": employee.unit_id,
        "supervisor_nip": employee.supervisor.nip if employee.supervisor else "",
        "username": employee.user.username if employee.user else "",
        "email": employee.email,
        "active_from": employee.active_from,
        "active_until": employee.active_until,
    }


class SkpCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(VersionForm):
    note = forms.CharField(
        label=_("What should be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


ASPECTS = [
    (RhkIndicator.Aspect.QUANTITY, _("e.g. Number of reports")),
    (RhkIndicator.Aspect.QUALITY, _("e.g. Reports accepted without correction")),
    (RhkIndicator.Aspect.TIME, _("e.g. Reports on time each month")),
]


class RhkForm(VersionForm):
    title = forms.CharField(
        label=_("Planned work result (RHK)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Rhk.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Supports the supervisor's RHK (intervensi)"),
        queryset=Rhk.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args: Any, parents: list[Rhk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: Any = self.fields["parent"]
        parent.queryset = Rhk.objects.filter(pk__in=[r.pk for r in parents]).order_by("number")
        for aspect, example in ASPECTS:
            label = RhkIndicator.Aspect(aspect).label
            self.fields[f"{aspect}_description"] = forms.CharField(
                label=_("Indicator: %(aspect)s") % {"aspect": label},
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": str(example)}),
            )
            self.fields[f"{aspect}_target"] = forms.CharField(
                label=_("Target: %(aspect)s") % {"aspect": label}, max_length=100, required=False
            )
        bootstrap(self)

    def aspect_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"{a}_description"], self[f"{a}_target"]) for a, _e in ASPECTS]

    def indicators(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        return [
            (str(a), data.get(f"{a}_description") or "", data.get(f"{a}_target") or "")
            for a, _e in ASPECTS
        ]


def rhk_initial(rhk: Rhk, version: int) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": rhk.title,
        "kind": rhk.kind,
        "parent": rhk.parent_id,
        "version": version,
    }
    for indicator in rhk.indicators.all():
        initial[f"{indicator.aspect}_description"] = indicator.description
        initial[f"{indicator.aspect}_target"] = indicator.target
    return initial


class RealisationForm(forms.Form):
    rhk = forms.IntegerField(widget=forms.HiddenInput)
    realisation = forms.CharField(
        label=_("Realisation this month"), widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_text = forms.CharField(
        label=_("Evidence (description)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_link = forms.CharField(label=_("Evidence (link)"), required=False, max_length=500)
    evidence_file = forms.FileField(label=_("Evidence (file)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EvaluationForm(forms.Form):
    month_from = forms.TypedChoiceField(label=_("From month"), coerce=int, choices=month_choices)
    month_to = forms.TypedChoiceField(label=_("To month"), coerce=int, choices=month_choices)
    results_rating = forms.ChoiceField(label=_("Rating of work results"), choices=Rating.choices)
    behaviour_rating = forms.ChoiceField(
        label=_("Rating of work behaviour (BerAKHLAK)"), choices=Rating.choices
    )
    feedback = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    month = forms.IntegerField(min_value=1, max_value=12, widget=forms.HiddenInput)

"""HTML input of the budget pages (validation of the input only; the rules live in services)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models import BudgetRevision, Realisation


class RealisationForm(forms.Form):
    sp2d_number = forms.CharField(label=_("SP2D number"), max_length=80)
    paid_on = forms.DateField(
        label=_("SP2D date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sp2d_type = forms.ChoiceField(label=_("Type"), choices=Realisation.Type.choices)
    amount = forms.DecimalField(
        label=_("Amount (Rp)"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MilestoneForm(forms.Form):
    due_on = _date_field(_("Due date"))
    target_percent = forms.DecimalField(
        label=_("Target absorption (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    source = forms.CharField(
        label=_("Source / notes"),
        max_length=500,
        required=False,
        help_text=_("Where the target comes from, e.g. the head's instruction of 3 July."),
    )


class RevisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (BudgetRevision.Kind.SHIFT.value, BudgetRevision.Kind.SHIFT.label),
            (BudgetRevision.Kind.AMENDMENT.value, BudgetRevision.Kind.AMENDMENT.label),
        ],
    )
    new_pagu = forms.DecimalField(
        label=_("New pagu (Rp)"), max_digits=18, decimal_places=2, min_value=Decimal("0")
    )
    revised_on = _date_field(_("Date"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=150,
        help_text=_("The number of the decree or DPA document of the change."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ProgressForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[])
    percent = forms.DecimalField(
        label=_("Physical progress (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    reported_by = forms.CharField(label=_("Reported by (PPTK)"), max_length=150)

    def __init__(self, *args: Any, months: list[tuple[int, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Why the SP2D is cancelled, e.g. the amount was typed wrong."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ThresholdsForm(forms.Form):
    warning_points = forms.DecimalField(
        label=_("Amber from (points behind the cash plan)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )
    critical_points = forms.DecimalField(
        label=_("Red from (points behind the cash plan)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )

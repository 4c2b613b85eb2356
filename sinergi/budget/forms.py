"""HTML input of the budget pages (validation of the input only; the rules live in services)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models import Realisation


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

"""Consent forms: field input only; who may consent and when is checked by services/consent.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.organisation.fields import NikField
from sinergi.rehabilitation.forms import DATE_INPUT, _bootstrap
from sinergi.rehabilitation.models import ConsentGiver, ConsentScope


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=ConsentScope.choices)
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A child's consent is given by a parent or guardian; a person with a disability "
            "consents themselves and/or through a guardian (UU 27/2022 Ps 25-26)."
        ),
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=150)
    guardian_relationship = forms.CharField(
        label=_("Relationship to the client"), required=False, max_length=60
    )
    guardian_nik = NikField(label=_("Guardian's NIK (optional)"), required=False)
    consented_on = forms.DateField(label=_("Signed on"), widget=DATE_INPUT)
    form_file = forms.FileField(
        label=_("Signed consent form"),
        required=False,
        help_text=_(
            "The scanned form (PDF, JPG or PNG). It is stored with the client's documents."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consented_on"].initial = timezone.localdate()
        self.fields["form_file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"
        _bootstrap(self)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
        _bootstrap(self)

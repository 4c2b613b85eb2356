"""The filter form of the auditor page (HTML input only; the query lives in selectors)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import EventFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Beginning of the action, e.g. “accounts.” for every accounts action."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *AuditEvent.Kind.choices],
    )
    target_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=100,
        help_text=_("e.g. organisation.unit"),
    )
    target_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("The end date is before the start date. Swap the two dates."),
            )
        return cleaned

    def filters(self) -> EventFilters:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        return EventFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=data.get("actor", ""),
            action=data.get("action", ""),
            kind=data.get("kind", ""),
            target_type=data.get("target_type", ""),
            target_id=data.get("target_id", ""),
            request_id=data.get("request_id", ""),
        )

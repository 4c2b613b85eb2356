"""Upload form of client documents: field input only; type, size and content are checked by the
service (services/documents.py)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.rehabilitation.forms import _bootstrap
from sinergi.rehabilitation.models import Case, DocumentType
from sinergi.rehabilitation.selectors import documents as selectors


class DocumentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from sinergi.rehabilitation.services.documents import allowed_text

        return f"{obj.name} ({allowed_text(obj)})"


class DocumentUploadForm(forms.Form):
    document_type = DocumentTypeChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.none()
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG or PNG; the allowed types and size are shown with each type."),
    )
    case = forms.ModelChoiceField(
        label=_("For the case"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_("Optional: the stay this document belongs to."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=255)

    def __init__(self, *args: Any, cases: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["document_type"].queryset = selectors.document_types()
        fields["case"].queryset = Case.objects.filter(pk__in=[c.pk for c in cases]).select_related(
            "unit"
        )
        fields["case"].label_from_instance = lambda c: f"{c.unit.name} ({c.admitted_on:%d-%m-%Y})"
        fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"
        _bootstrap(self)

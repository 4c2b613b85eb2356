"""The upload form: a spreadsheet file, checked for extension and size before anything is stored."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.tabular.readers import SPREADSHEET_EXTENSIONS, SpreadsheetError, check_extension


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        help_text=gettext_lazy(
            "An .xlsx, .xls, .ods or .csv file with the headers in the first row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SPREADSHEET_EXTENSIONS)}),
        error_messages={
            "required": gettext_lazy("Choose the spreadsheet file to upload."),
            "empty": gettext_lazy("The file is empty. Fill in the template and upload it again."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.MAX_UPLOAD_MB) * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; at most %(max)s MB can be uploaded. Split it into "
                    "smaller files, or remove columns and sheets that are not needed."
                )
                % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": settings.MAX_UPLOAD_MB}
            )
        try:
            check_extension(upload.name)
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload

"""Documents of a client (KTP, KK, referral letter, consent form, photo...), kept in private storage.

Files live in the default storage under `rehabilitation/documents/`, which is never served as a
public path (MEDIA_URL is not routed): they are read only through the access-checked download view,
by the document's UUID, and every download is logged. Document types are reference data (allowed
extensions, MIME types and size), loaded from `rehabilitation/data/document_types.csv`.
"""

import csv
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.rehabilitation.models.cases import Case, Client
from sinergi.rehabilitation.models.reference import ReferenceItem

DOCUMENT_TYPES_CSV = Path(__file__).resolve().parent.parent / "data" / "document_types.csv"

# The permissions of consent records, documents, import and export, per role. roles.py merges them
# into GRANTS (declared here, next to the models whose Meta defines the custom ones).
_READ = ["rehabilitation.view_consentrecord", "rehabilitation.view_clientdocument"]
_WORK = [
    *_READ,
    "rehabilitation.add_consentrecord",
    "rehabilitation.change_consentrecord",
    "rehabilitation.add_clientdocument",
]
IO_GRANTS = {
    "social_worker": [*_WORK, "rehabilitation.import_client"],
    "head_of_upt": [*_WORK, "rehabilitation.import_client", "rehabilitation.export_client"],
    "head_of_division": [*_READ, "rehabilitation.export_client"],
    "head_of_office": [*_READ, "rehabilitation.export_client"],
    # The auditor checks consent records; scanned identity documents stay with the case workers.
    "auditor": ["rehabilitation.view_consentrecord"],
}


class RecordsAuditAction(models.TextChoices):
    """Audit actions of consent, documents, imports and exports (AuditEvent.action values)."""

    CONSENT_RECORDED = "rehabilitation.consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "rehabilitation.consent_withdrawn", _("Consent withdrawn")
    DOCUMENT_UPLOADED = "rehabilitation.document_uploaded", _("Client document uploaded")
    DOCUMENT_DOWNLOADED = "rehabilitation.document_downloaded", _("Client document downloaded")
    PRIVACY_PANEL_VIEWED = (
        "rehabilitation.privacy_panel_viewed",
        _("Client consents and documents listed"),
    )
    CASE_SUMMARY_PRINTED = "rehabilitation.case_summary_printed", _("Case summary PDF printed")
    CLIENTS_EXPORTED = "rehabilitation.clients_exported", _("Client list exported")
    CLIENTS_IMPORTED = "rehabilitation.clients_imported", _("Client list imported")
    DOCUMENT_TYPES_LOADED = "rehabilitation.document_types_loaded", _("Document types loaded")


class DocumentType(ReferenceItem):
    """A kind of document with what may be uploaded for it (extensions, MIME types, size)."""

    extensions = models.CharField(
        _("allowed extensions"),
        max_length=100,
        help_text=_("Space-separated, lower case, without the dot, e.g. pdf jpg jpeg png."),
    )
    max_size_kb = models.PositiveIntegerField(_("largest file (KB)"))
    is_photo = models.BooleanField(
        _("photo of the client"), default=False, help_text=_("The client's photo on their file.")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    @property
    def extension_list(self) -> list[str]:
        return [e.strip().lower() for e in self.extensions.split() if e.strip()]


def document_type_rows() -> list[dict[str, Any]]:
    """The rows of document_types.csv as model field values (used by the migration and the
    loader, so both write the same reference data)."""
    with DOCUMENT_TYPES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"],
                "number": int(row["number"]),
                "name": row["name"],
                "name_en": row["name_en"],
                "source": row["source"],
                "effective_from": dt.date.fromisoformat(row["effective_from"]),
                "extensions": row["extensions"],
                "max_size_kb": int(row["max_size_kb"]),
                "is_photo": row["is_photo"] == "true",
            }
            for row in csv.DictReader(handle)
        ]


def document_upload_path(instance: "ClientDocument", filename: str) -> str:
    # Never the uploaded file's name on disk: it often carries the person's name.
    return f"rehabilitation/documents/{timezone.now():%Y/%m}/{instance.pk}.{instance.extension}"


class ClientDocument(BaseModel):
    """One uploaded file of a client, optionally tied to one of their cases."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="documents", verbose_name=_("client")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("case"),
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("document type")
    )
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=255)
    extension = models.CharField(_("extension"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("client document")
        verbose_name_plural = _("client documents")
        ordering = ["-created_at", "id"]
        permissions = [
            ("import_client", "Can import client lists from a spreadsheet"),
            ("export_client", "Can export client lists"),
        ]
        indexes = [models.Index(fields=["client", "-created_at"], name="rehab_document_client_idx")]

    def __str__(self) -> str:
        # Audit labels: the type and a short id, never the person or the uploaded file's name.
        return f"Dokumen {str(self.pk)[:8]}"

    @property
    def download_name(self) -> str:
        """The name the browser saves the file as: type code and short id, no personal data."""
        return f"{self.document_type.code}-{str(self.pk)[:8]}.{self.extension}"


__all__ = ["IO_GRANTS", "ClientDocument", "DocumentType", "RecordsAuditAction"]

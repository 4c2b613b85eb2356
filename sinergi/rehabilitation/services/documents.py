"""Uploading client documents: the real content is checked (sinergi.core.uploads), not the file's
name, against the extensions and size limit of the document type. Files go to private storage under
a name made of the document's UUID; nothing of the uploaded name is used.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import sees_everything
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.uploads import HEAD_BYTES, UploadRule, check_upload
from sinergi.rehabilitation.models import (
    Client,
    ClientDocument,
    DocumentType,
    RecordsAuditAction,
)
from sinergi.rehabilitation.models.documents import document_type_rows
from sinergi.rehabilitation.permissions import scope_clients


def client_in_scope(viewer: Any, client: Client) -> bool:
    """Whether the client has a case in the viewer's scope (one query unless office-wide)."""
    if sees_everything(viewer):
        return True
    return scope_clients(Client.objects.filter(pk=client.pk), viewer).exists()


def can_add_documents(viewer: Any, client: Client) -> bool:
    return bool(
        viewer.has_perm("rehabilitation.add_clientdocument") and client_in_scope(viewer, client)
    )


def can_record_consent(viewer: Any, client: Client) -> bool:
    return bool(
        viewer.has_perm("rehabilitation.add_consentrecord") and client_in_scope(viewer, client)
    )


def can_withdraw_consent(viewer: Any, client: Client) -> bool:
    return bool(
        viewer.has_perm("rehabilitation.change_consentrecord") and client_in_scope(viewer, client)
    )


def upload_rule(document_type: DocumentType) -> UploadRule:
    """What `document_type` accepts: its extensions and size limit (reference data)."""
    return UploadRule(
        extensions=tuple(document_type.extension_list), max_bytes=document_type.max_size_kb * 1024
    )


def allowed_text(document_type: DocumentType) -> str:
    """“PDF, JPG, JPEG or PNG, at most 2 MB” for messages and the upload form."""
    return upload_rule(document_type).allowed_text()


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    client: Any,
    document_type: DocumentType,
    upload: Any,
    case: Any = None,
    description: str = "",
) -> ClientDocument:
    """Store an uploaded file of `client` after checking type, size and real content; audited.
    The caller passes a client it has access to; the actor must be allowed to add documents."""
    if actor is not None and not can_add_documents(actor, client):
        raise ApplicationError(
            _("You cannot add documents to this client's file. Ask their social worker."),
            code="forbidden",
        )
    if case is not None and case.client_id != client.pk:
        raise ApplicationError(_("The case belongs to another client."), code="invalid")
    if not document_type.is_active:
        raise ApplicationError(
            _("This document type is no longer used. Choose another type."),
            field_errors={"document_type": [_("Choose another type.")]},
        )
    size = int(upload.size or 0)
    limit = document_type.max_size_kb * 1024
    data = b""
    if size <= limit:
        chunks: list[bytes] = []
        read = 0
        for chunk in upload.chunks():
            read += len(chunk)
            if read > limit:
                size = read
                break
            chunks.append(chunk)
        else:
            size = read
        data = b"".join(chunks)
    checked = check_upload(
        upload_rule(document_type), name=upload.name or "", size=size, head=data[:HEAD_BYTES]
    )
    document = ClientDocument(
        client=client,
        case=case,
        document_type=document_type,
        extension=checked.extension,
        content_type=checked.content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        description=description.strip()[:255],
        uploaded_by=actor,
    )
    document.file.save(f"upload.{checked.extension}", ContentFile(data), save=False)
    try:
        document.save(force_insert=True)
        audit.record(
            actor=actor,
            action=RecordsAuditAction.DOCUMENT_UPLOADED,
            target=document,
            changes={
                "document_type": [None, document_type.code],
                "size": [None, size],
                "sha256": [None, document.sha256],
            },
            extra={"client": str(client.pk), "case": str(case.pk) if case else None},
        )
    except Exception:
        document.file.delete(save=False)  # no orphan file when the row is not saved
        raise
    return document


@transaction.atomic
def document_types_load(*, actor: Any) -> int:
    """Create or update the document types from document_types.csv (idempotent); returns how many
    rows were created or changed, with one audit event when any."""
    changed = 0
    for row in document_type_rows():
        code = row.pop("code")
        current = DocumentType.objects.filter(code=code).first()
        if current is None:
            DocumentType.objects.create(code=code, **row)
            changed += 1
        elif any(getattr(current, k) != v for k, v in row.items()):
            DocumentType.objects.filter(pk=current.pk).update(**row)
            changed += 1
    if changed:
        audit.record(
            actor=actor, action=RecordsAuditAction.DOCUMENT_TYPES_LOADED, extra={"changed": changed}
        )
    return changed

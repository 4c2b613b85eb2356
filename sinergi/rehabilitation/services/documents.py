"""Uploading client documents: the real content is checked (magic bytes), not the file's name.

A file is accepted when its extension is allowed for the document type AND its first bytes are
those of that format (PDF, JPEG or PNG): a renamed program (.exe saved as .pdf) is refused. Files go
to private storage under a name made of the document's UUID; nothing of the uploaded name is used.
"""

import hashlib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import sees_everything
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import (
    Client,
    ClientDocument,
    DocumentType,
    RecordsAuditAction,
)
from sinergi.rehabilitation.models.documents import document_type_rows
from sinergi.rehabilitation.permissions import scope_clients

# The formats whose content can be recognised, by their first bytes, and their MIME types.
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
EXTENSION_FORMATS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}


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


def detect_format(head: bytes) -> str | None:
    """ "pdf", "jpeg" or "png" from the first bytes of a file, else None."""
    for name, (signature, _mime) in SIGNATURES.items():
        if head.startswith(signature):
            return name
    return None


def _size_text(kb: int) -> str:
    return f"{kb // 1024} MB" if kb % 1024 == 0 else f"{kb} KB"


def allowed_text(document_type: DocumentType) -> str:
    """“PDF, JPG, JPEG or PNG, at most 2 MB” for messages and the upload form."""
    names = [e.upper() for e in document_type.extension_list]
    joined = (
        names[0]
        if len(names) == 1
        else _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    )
    return _("%(types)s, at most %(size)s") % {
        "types": joined,
        "size": _size_text(document_type.max_size_kb),
    }


def _refuse(document_type: DocumentType, problem: str) -> ApplicationError:
    message = _("%(problem)s Upload a file of type %(allowed)s.") % {
        "problem": problem,
        "allowed": allowed_text(document_type),
    }
    return ApplicationError(message, code="invalid_file", field_errors={"file": [message]})


def check_file(
    document_type: DocumentType, *, name: str, size: int, head: bytes
) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable file, else ApplicationError naming what is
    allowed. `head` is the file's first bytes."""
    extension = Path(name).suffix.lower().lstrip(".")
    if size > document_type.max_size_kb * 1024:
        raise _refuse(
            document_type,
            _("The file is %(size)s, larger than allowed for %(type)s.")
            % {"size": _size_text(max(1, size // 1024)), "type": document_type.name},
        )
    if size == 0:
        raise _refuse(document_type, _("The file is empty."))
    if extension not in document_type.extension_list:
        raise _refuse(
            document_type,
            _("Files ending in “.%(extension)s” are not accepted for %(type)s.")
            % {"extension": extension or "?", "type": document_type.name},
        )
    found = detect_format(head)
    if found is None or EXTENSION_FORMATS.get(extension) != found:
        raise _refuse(
            document_type,
            _(
                "The content of the file is not a real %(extension)s file (it may be another kind "
                "of file renamed)."
            )
            % {"extension": extension.upper()},
        )
    return extension, SIGNATURES[found][1]


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
    extension, content_type = check_file(
        document_type, name=upload.name or "", size=size, head=data[:16]
    )
    document = ClientDocument(
        client=client,
        case=case,
        document_type=document_type,
        extension=extension,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        description=description.strip()[:255],
        uploaded_by=actor,
    )
    document.file.save(f"upload.{extension}", ContentFile(data), save=False)
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

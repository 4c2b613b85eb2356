"""Checking an uploaded file before it is stored: size, extension and real content.

A file is accepted when its extension is one the rule allows AND its first bytes are those of that
format: a renamed program (.exe saved as .pdf) is refused. Every refusal says what is wrong and what
may be uploaded instead ("... Unggah berkas PDF, JPG atau PNG, paling besar 5 MB.").

    EVIDENCE = UploadRule(extensions=("pdf", "jpg", "jpeg", "png"), max_bytes=5 * MB,
                          field="evidence_file")
    checked = check_uploaded_file(EVIDENCE, upload)   # CheckedFile(extension, content_type)
"""

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError

MB = 1024 * 1024
_OFFICE_ZIP = (b"PK\x03\x04",)  # docx, xlsx and pptx are zip containers

# extension -> (MIME type, the first bytes a real file of that format starts with)
FORMATS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _OFFICE_ZIP,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OFFICE_ZIP),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _OFFICE_ZIP,
    ),
}
HEAD_BYTES = 16


def size_text(size: int) -> str:
    """`5 MB`, `5,1 MB`, `512 KB` for messages, rounded up (so a file just over a limit never
    reads as the limit itself)."""
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    if size >= MB:
        return f"{math.ceil(size * 10 / MB) / 10:.1f} MB".replace(".", ",")
    return f"{max(1, -(-size // 1024))} KB"


@dataclass(frozen=True)
class UploadRule:
    """What one upload field accepts; `field` names the form field that shows the message."""

    extensions: tuple[str, ...]
    max_bytes: int
    field: str = "file"

    def __post_init__(self) -> None:
        unknown = set(self.extensions) - set(FORMATS)
        if unknown:
            raise ValueError(f"no signature known for {sorted(unknown)}")

    def allowed_text(self) -> str:
        """“PDF, JPG or PNG, at most 5 MB” (translated) for messages and help texts."""
        names = [extension.upper() for extension in self.extensions]
        joined = (
            names[0]
            if len(names) == 1
            else _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        )
        return _("%(types)s, at most %(size)s") % {
            "types": joined,
            "size": size_text(self.max_bytes),
        }

    def accept_attribute(self) -> str:
        """The <input type="file" accept="..."> value."""
        return ",".join(f".{extension}" for extension in self.extensions)


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str


def _refuse(rule: UploadRule, code: str, problem: str) -> ApplicationError:
    message = _("%(problem)s Upload a file of type %(allowed)s.") % {
        "problem": problem,
        "allowed": rule.allowed_text(),
    }
    return ApplicationError(message, code=code, field_errors={rule.field: [message]})


def check_upload(rule: UploadRule, *, name: str, size: int, head: bytes) -> CheckedFile:
    """The file's extension and MIME type when `rule` accepts it, else ApplicationError with
    the code file_empty, file_too_large, file_type or file_content.
    `head` is the file's first bytes (at least HEAD_BYTES when the file is that long)."""
    extension = Path(name or "").suffix.lower().lstrip(".")
    if size <= 0:
        raise _refuse(rule, "file_empty", _("The file is empty."))
    if size > rule.max_bytes:
        raise _refuse(
            rule,
            "file_too_large",
            _("The file is %(size)s, larger than the %(limit)s allowed.")
            % {"size": size_text(size), "limit": size_text(rule.max_bytes)},
        )
    if extension not in rule.extensions:
        raise _refuse(
            rule,
            "file_type",
            _("Files ending in “.%(extension)s” are not accepted here.")
            % {"extension": extension or "?"},
        )
    content_type, signatures = FORMATS[extension]
    if not head.startswith(signatures):
        raise _refuse(
            rule,
            "file_content",
            _(
                "The content of the file is not a real %(extension)s file (it may be another kind "
                "of file renamed)."
            )
            % {"extension": extension.upper()},
        )
    return CheckedFile(extension, content_type)


def check_uploaded_file(rule: UploadRule, upload: Any) -> CheckedFile:
    """`check_upload` on a Django UploadedFile; the file is left at its start for saving."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return check_upload(rule, name=upload.name or "", size=upload.size or 0, head=head)

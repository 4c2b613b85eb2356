"""Helpers shared by the services of this app."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError


def full_clean_or_error(instance: models.Model, **kwargs: object) -> None:
    """`full_clean()`, turning Django's ValidationError into an ApplicationError with every
    field's messages (the form shows them next to the fields)."""
    try:
        instance.full_clean(**kwargs)  # type: ignore[arg-type]
    except ValidationError as exc:
        field_errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise ApplicationError(
            _("Some data is not valid: %(errors)s. Correct it and save again.")
            % {"errors": " ".join(m for msgs in field_errors.values() for m in msgs)},
            field_errors=field_errors,
        ) from exc


def case_closed_error() -> ApplicationError:
    return ApplicationError(
        _(
            "This case is closed: its plan, services, notes, conferences and aftercare "
            "follow-ups can no longer change. To serve the client again, register a new intake."
        ),
        code="case_closed",
    )

"""The one exception services raise for a broken business rule."""

from collections.abc import Mapping, Sequence


class ApplicationError(Exception):
    """A domain rule was broken. `message` is shown to the user as is (Bahasa Indonesia via gettext).

    `field_errors` maps a field name to the messages for that field, for forms and the API.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}

    def __str__(self) -> str:
        return self.message

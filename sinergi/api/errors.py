"""One error format for the whole API: `{"error": {"code": ..., "message": ..., "fields": {...}}}`.

Messages are in the request's language (Indonesian by default) and say what to do next. Every
failure goes through here: validation (400), ApplicationError (400, or 409 for code "conflict"),
401, 403, 404, 405, 429 and 500.
"""

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from sinergi.core import request_context
from sinergi.core.errors import ApplicationError

logger = logging.getLogger("sinergi.api")

CONTENT_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """An error with its own HTTP status, raised by API code for 401/403/429-type answers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = str(message)
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()},
        }
    }


def error_response(
    status: int, code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> HttpResponse:
    """A plain Django response in the error format (for answers given outside ninja)."""
    return HttpResponse(
        json.dumps(error_body(code, message, fields), ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )


# --- Messages (functions, so they are translated in the language of each request) ---------------


def not_authenticated_message() -> str:
    return _(
        "Sign in first: send the header “Authorization: Bearer <token>” with a token from "
        "POST /api/v1/auth/token, or use the API from a signed-in browser session."
    )


def permission_denied_message() -> str:
    return _(
        "You do not have permission for this. Ask the system administrator for a role that "
        "allows it."
    )


def not_found_message() -> str:
    return _("Not found, or you may not see it. Check the address and the identifier.")


def validation_message() -> str:
    return _("Some values are missing or not valid. Correct the fields listed and try again.")


def _field_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_")):
        return _("Enter a number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith("datetime_"):
        return _("Enter a date and time such as 2025-01-31T08:00:00+07:00.")
    if kind.startswith("date_"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "string_type":
        return _("Enter text.")
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.") % {"count": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Enter at least %(count)s characters.") % {"count": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("Enter a value of at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Enter a value greater than %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Enter a value of at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Enter a value less than %(limit)s.") % {"limit": ctx.get("lt")}
    if kind in {"literal_error", "enum"}:
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind == "string_pattern_mismatch":
        return _("The value does not have the expected format.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Send a JSON object here.")
    if kind == "list_type":
        return _("Send a list here.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("This value is not valid.")


def _field_name(loc: Sequence[Any]) -> str:
    parts = list(loc)
    source = parts.pop(0) if parts else ""
    # A body schema argument adds its own name ("payload") in front of the field names.
    if source == "body" and len(parts) >= 2:
        parts.pop(0)
    elif source == "body" and len(parts) == 1:
        parts = ["body"]
    return ".".join(str(p) for p in parts) or str(source) or "__all__"


def validation_fields(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_field_message(error))
    return fields


# --- Handlers ------------------------------------------------------------------------------------


def _respond(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, Sequence[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default exception handlers with ones answering in the error format."""

    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _respond(
            api,
            request,
            400,
            "validation_error",
            validation_message(),
            validation_fields(exc.errors),
        )

    def application(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        status = 409 if exc.code == "conflict" else 400
        return _respond(api, request, status, exc.code, exc.message, exc.field_errors)

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _respond(api, request, exc.status, exc.code, exc.message, exc.fields)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            response = _respond(api, request, 401, "not_authenticated", not_authenticated_message())
            response["WWW-Authenticate"] = 'Bearer realm="sinergi"'
            return response
        if isinstance(exc, AuthorizationError) or exc.status_code == 403:
            return _respond(api, request, 403, "permission_denied", permission_denied_message())
        if isinstance(exc, Throttled):
            wait = int(exc.wait) + 1 if exc.wait is not None else 60
            return _respond(
                api,
                request,
                429,
                "throttled",
                _("Too many requests. Wait %(seconds)s seconds, then try again.")
                % {"seconds": wait},
            )
        if exc.status_code == 400:
            return _respond(
                api,
                request,
                400,
                "bad_request",
                _("The request body could not be read. Send valid JSON and try again."),
            )
        return _respond(api, request, exc.status_code, "error", str(exc))

    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _respond(api, request, 403, "permission_denied", permission_denied_message())

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, 404, "not_found", not_found_message())

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        request_id = request_context.current().request_id
        logger.exception("Unhandled API error (request %s)", request_id, exc_info=exc)
        return _respond(
            api,
            request,
            500,
            "server_error",
            _(
                "Something went wrong on the server. Try again later; if it keeps happening, "
                "give the administrator this request id: %(request_id)s."
            )
            % {"request_id": request_id or "-"},
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (NinjaValidationError, validation),
        (ApplicationError, application),
        (ApiError, api_error),
        (HttpError, http_error),
        (PermissionDenied, permission_denied),
        (Http404, not_found),
        (Exception, server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


# --- Answers given outside ninja's operations ----------------------------------------------------


def method_not_allowed(response: HttpResponseNotAllowed) -> HttpResponse:
    allowed = response.get("Allow", "")
    answer = error_response(
        405,
        "method_not_allowed",
        _("This method is not allowed here. Allowed methods: %(methods)s.")
        % {"methods": allowed or "-"},
    )
    answer["Allow"] = allowed
    return answer


def with_error_format(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a ninja URL view so its bare 405 (and the API root's 404) use the error format too."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, "not_found", not_found_message())
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(response)
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)  # type: ignore[attr-defined]
    return wrapped


def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any /api/v1/ address no endpoint answers: 404 in the error format."""
    return error_response(404, "not_found", not_found_message())

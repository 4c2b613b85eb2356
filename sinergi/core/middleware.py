"""Gives each request an id (echoed as X-Request-ID) and remembers the client address for the audit."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sinergi.core import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        context = request_context.RequestContext(
            request_id=request_id,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", "")[:255],
        )
        token = request_context.set_current(context)
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class OfficeLanguageMiddleware:
    """Pages speak the office language (settings.LANGUAGE_CODE) unless the user chose another with
    the language switch. A browser's Accept-Language is ignored for pages (an English-language
    browser in the office must still get Bahasa Indonesia); the JSON API keeps honouring it.

    Place it just before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

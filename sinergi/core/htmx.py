"""Small helpers for htmx requests: full page normally, only the named partial for htmx."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str, status: int = 200
) -> HttpResponse:
    """Render `template`, or just its `{% partialdef partial %}` block when htmx asks for it."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context, status=status)

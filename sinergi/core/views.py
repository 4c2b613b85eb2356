"""The dashboard shell, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from sinergi.core import menu, request_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: a tile for every module the user's roles open."""
    tiles = menu.items_for(request.user, "main")
    has_roles = bool(tiles) or request.user.is_superuser or request.user.roles.exists()  # type: ignore[union-attr]
    return render(request, "core/home.html", {"tiles": tiles, "has_roles": has_roles})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for the load balancer and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # any database failure means "not healthy"
        database = {"status": "error", "vendor": connection.vendor, "error": type(exc).__name__}
        status = 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database}, status=status
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: the database may be what failed."""
    body = loader.get_template("500.html").render(
        {"request_id": request_context.current().request_id}
    )
    return HttpResponseServerError(body)

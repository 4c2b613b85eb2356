"""Mounted at /api/v1/ by config/urls.py: the NinjaAPI's URLs, then a JSON 404 for the rest."""

from django.urls import URLPattern, URLResolver, re_path

from sinergi.api.api import api
from sinergi.api.errors import unknown_path, with_error_format


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = with_error_format(pattern.callback)
    return patterns


app_name = "api"

urlpatterns = [
    *_patterns(),
    re_path(r"^(?P<path>.*)$", unknown_path, name="unknown"),
]

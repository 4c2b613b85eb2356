"""Mounted at /api/v1/ by config/urls.py. The NinjaAPI instance lives in sinergi/api/api.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

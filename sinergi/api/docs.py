"""The /api/v1/docs page: Swagger UI from vendored static files, so it works with no internet."""

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    template = "api/swagger.html"

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        settings = {**self.settings, "url": openapi_url}
        context = {
            # `</` must not end the JSON <script> block early.
            "swagger_settings": json.dumps(settings).replace("</", "<\\/"),
            "api": api,
            "openapi_url": openapi_url,
            "add_csrf": True,
        }
        return render(request, self.template, context)

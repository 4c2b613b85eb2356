"""The one NinjaAPI of Sinergi (mounted at /api/v1/ by sinergi/api/urls.py).

Routers are discovered, never imported by name: every Sinergi app may have an `api.py` with
`router = Router(tags=[...])` and `PREFIX = "<prefix>"`; it is mounted at /api/v1/<prefix>/.
Such a module imports only `sinergi.api.auth`, `.errors`, `.pagination` and `.schemas` (never this
module), so there is no import cycle.
"""

from collections.abc import Iterator
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI, Router

from sinergi.api import tokens
from sinergi.api.auth import default_auth
from sinergi.api.docs import OfflineSwagger
from sinergi.api.errors import install_handlers

DESCRIPTION = """
JSON API of Sinergi, the information system of the provincial social affairs office.

**Authentication.** Get a personal token with `POST /api/v1/auth/token` (username, password and, for
roles with two-factor login, `otp`), then send `Authorization: Bearer <token>`. A signed-in browser
session also works (with the CSRF token for writes). `DELETE /api/v1/auth/token` revokes the token.

**Permissions.** The same roles and unit scope as the web pages: a record outside your scope answers
404, a missing permission 403.

**Errors.** Always `{"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}}}`,
with the message in the request's language (`Accept-Language`; Indonesian by default).

**Lists.** Keyset pagination: `?limit=` (1-200) and `?cursor=` taken from the previous page's
`next_cursor`; `next_cursor` is null on the last page.
"""


def discovered_routers() -> Iterator[tuple[str, Router]]:
    """(prefix, router) of every Sinergi app's `api.py` that declares both."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("sinergi.") or config.name == "sinergi.api":
            continue
        if not module_has_submodule(config.module, "api"):
            continue
        module = import_module(f"{config.name}.api")
        router = getattr(module, "router", None)
        prefix = getattr(module, "PREFIX", None)
        if isinstance(router, Router) and isinstance(prefix, str):
            found.append((prefix.strip("/"), router))
    yield from sorted(found, key=lambda pair: pair[0])


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        version="1",
        title="Sinergi API",
        description=DESCRIPTION,
        urls_namespace="api",
        docs=OfflineSwagger(),
        auth=default_auth(),
    )
    install_handlers(api)
    api.add_router("auth", tokens.router)
    for prefix, router in discovered_routers():
        api.add_router(prefix, router)
    return api


api = build_api()

"""Test helpers for API endpoints of every app."""

import json
from typing import Any

from django.test import Client

from sinergi.api import services


def bearer_headers(user: Any) -> dict[str, str]:
    """Headers for a Django test Client call authenticated with a fresh token of `user`."""
    _token, key = services.token_issue(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api_get(user: Any | None, url: str, **params: Any) -> Any:
    """GET `url` as `user` (None: anonymous) with a bearer token; returns the response."""
    if user is None:
        return Client().get(url, params)
    _token, key = services.token_issue(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"}).get(url, params)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert the response is an error in the API format with this status and code."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]

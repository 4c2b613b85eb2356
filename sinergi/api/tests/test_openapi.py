import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("post", "/api/v1/auth/token"),
    ("delete", "/api/v1/auth/token"),
    ("get", "/api/v1/accounts/me"),
    ("get", "/api/v1/organisation/units"),
    ("get", "/api/v1/organisation/units/{code}"),
    ("get", "/api/v1/organisation/regions"),
    ("get", "/api/v1/organisation/regions/{code}"),
    ("get", "/api/v1/audit/events"),
    ("get", "/api/v1/audit/events/{event_id}"),
}


def _schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_schema_lists_every_endpoint():
    schema = _schema()
    assert schema["info"]["title"] == "Sinergi API"
    assert schema["info"]["version"] == "1"
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations >= EXPECTED_OPERATIONS


def test_every_protected_operation_declares_bearer_and_session_auth_and_the_error_schema():
    schema = _schema()
    assert schema["components"]["securitySchemes"]["BearerTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"error"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if (method, path) == ("post", "/api/v1/auth/token"):
                assert "security" not in operation
                continue
            schemes = {name for entry in operation["security"] for name in entry}
            assert schemes == {"BearerTokenAuth", "BrowserSessionAuth"}, (method, path)
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }, (method, path)


def test_list_endpoints_document_the_keyset_shape():
    schema = _schema()
    page = schema["components"]["schemas"]["UnitPageOut"]
    assert set(page["properties"]) == {"items", "next_cursor"}
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/organisation/units"]["get"]["parameters"]
    }
    assert parameters == {"cursor", "limit", "q", "type", "active"}


def _filled(path, operation):
    """The path with every parameter filled with a value of its type (a UUID where one is due)."""
    formats = {
        p["name"]: p.get("schema", {}).get("format")
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }

    def value(match):
        name = match.group(1).split(":")[-1]
        return "00000000-0000-4000-8000-000000000001" if formats.get(name) == "uuid" else "1"

    return re.sub(r"\{([^}]+)\}", value, path)


def test_every_anonymous_call_is_refused_with_401(db):
    schema = _schema()
    for path, item in schema["paths"].items():
        for method in item:
            if (method, path) == ("post", "/api/v1/auth/token"):
                continue
            url = _filled(path, item[method])
            response = getattr(Client(), method)(url)
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.json()["error"]["code"] == "not_authenticated"


def test_docs_page_uses_only_local_assets_and_no_inline_script():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "http://" not in html
    assert "https://" not in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources == [
        "/static/api/vendor/swagger-ui/swagger-ui.css",
        "/static/api/vendor/swagger-ui/favicon.svg",
        "/static/api/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/api/docs.js",
    ]
    # The only inline <script> is a JSON data block, which CSP does not execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe" not in csp


def test_docs_assets_are_served():
    for path in (
        "/static/api/vendor/swagger-ui/swagger-ui.css",
        "/static/api/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/api/docs.js",
    ):
        response = Client().get(path)
        assert response.status_code == 200, path

"""Browser test: the API documentation renders with no request to any other host (offline)."""

from urllib.parse import urlparse

from django.test import Client
from playwright.sync_api import expect


def test_api_docs_render_offline_under_the_strict_csp(live_server, page, db):
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sinergi API")
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/audit/events']")).to_be_visible()
    schema = Client().get("/api/v1/openapi.json").json()
    operations = sum(
        1 for methods in schema["paths"].values() for method in methods if method != "parameters"
    )
    assert operations > 9  # platform + domain apps
    expect(page.locator(".opblock")).to_have_count(operations)

    server = urlparse(live_server.url).netloc
    foreign = [
        url
        for url in requests
        if urlparse(url).scheme in {"http", "https"} and urlparse(url).netloc != server
    ]
    assert foreign == []
    assert f"{live_server.url}/api/v1/openapi.json" in requests
    assert errors == []

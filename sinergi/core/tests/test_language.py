import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_for_an_english_browser():
    response = Client().get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert "Masuk" in response.content.decode()


def test_the_language_switch_still_selects_english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.headers["Content-Language"] == "en"


def test_the_api_honours_accept_language():
    response = Client().get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.headers["Content-Language"] == "en"

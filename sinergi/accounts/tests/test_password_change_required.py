"""After an administrator sets or resets a password, the user must choose their own first."""

import json

import pytest
from django.test import Client

from sinergi.accounts import services
from sinergi.accounts.models import User
from sinergi.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kopi-tubruk-di-teras-9"


@pytest.fixture
def reset_user(make_user, units):
    admin = make_user("head_of_office", units.office, username="atasan", is_superuser=True)
    target = make_user("social_worker", units.upt_a, username="peksos.reset")
    services.user_password_reset(actor=admin, user=target, password=PASSWORD)
    target.refresh_from_db()
    return target


def test_a_reset_password_must_be_changed_before_any_page(reset_user):
    assert reset_user.must_change_password
    client = Client()
    client.force_login(reset_user)

    response = client.get("/rehabilitasi/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/profil/kata-sandi/"
    page = client.get("/akun/profil/kata-sandi/")
    assert page.status_code == 200
    assert "Buat kata sandi Anda sendiri" in page.content.decode()


def test_changing_the_password_lifts_the_requirement(reset_user):
    client = Client()
    client.force_login(reset_user)

    response = client.post(
        "/akun/profil/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not User.objects.get(pk=reset_user.pk).must_change_password
    assert client.get("/akun/profil/").status_code == 200


def test_a_user_created_with_a_chosen_password_must_change_it_but_demo_style_creation_need_not(
    units, make_user
):
    admin = make_user("system_admin", units.office, username="admin.x")
    chosen = services.user_create(
        actor=admin,
        username="baru.satu",
        full_name="Baru Satu",
        unit=units.upt_a,
        role_codes=["social_worker"],
        password=NEW_PASSWORD,
        must_change_password=True,
    )
    plain = services.user_create(
        actor=admin,
        username="baru.dua",
        full_name="Baru Dua",
        unit=units.upt_a,
        role_codes=["social_worker"],
        password=NEW_PASSWORD,
    )
    assert chosen.must_change_password
    assert not plain.must_change_password


def test_the_api_refuses_a_token_until_the_password_is_changed(reset_user):
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": reset_user.username, "password": PASSWORD, "name": "laptop"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"

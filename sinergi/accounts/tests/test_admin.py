import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_users_and_roles_cannot_be_changed_in_the_django_admin(units, make_user):
    superuser = make_user(None, units.office, is_staff=True, is_superuser=True)
    target = make_user("social_worker", units.upt_a)
    client = Client()
    client.force_login(superuser)

    assert client.get("/admin/accounts/user/").status_code == 200
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/", {"username": "renamed", "is_superuser": "on"}
    )
    assert response.status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403
    assert client.get("/admin/accounts/role/add/").status_code == 403
    target.refresh_from_db()
    assert target.username != "renamed"
    assert target.is_superuser is False

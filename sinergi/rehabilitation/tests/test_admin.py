import pytest
from django.test import Client

from sinergi.rehabilitation.models import PpksCategory

pytestmark = pytest.mark.django_db


def test_reference_data_is_read_only_in_the_django_admin(units, make_user):
    superuser = make_user(None, units.office, is_staff=True, is_superuser=True)
    category = PpksCategory.objects.order_by("number").first()
    client = Client()
    client.force_login(superuser)

    assert client.get("/admin/rehabilitation/ppkscategory/").status_code == 200
    response = client.post(
        f"/admin/rehabilitation/ppkscategory/{category.pk}/change/", {"name": "Diubah"}
    )
    assert response.status_code == 403
    assert client.get("/admin/rehabilitation/ppkscategory/add/").status_code == 403
    category.refresh_from_db()
    assert category.name != "Diubah"

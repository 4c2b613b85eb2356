import pytest
from django.test import Client
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.organisation.models import Unit, UnitType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(units, make_user):
    user = make_user(None, units.office, username="superuser", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_lists_units_regions_and_types(admin_client_, regions):
    for name in ("unit", "region", "unittype", "upttype"):
        response = admin_client_.get(reverse(f"admin:organisation_{name}_changelist"))
        assert response.status_code == 200, name


def test_regions_are_read_only_in_the_admin(admin_client_, regions):
    assert admin_client_.get(reverse("admin:organisation_region_add")).status_code == 403
    response = admin_client_.post(
        reverse("admin:organisation_region_change", args=["35.78"]), {"name": "X"}
    )
    assert response.status_code == 403
    assert regions["35.78"].name == "Kota Surabaya"


def test_a_unit_added_in_the_admin_gets_its_path_and_an_audit_event(admin_client_, units):
    kind = UnitType.objects.get(code="upt")
    response = admin_client_.post(
        reverse("admin:organisation_unit_add"),
        {
            "code": "upt-admin",
            "name": "UPT dari Admin",
            "short_name": "",
            "unit_type": kind.pk,
            "upt_type": "",
            "parent": units.rehab_division.pk,
            "regency": "",
            "address": "",
            "phone": "",
            "email": "",
            "capacity": "",
            "is_active": "on",
            "sort_order": "100",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="upt-admin")
    assert unit.path == f"{units.rehab_division.path}{unit.pk}/"
    assert (
        AuditEvent.objects.filter(
            action="organisation.unit_created", target_id=str(unit.pk)
        ).count()
        == 1
    )


def test_the_admin_refuses_a_parent_inside_the_units_own_subtree(admin_client_, units):
    data = {
        "code": "bidang-rehsos",
        "name": "Bidang Rehabilitasi Sosial",
        "short_name": "",
        "unit_type": units.rehab_division.unit_type_id,
        "upt_type": "",
        "parent": units.upt_a.pk,
        "regency": "",
        "address": "",
        "phone": "",
        "email": "",
        "capacity": "",
        "is_active": "on",
        "sort_order": "100",
    }
    response = admin_client_.post(
        reverse("admin:organisation_unit_change", args=[units.rehab_division.pk]), data
    )
    assert response.status_code == 200
    # the page speaks Indonesian (LANGUAGE_CODE "id")
    assert "Unit tidak dapat ditempatkan di bawah dirinya sendiri" in response.content.decode()
    assert Unit.objects.get(pk=units.rehab_division.pk).parent_id == units.office.pk


def test_units_cannot_be_deleted_in_the_admin(admin_client_, units):
    response = admin_client_.post(
        reverse("admin:organisation_unit_delete", args=[units.upt_a.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Unit.objects.filter(pk=units.upt_a.pk).exists()


def test_changing_a_unit_type_in_the_admin_is_audited(admin_client_, units):
    kind = UnitType.objects.get(code="bidang")
    response = admin_client_.post(
        reverse("admin:organisation_unittype_change", args=[kind.pk]),
        {"code": "bidang", "name": "Bidang Teknis", "sort_order": "30"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="organisation.unittype_updated")
    assert event.changes == {"name": ["Bidang", "Bidang Teknis"], "sort_order": [100, 30]}

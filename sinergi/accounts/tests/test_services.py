"""User administration services: create, update, reset password, unlock, two-factor reset."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts import services
from sinergi.accounts.models import User
from sinergi.accounts.testing import PASSWORD
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(units, make_user):
    return make_user("system_admin", units.office, username="admin")


def _lock_out(username):
    AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )


def test_user_create_sets_unit_roles_password_and_records_an_audit_event(admin, units):
    user = services.user_create(
        actor=admin,
        username="peksos.baru",
        full_name="Pekerja Sosial Baru",
        unit=units.upt_a,
        role_codes=["social_worker"],
        password="kopi-pagi-di-taman-5",
    )

    user.refresh_from_db()
    assert user.unit == units.upt_a
    assert [r.code for r in user.roles.all()] == ["social_worker"]
    assert user.check_password("kopi-pagi-di-taman-5")
    event = AuditEvent.objects.get(action="accounts.user_created")
    assert event.actor == admin
    assert event.target_id == str(user.pk)
    assert event.changes == {
        "username": [None, "peksos.baru"],
        "unit": [None, units.upt_a.pk],
        "roles": [None, ["social_worker"]],
    }


def test_user_create_refuses_a_weak_password_and_saves_nothing(admin, units):
    with pytest.raises(ApplicationError) as caught:
        services.user_create(
            actor=admin,
            username="peksos.baru",
            full_name="Pekerja Sosial Baru",
            unit=units.upt_a,
            role_codes=["social_worker"],
            password="12345",
        )

    assert "password" in caught.value.field_errors
    assert not User.objects.filter(username="peksos.baru").exists()
    assert not AuditEvent.objects.filter(action="accounts.user_created").exists()


def test_user_create_refuses_a_taken_username_whatever_its_case(admin, units, make_user):
    make_user("social_worker", units.upt_a, username="peksos")

    with pytest.raises(ApplicationError) as caught:
        services.user_create(
            actor=admin,
            username="PekSos",
            full_name="X",
            unit=units.upt_a,
            role_codes=["social_worker"],
        )

    assert caught.value.field_errors == {"username": ["Nama pengguna ini sudah dipakai."]}


def test_user_create_refuses_an_unknown_role(admin, units):
    with pytest.raises(ApplicationError) as caught:
        services.user_create(
            actor=admin, username="x", full_name="X", unit=units.upt_a, role_codes=["wizard"]
        )

    assert "wizard" in caught.value.message
    assert not User.objects.filter(username="x").exists()


def test_a_unit_scoped_creator_cannot_place_a_user_outside_their_units(units, make_user):
    creator = make_user("head_of_upt", units.upt_a)

    with pytest.raises(ApplicationError) as caught:
        services.user_create(
            actor=creator,
            username="x",
            full_name="X",
            unit=units.upt_b,
            role_codes=["social_worker"],
        )

    assert caught.value.field_errors == {"unit": ["Unit ini di luar lingkup Anda."]}


def test_user_create_without_password_makes_an_account_that_cannot_log_in_yet(admin, units):
    user = services.user_create(
        actor=admin, username="x", full_name="X", unit=units.upt_a, role_codes=["social_worker"]
    )

    assert user.has_usable_password() is False


def test_generated_passwords_pass_the_validators_and_differ(admin, units, make_user):
    target = make_user("social_worker", units.upt_a)
    first = services.user_password_reset(actor=admin, user=target)
    second = services.user_password_reset(actor=admin, user=target)

    assert first != second
    assert len(first) == 14
    target.refresh_from_db()
    assert target.check_password(second)


def test_user_update_changes_fields_and_audits_only_what_changed(admin, units, make_user):
    target = make_user("social_worker", units.upt_a, full_name="Lama", email="lama@example.org")

    services.user_update(
        actor=admin,
        user=target,
        full_name="Baru",
        email="lama@example.org",
        unit=units.upt_b,
        role_codes=["head_of_upt", "social_worker"],
        is_active=True,
    )

    target.refresh_from_db()
    assert target.full_name == "Baru"
    assert target.unit == units.upt_b
    assert sorted(r.code for r in target.roles.all()) == ["head_of_upt", "social_worker"]
    event = AuditEvent.objects.get(action="accounts.user_updated")
    assert event.changes == {
        "full_name": ["Lama", "Baru"],
        "unit": [units.upt_a.pk, units.upt_b.pk],
        "roles": [["social_worker"], ["head_of_upt", "social_worker"]],
    }


def test_user_update_with_no_change_writes_no_audit_event(admin, units, make_user):
    target = make_user("social_worker", units.upt_a, full_name="Sama")

    services.user_update(
        actor=admin,
        user=target,
        full_name="Sama",
        email="",
        unit=units.upt_a,
        role_codes=["social_worker"],
        is_active=True,
    )

    assert not AuditEvent.objects.filter(action="accounts.user_updated").exists()


def test_deactivated_user_can_no_longer_log_in(admin, units, make_user):
    target = make_user("social_worker", units.upt_a, username="peksos")

    services.user_update(
        actor=admin,
        user=target,
        full_name=target.full_name,
        email="",
        unit=units.upt_a,
        role_codes=["social_worker"],
        is_active=False,
    )

    response = Client().post("/akun/masuk/", {"username": "peksos", "password": PASSWORD})
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="accounts.user_updated").changes == {
        "is_active": [True, False]
    }


def test_an_administrator_cannot_deactivate_themself(admin, units):
    with pytest.raises(ApplicationError) as caught:
        services.user_update(
            actor=admin,
            user=admin,
            full_name=admin.full_name,
            email="",
            unit=units.office,
            role_codes=["system_admin"],
            is_active=False,
        )

    assert "is_active" in caught.value.field_errors
    admin.refresh_from_db()
    assert admin.is_active is True


def test_an_administrator_cannot_drop_their_own_administrator_role(admin, units):
    with pytest.raises(ApplicationError) as caught:
        services.user_update(
            actor=admin,
            user=admin,
            full_name=admin.full_name,
            email="",
            unit=units.office,
            role_codes=["auditor"],
            is_active=True,
        )

    assert "roles" in caught.value.field_errors
    assert [r.code for r in admin.roles.all()] == ["system_admin"]


def test_password_reset_sets_the_password_lifts_the_lockout_and_is_audited(admin, units, make_user):
    target = make_user("social_worker", units.upt_a, username="peksos")
    _lock_out("peksos")

    password = services.user_password_reset(
        actor=admin, user=target, password="teh-sore-di-beranda-7"
    )

    assert password == "teh-sore-di-beranda-7"
    target.refresh_from_db()
    assert target.check_password("teh-sore-di-beranda-7")
    assert AccessAttempt.objects.filter(username="peksos").count() == 0
    event = AuditEvent.objects.get(action="accounts.password_reset")
    assert event.kind == "security"
    assert "teh-sore" not in str(event.changes) + str(event.extra)


def test_password_reset_of_oneself_is_refused(admin):
    with pytest.raises(ApplicationError):
        services.user_password_reset(actor=admin, user=admin, password="teh-sore-di-beranda-7")

    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_password_reset_refuses_a_weak_password_and_keeps_the_old_one(admin, units, make_user):
    target = make_user("social_worker", units.upt_a)

    with pytest.raises(ApplicationError):
        services.user_password_reset(actor=admin, user=target, password="password")

    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password_reset").exists()


def test_unlock_removes_the_failed_attempts_and_is_audited(admin, units, make_user):
    target = make_user("social_worker", units.upt_a, username="peksos")
    _lock_out("peksos")

    removed = services.user_unlock(actor=admin, user=target)

    assert removed == 1
    assert AccessAttempt.objects.count() == 0
    event = AuditEvent.objects.get(action="accounts.user_unlocked")
    assert event.extra == {"attempt_records_removed": 1}


def test_two_factor_reset_removes_the_devices_of_the_user_only(admin, units, make_user):
    other_admin = make_user("system_admin", units.office)
    TOTPDevice.objects.create(user=other_admin, name="default", confirmed=True)
    TOTPDevice.objects.create(user=admin, name="default", confirmed=True)

    removed = services.user_two_factor_reset(actor=admin, user=other_admin)

    assert removed == 1
    assert list(TOTPDevice.objects.values_list("user_id", flat=True)) == [admin.pk]
    assert AuditEvent.objects.filter(action="accounts.two_factor_reset").count() == 1


def test_two_factor_reset_of_oneself_is_refused(admin):
    TOTPDevice.objects.create(user=admin, name="default", confirmed=True)

    with pytest.raises(ApplicationError):
        services.user_two_factor_reset(actor=admin, user=admin)

    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_roles_sync_is_idempotent_and_grants_the_users_menu_to_admins(roles):
    again = services.roles_sync(actor=None)

    assert [r.code for r in again] == [r.code for r in roles.values()]
    codenames = set(again[0].permissions.values_list("codename", flat=True))
    assert {"view_user", "add_user", "change_user"} <= codenames

"""The role backend reads a user's permissions in one query and gives Django's own answer."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.backends import RoleBackend
from sinergi.accounts.models import Role, User


def _django_answer(user: User) -> set[str]:
    """What ModelBackend computes with two queries, roles standing in for groups."""
    fresh = User.objects.get(pk=user.pk)
    direct = ModelBackend().get_user_permissions(fresh)
    from_roles = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(roles__users=fresh).values_list(
            "content_type__app_label", "codename"
        )
    }
    return direct | from_roles


@pytest.mark.parametrize("role", ["social_worker", "finance_officer", "head_of_office", None])
def test_one_query_gives_the_roles_and_direct_permissions(units, make_user, role):
    user = make_user(role, units.upt_a)
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    if role:
        user.roles.add(Role.objects.get(code="auditor"))  # two roles: duplicates collapse
    fresh = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        found = RoleBackend().get_all_permissions(fresh)
        assert RoleBackend().get_all_permissions(fresh) is found  # cached on the user
    assert len(queries) == 1
    assert found == _django_answer(user)
    assert "audit.view_auditevent" in found


def test_inactive_users_and_object_checks_get_nothing(units, make_user):
    user = make_user("finance_officer", units.office, is_active=False)
    assert RoleBackend().get_all_permissions(user) == set()
    active = make_user("finance_officer", units.office)
    assert RoleBackend().get_all_permissions(active, obj=units.office) == set()


def test_a_superuser_has_every_permission(units):
    admin = User.objects.create_superuser(username="root", password="x", unit=units.office)
    assert RoleBackend().get_all_permissions(admin) == _all_permissions()


def _all_permissions() -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }

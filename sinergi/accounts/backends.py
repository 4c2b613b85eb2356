"""Permissions come from the user's roles (plus Django's own user permissions and superuser)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import QuerySet

# The role and the direct permissions of a user as (app_label, codename), in one statement.
# test_backends checks it against Django's own two-query answer.
PERMISSIONS_SQL = """
SELECT ct.app_label, p.codename
FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
WHERE p.id IN (
    SELECT rp.permission_id FROM accounts_role_permissions rp
    JOIN accounts_user_roles ur ON ur.role_id = rp.role_id WHERE ur.user_id = %s
    UNION
    SELECT up.permission_id FROM accounts_user_user_permissions up WHERE up.user_id = %s
)
"""


class RoleBackend(ModelBackend):
    def _get_group_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.filter(roles__users=user_obj)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The same set as ModelBackend's, read in one query instead of two (every page's menu
        asks for it); superusers keep Django's own path (every permission)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(PERMISSIONS_SQL, [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user with their unit in the same query (every page shows the unit)."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("unit").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

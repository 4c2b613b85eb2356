"""Users and roles are read-only in the Django admin: users are managed on the audited user pages
(Administrasi > Pengguna), and role grants are data in each app's roles.py, applied by
`manage.py sync_roles`. Nothing changes here without an audit event."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from sinergi.accounts.models import Role, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class SinergiUserAdmin(ReadOnlyAdmin, UserAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "last_login"]
    list_filter = ["is_active", "roles"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Sinergi", {"fields": ("full_name", "unit", "roles")}),
    )


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "scope", "requires_two_factor"]

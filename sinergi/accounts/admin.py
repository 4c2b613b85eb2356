"""Users and roles are read-only in the Django admin: users are managed on the audited user pages
(Administrasi > Pengguna), and role grants are data in each app's roles.py, applied by
`manage.py sync_roles`. Nothing changes here without an audit event."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sinergi.accounts.models import Role, User
from sinergi.core.admin_base import ReadOnlyModelAdmin


@admin.register(User)
class SinergiUserAdmin(ReadOnlyModelAdmin, UserAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "last_login"]
    list_filter = ["is_active", "roles"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Sinergi", {"fields": ("full_name", "unit", "roles")}),
    )


@admin.register(Role)
class RoleAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "scope", "requires_two_factor"]

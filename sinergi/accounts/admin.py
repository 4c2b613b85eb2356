from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sinergi.accounts.models import Role, User


@admin.register(User)
class SinergiUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "last_login"]
    list_filter = ["is_active", "roles"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Sinergi", {"fields": ("full_name", "unit", "roles")}),
    )
    filter_horizontal = ("roles", "groups", "user_permissions")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scope", "requires_two_factor"]
    filter_horizontal = ("permissions",)

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sinergi.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are issued through the API and revoked by their owner (both audited)."""

    list_display = ["user", "name", "key_prefix", "created_at", "last_used_at", "expires_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "key_prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    exclude = ["key_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

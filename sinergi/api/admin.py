from django.contrib import admin

from sinergi.api.models import ApiToken
from sinergi.core.admin_base import ReadOnlyModelAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    """Read-only: tokens are issued through the API and revoked by their owner (both audited)."""

    list_display = ["user", "name", "key_prefix", "created_at", "last_used_at", "expires_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "key_prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    exclude = ["key_hash"]

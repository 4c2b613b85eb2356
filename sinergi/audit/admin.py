from django.contrib import admin

from sinergi.audit.models import AuditEvent
from sinergi.core.admin_base import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """Read-only view of the append-only trail (the auditor page is the main way in)."""

    list_display = ["occurred_at", "kind", "actor_username", "action", "target_type", "target_id"]
    list_filter = ["kind"]
    search_fields = ["actor_username", "action", "target_id", "request_id"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

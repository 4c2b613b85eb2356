from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.scheduling.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyModelAdmin):
    """Job runs are the record of what the scheduler did: shown, never edited or deleted here."""

    list_display = ["job", "slot_start", "status", "started_at", "finished_at"]
    list_filter = ["status", "job"]
    readonly_fields = ["job", "slot_start", "started_at", "finished_at", "status", "message"]

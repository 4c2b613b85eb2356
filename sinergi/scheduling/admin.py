from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sinergi.scheduling.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot_start", "status", "started_at", "finished_at"]
    list_filter = ["status", "job"]
    readonly_fields = ["job", "slot_start", "started_at", "finished_at", "status", "message"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

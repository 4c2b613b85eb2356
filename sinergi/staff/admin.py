"""Read-only admin of the staff app: every change goes through the audited services."""

from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.staff.models import (
    BehaviourValue,
    Employee,
    MonthClosure,
    MonthlySubmission,
    PredikatRule,
    Rank,
    Skp,
)


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "nip", "employment_type", "unit", "supervisor"]
    list_filter = ["employment_type"]
    search_fields = ["name"]
    list_select_related = ["unit", "supervisor"]


@admin.register(Skp)
class SkpAdmin(ReadOnlyModelAdmin):
    list_display = ["employee", "year", "status", "revision"]
    list_filter = ["year", "status"]
    list_select_related = ["employee"]


@admin.register(MonthlySubmission)
class MonthlySubmissionAdmin(ReadOnlyModelAdmin):
    list_display = ["employee", "year", "month", "status", "on_time", "submitted_at"]
    list_filter = ["year", "month", "status", "on_time"]
    list_select_related = ["employee"]


@admin.register(Rank, PredikatRule, BehaviourValue, MonthClosure)
class ReferenceAdmin(ReadOnlyModelAdmin):
    pass

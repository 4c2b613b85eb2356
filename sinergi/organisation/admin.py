"""Django admin for the organisation reference data.

Units are saved through the services (tree paths, scope and audit stay right) and are never deleted
(deactivate them instead). Regions are read-only: they come from `manage.py load_regions`.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from sinergi.audit import services as audit
from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.core.errors import ApplicationError
from sinergi.organisation import services
from sinergi.organisation.models import AuditAction, Region, Unit, UnitType, UptType


class AuditedAdmin(admin.ModelAdmin):
    """Master data edited in the admin still leaves an audit event per change."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = list(form.fields)
        model = type(obj)
        before = audit.snapshot(model.objects.get(pk=obj.pk), fields) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = audit.changes_between(before, audit.snapshot(obj, fields))
            if changes:
                audit.record(
                    actor=request.user,
                    action=AuditAction(
                        f"organisation.{model._meta.model_name}_{'updated' if change else 'created'}"
                    ),
                    target=obj,
                    changes=changes,
                )


@admin.register(UnitType)
class UnitTypeAdmin(AuditedAdmin):
    list_display = ["code", "name", "is_service_unit", "sort_order"]
    search_fields = ["code", "name"]


@admin.register(UptType)
class UptTypeAdmin(AuditedAdmin):
    list_display = ["code", "name", "client_group"]
    search_fields = ["code", "name", "client_group"]


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = services.UNIT_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            if self.instance.pk is not None:
                services.check_parent(self.instance, cleaned.get("parent"))
            services.check_upt_type(
                Unit(unit_type=cleaned.get("unit_type"), upt_type=cleaned.get("upt_type"))
            )
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "unit_type", "upt_type", "parent", "is_active"]
    list_filter = ["is_active", "unit_type", "upt_type"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["unit_type", "upt_type", "parent"]
    autocomplete_fields = ["regency"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]
    ordering = ["path"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.UNIT_FIELDS}
        if change:
            changed = {name: data[name] for name in form.changed_data if name in data}
            saved = services.unit_update(actor=request.user, unit=obj, **changed)
        else:
            saved = services.unit_create(actor=request.user, **data)
        obj.pk, obj.path, obj.depth = saved.pk, saved.path, saved.depth

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # units are deactivated, never deleted: history points to them


@admin.register(Region)
class RegionAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    show_full_result_count = False

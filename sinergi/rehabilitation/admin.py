"""Django admin for looking at the rehabilitation reference data and instruments. They come from
regulation, so they are changed in the versioned data files (`rehabilitation/data/`, each row with
its source) and applied with the audited `manage.py load_rehabilitation_reference`, never edited
here. Clients and cases are NOT in the admin: personal data is read through the access-checked,
logged pages only."""

from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.rehabilitation.models import (
    AftercareInterval,
    DisabilityType,
    DocumentType,
    Instrument,
    InstrumentBand,
    InstrumentItem,
    MovementType,
    PpksCategory,
    ReferralSource,
    ServiceType,
    Stage,
    TerminationReason,
)


class ReferenceAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "code", "name", "effective_from", "effective_until", "is_active"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name"]
    ordering = ["number"]


for model in (PpksCategory, DisabilityType, ServiceType, TerminationReason, ReferralSource):
    admin.site.register(model, ReferenceAdmin)
admin.site.register(DocumentType, ReferenceAdmin)  # allowed file types and sizes


@admin.register(Stage)
class StageAdmin(ReferenceAdmin):
    list_display = [
        *ReferenceAdmin.list_display,
        "requires_approval",
        "records_termination",
        "schedules_aftercare",
    ]


@admin.register(AftercareInterval)
class AftercareIntervalAdmin(ReferenceAdmin):
    list_display = [*ReferenceAdmin.list_display, "months"]


class BandInline(admin.TabularInline):
    model = InstrumentBand
    extra = 0


class ItemInline(admin.TabularInline):
    model = InstrumentItem
    extra = 0
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "version", "name", "effective_from", "reassess_every_days", "is_active"]
    inlines = [ItemInline, BandInline]


admin.site.register(MovementType, ReferenceAdmin)  # residential: movement types

"""Django admin for looking at the plan, the bands and the SPM services. Every change goes through
the audited pages (Kinerja, Predikat, SPM), never through the admin."""

from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.performance.models import Band, Indicator, RenstraPeriod, SpmService


@admin.register(RenstraPeriod)
class RenstraPeriodAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "start_year", "end_year", "legal_basis"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "level", "unit", "polarity", "metric_code", "is_active"]
    list_filter = ["level", "polarity", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["unit"]


@admin.register(Band)
class BandAdmin(ReadOnlyModelAdmin):
    list_display = ["scheme", "label", "minimum", "inclusive", "needs_attention", "source"]
    list_filter = ["scheme"]


@admin.register(SpmService)
class SpmServiceAdmin(ReadOnlyModelAdmin):
    list_display = ["sort_order", "code", "name", "metric_code", "source"]

"""Django admin for looking at the innovation reference data (stages). Innovations themselves
change only through the audited pages."""

from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.innovations.models import CompetitionStage, Stage


@admin.register(Stage)
class StageAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "code", "name", "source"]


@admin.register(CompetitionStage)
class CompetitionStageAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "code", "name", "source"]

"""Django admin for looking at the SAKIP reference data (grade bands, answer scales) and the LKE
templates. Changes go through the audited pages (weights) and data migrations, never here."""

from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.sakip.models import AnswerOption, AnswerScale, GradeBand, Template


@admin.register(GradeBand)
class GradeBandAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "above", "order", "source"]


@admin.register(AnswerScale)
class AnswerScaleAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "source"]


@admin.register(AnswerOption)
class AnswerOptionAdmin(ReadOnlyModelAdmin):
    list_display = ["scale", "code", "label", "value", "order"]


@admin.register(Template)
class TemplateAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "name", "source"]

from django.contrib import admin

from sinergi.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "level", "created_at", "read_at"]
    list_filter = ["level"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at"]

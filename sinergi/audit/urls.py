from django.urls import path

from sinergi.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
    path("ekspor.<str:export_format>", views.event_export, name="event_export"),
]

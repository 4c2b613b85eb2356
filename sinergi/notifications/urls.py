from django.urls import path

from sinergi.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("semua-dibaca/", views.notification_mark_all_read, name="mark_all_read"),
    path("<int:pk>/dibaca/", views.notification_mark_read, name="mark_read"),
    path("<int:pk>/buka/", views.notification_open, name="open"),
]

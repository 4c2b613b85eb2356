from django.urls import path

from sinergi.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("baru/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/unit/<int:unit_id>/", views.report_edit, name="report"),
    path("<int:pk>/unit/<int:unit_id>/buka/", views.report_reopen, name="report_reopen"),
    path("<int:pk>/kompilasi/", views.compile_reports, name="compile"),
    path("<int:pk>/ringkasan.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("<int:pk>/tindak-lanjut/baru/", views.follow_up_create, name="follow_up_create"),
    path("kompilasi/<uuid:pk>/", views.compilation_detail, name="compilation"),
    path("tindak-lanjut/", views.follow_up_list, name="follow_up_list"),
    path("tindak-lanjut/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
]

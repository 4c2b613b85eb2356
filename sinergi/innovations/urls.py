from django.urls import path

from sinergi.innovations import views

app_name = "innovations"

urlpatterns = [
    path("", views.innovation_list, name="list"),
    path("ekspor.xlsx", views.export_xlsx, name="export_xlsx"),
    path("baru/", views.innovation_edit, name="create"),
    path("<int:pk>/", views.innovation_detail, name="detail"),
    path("<int:pk>/ubah/", views.innovation_edit, name="edit"),
    path("<int:pk>/indikator/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/lomba/", views.entry_add, name="entry_add"),
    path("<int:pk>/terbitkan/", views.publish, name="publish"),
    path("bukti/<int:pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("publik/", views.public_list, name="public_list"),
    path("publik/<int:pk>/", views.public_detail, name="public_detail"),
]

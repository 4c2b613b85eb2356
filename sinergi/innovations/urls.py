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
    path("indikator/<int:pk>/ubah/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/hapus/", views.indicator_remove, name="indicator_remove"),
    path("lomba/<int:pk>/ubah/", views.entry_edit, name="entry_edit"),
    path("lomba/<int:pk>/hapus/", views.entry_remove, name="entry_remove"),
    path("bukti/<int:pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("publik/", views.public_list, name="public_list"),
    path("publik/<int:pk>/", views.public_detail, name="public_detail"),
]

from django.urls import path

from sinergi.rehabilitation import views
from sinergi.rehabilitation.views.casework import urlpatterns as casework_urlpatterns
from sinergi.rehabilitation.views.documents import urlpatterns as records_urlpatterns
from sinergi.rehabilitation.views.residential import urlpatterns as residential_urlpatterns
from sinergi.rehabilitation.views.transfers import urlpatterns as transfer_urlpatterns

app_name = "rehabilitation"

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("penerimaan/", views.intake, name="intake"),
    path("tugas/", views.task_list, name="task_list"),
    path("penerima-manfaat/<uuid:pk>/", views.client_detail, name="client_detail"),
    path("penerima-manfaat/<uuid:pk>/ubah/", views.client_edit, name="client_edit"),
    path("kasus/<uuid:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<uuid:pk>/panel/", views.case_panels, name="case_panels"),
    path("kasus/<uuid:pk>/tahap/", views.case_advance, name="case_advance"),
    path("kasus/<uuid:pk>/setujui/", views.case_approve, name="case_approve"),
    path("kasus/<uuid:pk>/tutup/", views.case_close, name="case_close"),
    path(
        "kasus/<uuid:pk>/bimbingan-lanjut/<int:follow_up_pk>/",
        views.follow_up_record,
        name="follow_up_record",
    ),
    path("kasus/<uuid:pk>/asesmen/", views.assessment_create, name="assessment_create"),
    *casework_urlpatterns,
    *residential_urlpatterns,
    *transfer_urlpatterns,
    *records_urlpatterns,  # consent, documents, export, case summary PDF
]

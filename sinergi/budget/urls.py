from django.urls import path

from sinergi.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unit/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("rincian/", views.drill, name="drill"),
    path("sp2d/", views.realisation_list, name="realisation_list"),
    path("sp2d/<int:pk>/batal/", views.realisation_cancel, name="realisation_cancel"),
    path("rekening/<int:pk>/", views.line_detail, name="line_detail"),
    path("rekening/<int:pk>/sp2d/baru/", views.realisation_create, name="realisation_create"),
    path("rekening/<int:pk>/revisi/", views.revision_create, name="revision_create"),
    path("rekening/<int:pk>/progres/", views.progress_create, name="progress_create"),
    path("target/", views.milestone_list, name="milestone_list"),
    path("target/baru/", views.milestone_edit, name="milestone_create"),
    path("target/<int:pk>/ubah/", views.milestone_edit, name="milestone_edit"),
    path("tahun/<int:year>/status/", views.fiscal_year_status, name="fiscal_year_status"),
    path("tahun/<int:year>/lampu/", views.fiscal_year_thresholds, name="fiscal_year_thresholds"),
    path("provinsi/", views.provincial_list, name="provincial_list"),
    path("laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("laporan.pdf", views.report_pdf, name="report_pdf"),
]

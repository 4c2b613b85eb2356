from django.urls import path

from sinergi.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unit/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("rincian/", views.drill, name="drill"),
    path("rekening/<int:pk>/", views.line_detail, name="line_detail"),
    path("rekening/<int:pk>/sp2d/baru/", views.realisation_create, name="realisation_create"),
    path("laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("laporan.pdf", views.report_pdf, name="report_pdf"),
]

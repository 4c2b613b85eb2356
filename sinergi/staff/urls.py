from django.urls import path

from sinergi.staff.views import compliance, employees, skp

app_name = "staff"

urlpatterns = [
    path("", employees.employee_list, name="employee_list"),
    path("baru/", employees.employee_create, name="employee_create"),
    path("ekspor.xlsx", employees.employee_export, name="employee_export"),
    path("<int:pk>/", employees.employee_detail, name="employee_detail"),
    path("<int:pk>/ubah/", employees.employee_edit, name="employee_edit"),
    path("skp/", skp.my_skp, name="my_skp"),
    path("skp/baru/", skp.skp_create, name="skp_create"),
    path("skp/<int:pk>/", skp.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/rhk/baru/", skp.rhk_edit, name="rhk_create"),
    path("skp/<int:pk>/rhk/<int:rhk_pk>/", skp.rhk_edit, name="rhk_edit"),
    path("skp/<int:pk>/rhk/<int:rhk_pk>/hapus/", skp.rhk_delete, name="rhk_delete"),
    path("skp/<int:pk>/penilaian/", skp.evaluation, name="evaluation"),
    path("skp/<int:pk>/bulan/<int:month>/", skp.month_detail, name="month_detail"),
    path("skp/<int:pk>/bulan/<int:month>/ajukan/", skp.month_submit, name="month_submit"),
    path("skp/<int:pk>/<slug:action>/", skp.skp_action, name="skp_action"),
    path("bukti/<int:pk>/", skp.evidence_download, name="evidence"),
    path("kepatuhan/", compliance.compliance, name="compliance"),
    path("kepatuhan/terlambat/", compliance.late_list, name="late_list"),
    path("kepatuhan/terlambat.xlsx", compliance.late_xlsx, name="late_xlsx"),
    path("kepatuhan/terlambat.pdf", compliance.late_pdf, name="late_pdf"),
    path("kepatuhan/tutup/", compliance.month_close, name="month_close"),
]

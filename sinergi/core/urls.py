from django.urls import path

from sinergi.core import export_views, import_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("impor/", import_views.import_list, name="import_list"),
    path("impor/batch/<uuid:batch_id>/", import_views.import_batch, name="import_batch"),
    path(
        "impor/batch/<uuid:batch_id>/progres/",
        import_views.import_batch_progress,
        name="import_batch_progress",
    ),
    path("impor/batch/<uuid:batch_id>/terapkan/", import_views.import_apply, name="import_apply"),
    path(
        "impor/batch/<uuid:batch_id>/kesalahan.xlsx",
        import_views.import_errors_xlsx,
        name="import_errors_xlsx",
    ),
    path(
        "impor/<str:spec_code>/templat.xlsx", import_views.import_template, name="import_template"
    ),
    path("impor/<str:spec_code>/", import_views.import_upload, name="import_upload"),
    path("ekspor/", export_views.export_list, name="export_list"),
    path("ekspor/<uuid:job_id>/", export_views.export_job, name="export_job"),
    path(
        "ekspor/<uuid:job_id>/progres/",
        export_views.export_job_progress,
        name="export_job_progress",
    ),
    path(
        "ekspor/<uuid:job_id>/unduh/", export_views.export_job_download, name="export_job_download"
    ),
    path("ekspor/<uuid:job_id>/ulangi/", export_views.export_job_repeat, name="export_job_repeat"),
]

from django.urls import path

from sinergi.organisation import views

app_name = "organisation"

urlpatterns = [
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/ekspor/", views.unit_export, name="unit_export"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_update, name="unit_update"),
    path("unit/<int:pk>/nonaktifkan/", views.unit_deactivate, name="unit_deactivate"),
    path("unit/<int:pk>/aktifkan/", views.unit_reactivate, name="unit_reactivate"),
    path("wilayah/", views.region_browser, name="region_browser"),
    path("wilayah/pilihan/", views.region_options, name="region_options"),
]

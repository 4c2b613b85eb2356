"""URLs of the benchmark server: the reference pages under /bench/ref/, then every real URL."""

from django.urls import path

from bench.benchapp import views
from config import urls as real

urlpatterns = [
    path("bench/ref/small/", views.small_page, name="bench_ref_small"),
    path("bench/ref/list/", views.keyset_list, name="bench_ref_list"),
    *real.urlpatterns,
]

handler403 = real.handler403
handler404 = real.handler404
handler500 = real.handler500

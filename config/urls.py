from django.contrib import admin
from django.urls import include, path

from sinergi.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("sinergi.accounts.urls")),
    path("organisasi/", include("sinergi.organisation.urls")),
    path("audit/", include("sinergi.audit.urls")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("bantuan/", include("sinergi.guide.urls")),
    path("jadwal/", include("sinergi.scheduling.urls")),
    path("rehabilitasi/", include("sinergi.rehabilitation.urls")),
    path("anggaran/", include("sinergi.budget.urls")),
    path("pegawai/", include("sinergi.staff.urls")),
    path("pilar/", include("sinergi.pillars.urls")),
    path("kinerja/", include("sinergi.performance.urls")),
    path("sakip/", include("sinergi.sakip.urls")),
    path("rakortek/", include("sinergi.meetings.urls")),
    path("inovasi/", include("sinergi.innovations.urls")),
    path("api/v1/", include("sinergi.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("sinergi.core.urls")),
]

handler403 = "sinergi.core.views.error_403"
handler404 = "sinergi.core.views.error_404"
handler500 = "sinergi.core.views.error_500"

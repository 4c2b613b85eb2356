"""URLconf for the scheduling page tests (the project URLconf may not include the app yet)."""

from django.urls import include, path

urlpatterns = [
    path("jadwal/", include("sinergi.scheduling.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("sinergi.accounts.urls")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("bantuan/", include("sinergi.guide.urls")),
    path("", include("sinergi.core.urls")),
]

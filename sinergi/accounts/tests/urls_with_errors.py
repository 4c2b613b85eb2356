"""A URLconf for the error-page tests: the app URLs the layout needs, plus views that fail."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def server_error(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("rusak/", server_error),
    path("terlarang/", forbidden),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("sinergi.accounts.urls")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("bantuan/", include("sinergi.guide.urls")),
    path("", include("sinergi.core.urls")),
]

handler403 = "sinergi.core.views.error_403"
handler404 = "sinergi.core.views.error_404"
handler500 = "sinergi.core.views.error_500"

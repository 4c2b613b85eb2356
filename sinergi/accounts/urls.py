from django.urls import path

from sinergi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", views.two_factor, name="two_factor"),
    path("profil/", views.profile, name="profile"),
    path("profil/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
]

from django.urls import path

from sinergi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", views.two_factor, name="two_factor"),
    path("profil/", views.profile, name="profile"),
    path("profil/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/kata-sandi/", views.user_password_reset, name="user_password_reset"),
    path("pengguna/<int:pk>/buka-kunci/", views.user_unlock, name="user_unlock"),
    path(
        "pengguna/<int:pk>/dua-langkah/", views.user_two_factor_reset, name="user_two_factor_reset"
    ),
]

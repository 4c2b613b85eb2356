from django.urls import path

from sinergi.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.chapter, name="chapter"),
]

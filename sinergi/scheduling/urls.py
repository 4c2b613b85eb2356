from django.urls import path

from sinergi.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.job_list, name="job_list"),
]

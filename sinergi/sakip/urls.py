from django.urls import path

from sinergi.sakip import views

app_name = "sakip"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("ringkasan.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("evaluasi/baru/", views.evaluation_create, name="evaluation_create"),
    path("evaluasi/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path(
        "evaluasi/<int:pk>/kriteria/<int:criterion_id>/",
        views.answer_edit,
        name="answer_edit",
    ),
    path(
        "evaluasi/<int:pk>/kriteria/<int:criterion_id>/reviu/",
        views.answer_review,
        name="answer_review",
    ),
    path("evaluasi/<int:pk>/nilai-lalu/", views.previous_score, name="previous_score"),
    path("evaluasi/<int:pk>/finalisasi/", views.finalise, name="finalise"),
    path("evaluasi/<int:pk>/buka/", views.unlock, name="unlock"),
    path("evaluasi/<int:pk>/laporan.pdf", views.report_pdf, name="report_pdf"),
    path(
        "evaluasi/<int:pk>/rekomendasi/baru/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path("bukti/<int:answer_id>/", views.evidence_download, name="evidence_download"),
    path("rekomendasi/", views.recommendation_list, name="recommendation_list"),
    path("rekomendasi/<int:pk>/", views.recommendation_edit, name="recommendation_edit"),
    path("lke/", views.template_list, name="template_list"),
    path("lke/<int:pk>/", views.template_detail, name="template_detail"),
]

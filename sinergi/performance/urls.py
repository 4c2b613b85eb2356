from django.urls import path

from sinergi.performance.views import achievements, plan, renstra, reports

app_name = "performance"

urlpatterns = [
    path("", achievements.dashboard, name="dashboard"),
    path("unit/<int:pk>/", achievements.unit_detail, name="unit_detail"),
    path("indikator/<int:pk>/", achievements.indicator_detail, name="indicator_detail"),
    path(
        "indikator/<int:pk>/realisasi/",
        achievements.realisation_enter,
        name="realisation_enter",
    ),
    path(
        "realisasi/<int:pk>/verifikasi/",
        achievements.realisation_verify,
        name="realisation_verify",
    ),
    path("realisasi/<int:pk>/bukti/", achievements.evidence_download, name="evidence_download"),
    path("indikator/<int:pk>/hitung/", achievements.indicator_fill, name="indicator_fill"),
    path("realisasi/<int:pk>/buka/", achievements.realisation_unlock, name="realisation_unlock"),
    path("verifikasi/", achievements.verification_queue, name="verification_queue"),
    path("verifikasi/periode/", achievements.period_lock, name="period_lock"),
    path("capaian.xlsx", achievements.export_xlsx, name="export_xlsx"),
    path("rencana/", plan.plan, name="plan"),
    path("rencana/periode/baru/", renstra.period_edit, name="period_create"),
    path("rencana/periode/<int:pk>/ubah/", renstra.period_edit, name="period_edit"),
    path("rencana/periode/<int:period_pk>/tujuan/baru/", renstra.goal_edit, name="goal_create"),
    path("rencana/tujuan/<int:pk>/ubah/", renstra.goal_edit, name="goal_edit"),
    path(
        "rencana/tujuan/<int:goal_pk>/sasaran/baru/",
        renstra.objective_edit,
        name="objective_create",
    ),
    path("rencana/sasaran/<int:pk>/ubah/", renstra.objective_edit, name="objective_edit"),
    path("indikator/baru/", plan.indicator_edit, name="indicator_create"),
    path("indikator/<int:pk>/ubah/", plan.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/target/<int:year>/", plan.target_edit, name="target_edit"),
    path("pk/", plan.agreement_list, name="agreement_list"),
    path("pk/baru/", plan.agreement_create, name="agreement_create"),
    path("pk/<int:pk>/", plan.agreement_detail, name="agreement_detail"),
    path("pk/<int:pk>/tanda-tangan/", plan.agreement_sign, name="agreement_sign"),
    path("pk/<int:pk>/pk.pdf", plan.agreement_pdf, name="agreement_pdf"),
    path("predikat/", plan.band_list, name="band_list"),
    path("predikat/<int:pk>/ubah/", plan.band_edit, name="band_edit"),
    path("spm/", reports.spm, name="spm"),
    path("spm/<int:pk>/<int:year>/", reports.spm_edit, name="spm_edit"),
    path("spm/hitung/", reports.spm_fill, name="spm_fill"),
    path("spm/layanan/<int:pk>/", reports.spm_service_edit, name="spm_service_edit"),
    path("lkjip/", reports.lkjip, name="lkjip"),
    path("lkjip/<int:year>.pdf", reports.lkjip_pdf, name="lkjip_pdf"),
    path("lkjip/<int:year>.html", reports.lkjip_html, name="lkjip_html"),
]

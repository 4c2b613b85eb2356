from django.urls import path

from sinergi.pillars.views import aid, layouts, registry

app_name = "pillars"

urlpatterns = [
    path("", registry.member_list, name="member_list"),
    path("anggota/baru/", registry.member_create, name="member_create"),
    path("anggota/<int:pk>/", registry.member_detail, name="member_detail"),
    path("anggota/<int:pk>/ubah/", registry.member_edit, name="member_edit"),
    path("anggota/<int:pk>/rekening/", registry.member_account, name="member_account"),
    path("anggota/<int:pk>/status/", registry.member_status, name="member_status"),
    path("anggota/<int:pk>/pelatihan/", registry.training_add, name="training_add"),
    path("pelatihan/<int:pk>/sertifikat/", registry.training_certificate, name="certificate"),
    path("wilayah/", registry.regency_table, name="regency_table"),
    path("wilayah/<str:code>/", registry.regency_detail, name="regency_detail"),
    path("ekspor/", registry.member_export, name="member_export"),
    path("skema/", aid.scheme_list, name="scheme_list"),
    path("skema/<int:pk>/tarif/", aid.rate_add, name="rate_add"),
    path("skema/<int:pk>/anggaran/", aid.funding_set, name="funding_set"),
    path("siklus/", aid.cycle_list, name="cycle_list"),
    path("siklus/baru/", aid.cycle_create, name="cycle_create"),
    path("siklus/<int:pk>/", aid.cycle_detail, name="cycle_detail"),
    path("siklus/<int:pk>/susulan/", aid.follow_up_create, name="follow_up_create"),
    path("batch/<int:pk>/", aid.batch_detail, name="batch_detail"),
    path("batch/<int:pk>/setujui/", aid.batch_approve, name="batch_approve"),
    path("batch/<int:pk>/berkas-bank/", aid.bank_file, name="bank_file"),
    path("batch/<int:pk>/nominatif/", aid.nominative, name="nominative"),
    path("batch/<int:pk>/hasil/", aid.result_upload, name="result_upload"),
    path("hak/<int:pk>/keluarkan/", aid.entitlement_exclude, name="entitlement_exclude"),
    path("nominatif/<int:pk>/", aid.document, name="document"),
    path("tata-letak-bank/", layouts.layout_list, name="layout_list"),
    path("tata-letak-bank/baru/", layouts.layout_create, name="layout_create"),
    path("tata-letak-bank/<int:pk>/ubah/", layouts.layout_edit, name="layout_edit"),
]

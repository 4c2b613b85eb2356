import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.staff import services
from sinergi.staff.models import Employee, MonthClosure, MonthlySubmission, Skp
from sinergi.staff.models.periods import MONTH_NAMES, due_on, previous_month
from sinergi.staff.testing import make_skp

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_employee_list_authorization(people):
    assert_authorization(
        url="/pegawai/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker (no staff role)", people.social_worker, 403),
            Expect("employee (own record)", people.worker_a, 200),
            Expect("head of UPT", people.head_a, 200),
            Expect("HR", people.hr, 200),
            Expect("auditor", people.auditor, 200),
        ],
    )


def test_the_employee_list_shows_self_and_the_chain_below(people):
    def names(user):
        response = _client(user).get("/pegawai/")
        return [e.name for e in response.context["page"].items]

    assert names(people.worker_a) == ["Pegawai A"]
    assert names(people.head_a) == ["Kepala UPT A", "Pegawai A"]
    assert names(people.kabid) == [
        "Kabid Rehsos",
        "Kepala UPT A",
        "Kepala UPT B",
        "Pegawai A",
        "Pegawai B",
    ]
    assert len(names(people.hr)) == 7


def test_the_employee_search_is_posted_and_filters(people):
    client = _client(people.hr)
    response = client.post("/pegawai/", {"name": "pegawai", "status": "active"})
    assert [e.name for e in response.context["page"].items] == [
        "Pegawai A",
        "Pegawai B",
        "Petugas Kepegawaian",
    ]
    response = client.post("/pegawai/", {"nip": people.e_worker_b.nip, "status": "active"})
    assert [e.name for e in response.context["page"].items] == ["Pegawai B"]


def test_employee_detail_authorization_and_read_log(people):
    url = f"/pegawai/{people.e_worker_a.pk}/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("the supervisor", people.head_a, 200),
            Expect("the supervisor's supervisor", people.kabid, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    assert AuditEvent.objects.filter(action="staff.employee_viewed", kind="read").count() == 4


def test_employee_create_and_edit_authorization(people, units):
    def state():
        return list(Employee.objects.order_by("pk").values_list("name", "position"))

    data = {
        "name": "Baru",
        "employment_type": "non_asn",
        "unit": units.upt_a.pk,
        "active_from": "2026-01-01",
    }
    for who, user, status in [
        ("anonymous", None, 302),
        ("employee", people.worker_a, 403),
        ("head of UPT", people.head_a, 403),
        ("auditor", people.auditor, 403),
    ]:
        assert_authorization(
            url="/pegawai/baru/",
            method="post",
            data=data,
            cases=[Expect(who, user, status)],
            state=state,
        )
        assert_authorization(
            url=f"/pegawai/{people.e_worker_a.pk}/ubah/",
            method="post",
            data={**data, "position": "X"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert_authorization(
        url="/pegawai/baru/", method="post", data=data, cases=[Expect("HR", people.hr, 302)]
    )
    assert Employee.objects.filter(name="Baru").exists()


def test_the_edit_form_shows_a_supervisor_loop_with_the_chain(people, units):
    response = _client(people.hr).post(
        f"/pegawai/{people.e_kabid.pk}/ubah/",
        {
            "nip": people.e_kabid.nip,
            "name": "Kabid Rehsos",
            "employment_type": "pns",
            "unit": units.rehab_division.pk,
            "supervisor_nip": people.e_worker_a.nip,
            "active_from": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "Kabid Rehsos → Pegawai A → Kepala UPT A → Kabid Rehsos" in response.content.decode()
    people.e_kabid.refresh_from_db()
    assert people.e_kabid.supervisor_id == people.e_head.pk


def test_an_invalid_nip_is_shown_on_the_form(people, units):
    response = _client(people.hr).post(
        "/pegawai/baru/",
        {
            "nip": "123",
            "name": "Salah",
            "employment_type": "pns",
            "unit": units.upt_a.pk,
            "active_from": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "18" in response.content.decode()
    assert not Employee.objects.filter(name="Salah").exists()


def test_my_skp_authorization(people):
    assert_authorization(
        url="/pegawai/skp/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("employee", people.worker_a, 200),
            Expect("HR", people.hr, 200),
        ],
    )


def test_skp_detail_authorization(people):
    skp = make_skp(people.e_worker_a, 2026)
    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("the supervisor", people.head_a, 200),
            Expect("head of office", people.head, 200),
            Expect("auditor", people.auditor, 200),
        ],
    )


def test_skp_actions_authorization(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.SUBMITTED)

    def state():
        return list(Skp.objects.values_list("status", "version"))

    url = f"/pegawai/skp/{skp.pk}/setujui/"
    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people.social_worker, 403),
        ("the employee", people.worker_a, 403),
        ("head of another UPT", people.head_b, 404),
        ("the supervisor's supervisor", people.kabid, 403),
        ("HR", people.hr, 403),
    ]:
        assert_authorization(
            url=url, method="post", data={"version": skp.version},
            cases=[Expect(who, user, status)], state=state,
        )  # fmt: skip
    assert_authorization(
        url=url,
        method="post",
        data={"version": skp.version},
        cases=[Expect("the direct supervisor", people.head_a, 302)],
    )
    skp.refresh_from_db()
    assert skp.status == Skp.Status.APPROVED


def test_rhk_form_authorization(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.DRAFT)

    def state():
        return list(skp.rhks.values_list("title", flat=True))

    data = {"version": skp.version, "title": "Baru", "kind": "main",
            "quantity_description": "Jumlah", "quantity_target": "3"}  # fmt: skip
    for who, user, status in [
        ("anonymous", None, 302),
        ("auditor (reads only)", people.auditor, 403),
        ("another employee", people.worker_b, 404),
        ("the supervisor", people.head_a, 403),
    ]:
        assert_authorization(
            url=f"/pegawai/skp/{skp.pk}/rhk/baru/", method="post", data=data,
            cases=[Expect(who, user, status)], state=state,
        )  # fmt: skip
    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/rhk/baru/",
        method="post",
        data=data,
        cases=[Expect("the employee", people.worker_a, 302)],
    )
    assert state() == ["Hasil kerja 1", "Hasil kerja 2", "Baru"]


def test_month_page_authorization_and_reporting(people):
    skp = make_skp(people.e_worker_a, 2026)
    url = f"/pegawai/skp/{skp.pk}/bulan/1/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("the supervisor", people.head_a, 200),
        ],
    )
    rhk = skp.rhks.first()

    def state():
        return list(MonthlySubmission.objects.values_list("status", flat=True))

    assert_authorization(
        url=url,
        method="post",
        data={"rhk": rhk.pk, "realisation": "x"},
        cases=[Expect("the supervisor", people.head_a, 403), Expect("HR", people.hr, 403)],
        state=state,
    )
    assert_authorization(
        url=url,
        method="post",
        data={"rhk": rhk.pk, "realisation": "Laporan selesai"},
        cases=[Expect("the employee", people.worker_a, 302)],
    )
    assert skp.rhks.first().realisations.get().realisation == "Laporan selesai"


def test_month_submit_authorization(people):
    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    services.realisation_save(
        actor=people.worker_a, skp=skp, month=1, rhk=skp.rhks.first(), realisation="ok",
        today=dt.date(2026, 2, 1),
    )  # fmt: skip

    def state():
        return list(MonthlySubmission.objects.values_list("status", flat=True))

    url = f"/pegawai/skp/{skp.pk}/bulan/1/ajukan/"
    assert_authorization(
        url=url,
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("auditor", people.auditor, 403),
            Expect("another employee", people.worker_b, 404),
        ],
        state=state,
    )
    _client(people.head_a).post(url)  # the supervisor: refused by the service, nothing changes
    assert state() == ["draft"]
    _client(people.worker_a).post(url)
    assert state() == ["submitted"]


def test_evidence_download_authorization(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    skp = make_skp(people.e_worker_a, 2026, rhks=1)
    row = services.realisation_save(
        actor=people.worker_a, skp=skp, month=1, rhk=skp.rhks.first(), realisation="ok",
        evidence_file=SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n0000"),
        today=dt.date(2026, 2, 1),
    )  # fmt: skip
    assert_authorization(
        url=f"/pegawai/bukti/{row.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("the employee", people.worker_a, 200),
            Expect("the supervisor", people.head_a, 200),
        ],
    )
    response = _client(people.worker_a).get(f"/pegawai/bukti/{row.pk}/")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\n0000"


def test_evaluation_authorization(people):
    skp = make_skp(people.e_worker_a, 2026)
    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/penilaian/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("the employee", people.worker_a, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the supervisor's supervisor", people.kabid, 403),
            Expect("the direct supervisor", people.head_a, 200),
        ],
    )


def _reported_month(people):
    year, month = previous_month(timezone.localdate())
    for employee, user, on_time in [
        (people.e_worker_a, people.worker_a, True),
        (people.e_worker_b, people.worker_b, False),
    ]:
        skp = make_skp(employee, year, rhks=1)
        sub = MonthlySubmission.objects.create(
            employee=employee, skp=skp, year=year, month=month, due_on=dt.date(year, 12, 31),
            status="submitted", submitted_at=timezone.now(), on_time=on_time,
        )  # fmt: skip
        del sub, user
    services.compliance_refresh()  # the rows were arranged directly, not through the services
    return year, month


def test_compliance_authorization_and_figures(people, units):
    year, month = _reported_month(people)
    assert_authorization(
        url="/pegawai/kepatuhan/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee", people.worker_a, 403),
            Expect("head of UPT", people.head_a, 200),
            Expect("HR", people.hr, 200),
            Expect("auditor", people.auditor, 200),
        ],
    )
    assert_authorization(
        url=f"/pegawai/kepatuhan/?unit={units.upt_b.pk}",
        cases=[Expect("head of another UPT", people.head_a, 404)],
    )
    response = _client(people.hr).get(f"/pegawai/kepatuhan/?tahun={year}&bulan={month}")
    total = response.context["total"]
    assert (total.expected, total.on_time, total.late, total.missing) == (7, 1, 1, 5)
    rows = {r.label: (r.expected, r.on_time, r.late, r.missing) for r in response.context["rows"]}
    assert rows["UPT RSBD Pasuruan"] == (2, 1, 0, 1)
    assert rows["UPT PSTW Magetan"] == (2, 0, 1, 1)
    own = _client(people.head_a).get(f"/pegawai/kepatuhan/?tahun={year}&bulan={month}")
    assert [r.label for r in own.context["rows"]] == ["UPT RSBD Pasuruan"]


def test_late_list_authorization_and_content(people):
    year, month = _reported_month(people)
    url = f"/pegawai/kepatuhan/terlambat/?tahun={year}&bulan={month}"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee", people.worker_a, 403),
            Expect("head of UPT", people.head_a, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    response = _client(people.hr).get(url + "&jenis=late")
    assert [e.name for e in response.context["page"].items] == ["Pegawai B"]
    response = _client(people.hr).get(url)
    assert len(response.context["page"].items) == 6
    response = _client(people.head_a).get(url)
    assert [e.name for e in response.context["page"].items] == ["Kepala UPT A"]


def test_late_list_exports(people):
    year, month = _reported_month(people)
    query = f"?tahun={year}&bulan={month}"
    assert_authorization(
        url=f"/pegawai/kepatuhan/terlambat.xlsx{query}",
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee", people.worker_a, 403),
            Expect("HR", people.hr, 200),
        ],
    )
    response = _client(people.hr).get(f"/pegawai/kepatuhan/terlambat.xlsx{query}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "NIP", "Nama", "Jabatan", "Unit", "Atasan langsung", "Status", "Dikirim pada",
        "Bulan", "Batas waktu",
    )  # fmt: skip
    late = next(r for r in rows[1:] if r[1] == "Pegawai B")
    assert (late[0], late[5]) == (people.e_worker_b.nip, "Terlambat")
    with translation.override("id"):
        assert late[7] == f"{MONTH_NAMES[month - 1]} {year}"
    assert late[8].date() == due_on(year, month)
    assert {r[5] for r in rows[1:] if r[1] != "Pegawai B"} == {"Belum melapor"}
    pdf = _client(people.hr).get(f"/pegawai/kepatuhan/terlambat.pdf{query}")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    exported = AuditEvent.objects.filter(action="staff.late_list_exported").order_by("id")
    assert [(e.extra["format"], e.extra["rows"]) for e in exported] == [
        ("xlsx", 6),  # the authorization check's download
        ("xlsx", 6),
        ("pdf", 6),
    ]


def test_month_close_authorization(people):
    year, month = 2025, 1

    def state():
        return list(MonthClosure.objects.values_list("year", "month"))

    assert_authorization(
        url="/pegawai/kepatuhan/tutup/",
        method="post",
        data={"year": year, "month": month},
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people.head, 403),
            Expect("auditor", people.auditor, 403),
        ],
        state=state,
    )
    _client(people.hr).post("/pegawai/kepatuhan/tutup/", {"year": year, "month": month})
    assert state() == [(2025, 1)]


def test_pages_have_no_inline_script_or_style(people):
    skp = make_skp(people.e_worker_a, 2026)
    client = _client(people.worker_a)
    for url in [
        "/pegawai/",
        "/pegawai/skp/",
        f"/pegawai/skp/{skp.pk}/",
        f"/pegawai/skp/{skp.pk}/bulan/1/",
    ]:
        content = client.get(url).content.decode()
        assert 'style="' not in content, url
        assert "<script>" not in content, url

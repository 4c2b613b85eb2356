"""The authorization matrix of the staff pages not covered in test_views.py: anonymous, a role
without the permission, someone outside the chain (another unit), and the one who may; every denied
call leaves the data as it was."""

import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.staff.models import Evaluation, MonthClosure, Rhk, RhkIndicator, Skp
from sinergi.staff.testing import make_skp

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _skps():
    return list(Skp.objects.order_by("pk").values_list("employee_id", "year", "status", "version"))


def test_employee_export_authorization_and_scope(people):
    assert_authorization(
        url="/pegawai/ekspor.xlsx",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker (no staff role)", people.social_worker, 403),
            Expect("employee (own record)", people.worker_a, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    exported = AuditEvent.objects.filter(kind="read").order_by("pk")
    # an employee's file holds their own record only; HR's everyone's
    assert [e.extra.get("rows") for e in exported if "rows" in e.extra][-2:] == [1, 7]


def test_drafting_an_skp_authorization(people, make_user, units):
    data = {"year": 2026}
    assert_authorization(
        url="/pegawai/skp/baru/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people.social_worker, 403),
            Expect("auditor (reads only)", people.auditor, 403),
        ],
        state=_skps,
    )
    unlinked = make_user("employee", units.upt_a)  # no employee record
    response = _client(unlinked).post("/pegawai/skp/baru/", data, follow=True)
    assert "Akun Anda belum terhubung dengan data pegawai" in response.content.decode()
    assert _skps() == []
    response = _client(people.worker_a).post("/pegawai/skp/baru/", data)
    skp = Skp.objects.get()
    assert response["Location"] == f"/pegawai/skp/{skp.pk}/"
    assert (skp.employee, skp.year, skp.status) == (people.e_worker_a, 2026, Skp.Status.DRAFT)


def test_editing_and_removing_an_rhk_authorization(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.DRAFT)
    rhk = skp.rhks.get(number=1)

    def state():
        return list(
            RhkIndicator.objects.order_by("rhk__number").values_list(
                "rhk__number", "rhk__title", "target"
            )
        )

    edit = f"/pegawai/skp/{skp.pk}/rhk/{rhk.pk}/"
    assert_authorization(
        url=edit,
        cases=[
            Expect("anonymous", None, 302),
            Expect("auditor", people.auditor, 403),
            Expect("another employee", people.worker_b, 404),
            Expect("the supervisor", people.head_a, 403),
            Expect("the employee", people.worker_a, 200),
        ],
    )
    data = {"version": skp.version, "title": "Diubah", "kind": "main",
            "quantity_description": "Jumlah", "quantity_target": "9"}  # fmt: skip
    remove = f"/pegawai/skp/{skp.pk}/rhk/{rhk.pk}/hapus/"
    for url, payload in [(edit, data), (remove, {"version": skp.version})]:
        assert_authorization(
            url=url,
            method="post",
            data=payload,
            cases=[
                Expect("anonymous", None, 302),
                Expect("auditor", people.auditor, 403),
                Expect("another employee", people.worker_b, 404),
                Expect("head of another UPT", people.head_b, 404),
                Expect("the supervisor", people.head_a, 403),
            ],
            state=state,
        )
    _client(people.worker_a).post(edit, data)
    assert state()[0] == (1, "Diubah", "9")
    skp.refresh_from_db()
    _client(people.worker_a).post(remove, {"version": skp.version})
    assert list(skp.rhks.values_list("number", flat=True)) == [2]
    other = make_skp(people.e_worker_b, 2026, status=Skp.Status.DRAFT).rhks.first()
    # an RHK of another SKP under this SKP's address is not found
    assert _client(people.worker_a).get(f"/pegawai/skp/{skp.pk}/rhk/{other.pk}/").status_code == 404


def test_submitting_and_revising_an_skp_belongs_to_its_employee(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.DRAFT)
    for action in ["ajukan", "revisi"]:
        assert_authorization(
            url=f"/pegawai/skp/{skp.pk}/{action}/",
            method="post",
            data={"version": skp.version},
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people.social_worker, 403),
                Expect("another employee", people.worker_b, 404),
                Expect("the supervisor", people.head_a, 403),
                Expect("HR", people.hr, 403),
            ],
            state=_skps,
        )
    _client(people.worker_a).post(f"/pegawai/skp/{skp.pk}/ajukan/", {"version": skp.version})
    skp.refresh_from_db()
    assert skp.status == Skp.Status.SUBMITTED
    assert _client(people.worker_a).post(f"/pegawai/skp/{skp.pk}/hapus-semua/").status_code == 404


def test_returning_an_skp_belongs_to_the_direct_supervisor(people):
    skp = make_skp(people.e_worker_a, 2026, status=Skp.Status.SUBMITTED)
    data = {"version": skp.version, "note": "Target kuantitas terlalu rendah"}
    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/kembalikan/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("the employee", people.worker_a, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the supervisor's supervisor", people.kabid, 403),
            Expect("HR", people.hr, 403),
        ],
        state=_skps,
    )
    _client(people.head_a).post(f"/pegawai/skp/{skp.pk}/kembalikan/", data)
    skp.refresh_from_db()
    assert (skp.status, skp.return_note) == (Skp.Status.RETURNED, data["note"])


def test_saving_an_evaluation_authorization(people):
    skp = make_skp(people.e_worker_a, 2026)
    data = {"month_from": 1, "month_to": 6, "results_rating": "above",
            "behaviour_rating": "above", "feedback": "Konsisten"}  # fmt: skip

    def state():
        return list(Evaluation.objects.values_list("predikat__code", flat=True))

    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/penilaian/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("the employee", people.worker_a, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("the supervisor's supervisor", people.kabid, 403),
            Expect("HR", people.hr, 403),
            Expect("the direct supervisor", people.head_a, 302),
        ],
        state=state,
    )
    assert state() == ["sangat_baik"]


def test_an_evaluation_with_months_in_the_wrong_order_is_refused_on_the_form(people):
    skp = make_skp(people.e_worker_a, 2026)
    response = _client(people.head_a).post(
        f"/pegawai/skp/{skp.pk}/penilaian/",
        {"month_from": 9, "month_to": 3, "results_rating": "meets", "behaviour_rating": "meets"},
    )
    assert response.status_code == 200
    assert "bulan awal tidak boleh setelah bulan akhir" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_late_list_and_its_pdf_of_another_unit_are_not_found(people, units):
    query = f"?tahun=2026&bulan=1&unit={units.upt_b.pk}"
    for url in [
        f"/pegawai/kepatuhan/terlambat/{query}",
        f"/pegawai/kepatuhan/terlambat.xlsx{query}",
        f"/pegawai/kepatuhan/terlambat.pdf{query}",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("employee", people.worker_a, 403),
                Expect("head of another UPT", people.head_a, 404),
                Expect("head of the UPT", people.head_b, 200),
            ],
        )


def test_reopening_a_month_belongs_to_hr(people):
    MonthClosure.objects.create(year=2025, month=1)
    data = {"year": 2025, "month": 1, "action": "buka"}

    def state():
        return list(MonthClosure.objects.values_list("year", "month"))

    assert_authorization(
        url="/pegawai/kepatuhan/tutup/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("employee", people.worker_a, 403),
            Expect("head of office", people.head, 403),
            Expect("auditor", people.auditor, 403),
        ],
        state=state,
    )
    _client(people.hr).post("/pegawai/kepatuhan/tutup/", data)
    assert state() == []
    assert AuditEvent.objects.filter(action="staff.month_reopened").count() == 1


def test_the_month_page_of_another_units_employee_is_not_found(people):
    skp = make_skp(people.e_worker_a, 2026)
    assert_authorization(
        url=f"/pegawai/skp/{skp.pk}/bulan/1/",
        cases=[
            Expect("head of another UPT", people.head_b, 404),
            Expect("the supervisor's supervisor", people.kabid, 200),
            Expect("HR", people.hr, 200),
        ],
    )
    assert _client(people.worker_a).get(f"/pegawai/skp/{skp.pk}/bulan/13/").status_code == 404


def test_a_non_asn_employee_is_told_the_skp_is_not_for_them(people, make_user, units):
    from sinergi.staff.testing import make_employee

    user = make_user("employee", units.upt_a)
    make_employee(units.upt_a, user=user, employment_type="non_asn", name="Tenaga Kontrak")
    response = _client(user).post("/pegawai/skp/baru/", {"year": 2026}, follow=True)
    assert "pegawai non-ASN tidak menyusun SKP" in response.content.decode()
    assert _skps() == []


def test_an_rhk_cannot_be_added_once_the_skp_is_approved(people):
    skp = make_skp(people.e_worker_a, 2026)  # approved
    response = _client(people.worker_a).post(
        f"/pegawai/skp/{skp.pk}/rhk/baru/",
        {"version": skp.version, "title": "Baru", "kind": "main",
         "quantity_description": "Jumlah", "quantity_target": "3"},
    )  # fmt: skip
    assert response.status_code == 403
    assert Rhk.objects.filter(skp=skp).count() == 2

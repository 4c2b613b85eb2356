"""The authorization matrix of every page: anonymous, wrong role, right role of another unit, right
role of its own unit; every denied write also changes nothing."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.pillars import services
from sinergi.pillars.models import (
    AidRate,
    BankFileLayout,
    Batch,
    Cycle,
    Entitlement,
    Member,
    NominativeDocument,
    SchemeFunding,
    Training,
)
from sinergi.pillars.testing import approve_and_send, bank, result_for

pytestmark = pytest.mark.django_db


def _readers(people, *, scoped=True):
    cases = [
        Expect("anonymous", None, 302),
        Expect("social worker", people["worker"], 403),
        Expect("pillar officer", people["officer"], 200),
        Expect("finance", people["finance"], 200),
        Expect("head of office", people["head"], 200),
        Expect("auditor", people["auditor"], 200),
    ]
    if scoped:
        cases.insert(2, Expect("pillar officer of another unit", people["upt_officer"], 404))
    return cases


def test_registry_read_pages(world, people):
    member = world["tksk"]
    assert_authorization(url="/pilar/", cases=_readers(people, scoped=False))
    assert_authorization(url=f"/pilar/anggota/{member.pk}/", cases=_readers(people))
    assert_authorization(url="/pilar/wilayah/", cases=_readers(people, scoped=False))
    assert_authorization(url="/pilar/wilayah/35.78/", cases=_readers(people, scoped=False))
    assert_authorization(url="/pilar/wilayah/35.99/", cases=[Expect("any", people["head"], 404)])
    assert_authorization(url="/pilar/ekspor/?format=csv", cases=_readers(people, scoped=False))


def test_an_export_holds_only_the_members_of_the_viewers_scope(world, people):
    from django.test import Client

    client = Client()
    client.force_login(people["upt_officer"])
    text = client.get("/pilar/ekspor/?format=csv").content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1  # the header line only
    client.force_login(people["officer"])
    text = client.get("/pilar/ekspor/?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = sorted(row[rows[0].index("Nama")] for row in rows[1:])
    assert names == ["Anggota 0", "Anggota 1", "Anggota 2", "Siti TKSK"]


def _writers(people, ok_status, *, scoped=True):
    cases = [
        Expect("anonymous", None, 302),
        Expect("head of office (reads only)", people["head"], 403),
        Expect("auditor", people["auditor"], 403),
        Expect("finance", people["finance"], 403),
    ]
    if scoped:
        cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
    cases.append(Expect("pillar officer", people["officer"], ok_status))
    return cases


def _members_state():
    return list(
        Member.objects.order_by("id").values_list(
            "name", "status", "account_number", "account_holder", "account_ready"
        )
    )


def test_registry_forms_open_only_for_the_pillar_officer_of_the_unit(world, people):
    member = world["tksk"]
    assert_authorization(url="/pilar/anggota/baru/", cases=_writers(people, 200, scoped=False))
    for url in ["ubah", "rekening", "pelatihan"]:
        assert_authorization(url=f"/pilar/anggota/{member.pk}/{url}/", cases=_writers(people, 200))


def test_denied_registry_writes_change_nothing(world, people):
    member = world["members"][0]
    writes = {
        f"/pilar/anggota/{member.pk}/ubah/": {
            "pillar_type": member.pillar_type_id, "role": "member", "nik": member.nik,
            "name": "Nama Baru", "sex": member.sex, "born_on": member.born_on.isoformat(),
            "area_1": "35", "area_2": "35.78", "area_3": "35.78.01",
         "active_from": "2024-01-01",
        },
        f"/pilar/anggota/{member.pk}/rekening/": {
            "bank": bank().pk, "account_number": "5555555555", "account_holder": member.name,
        },
        f"/pilar/anggota/{member.pk}/status/": {"status": "suspended", "reason": "Cuti"},
    }  # fmt: skip
    for url, data in writes.items():
        cases = [c for c in _writers(people, 302) if c.who != "pillar officer"]
        assert_authorization(url=url, method="post", data=data, cases=cases, state=_members_state)
    assert_authorization(
        url=f"/pilar/anggota/{member.pk}/pelatihan/",
        method="post",
        data={"course": "Diklat", "organiser": "BPSDM", "held_on": "2025-01-02"},
        cases=[c for c in _writers(people, 302) if c.who != "pillar officer"],
        state=lambda: Training.objects.count(),
    )
    assert Training.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="pillars.member_updated").exists()


def test_rates_and_funding_belong_to_the_pillar_officer(world, people):
    scheme = world["scheme"].scheme
    cases = [
        Expect("anonymous", None, 302),
        Expect("finance", people["finance"], 403),
        Expect("head of office", people["head"], 403),
        Expect("pillar officer", people["officer"], 200),
    ]
    assert_authorization(url=f"/pilar/skema/{scheme.pk}/tarif/", cases=cases)
    assert_authorization(url=f"/pilar/skema/{scheme.pk}/anggaran/", cases=cases)
    assert_authorization(url="/pilar/skema/", cases=_readers(people, scoped=False))
    rate = {"pillar_type": world["tksk"].pillar_type_id, "amount": "1", "source": "uji",
            "effective_from": "2026-01-01"}  # fmt: skip
    assert_authorization(
        url=f"/pilar/skema/{scheme.pk}/tarif/",
        method="post",
        data=rate,
        cases=cases[:3],
        state=lambda: AidRate.objects.count(),
    )
    assert_authorization(
        url=f"/pilar/skema/{scheme.pk}/anggaran/",
        method="post",
        data={"year": "2025", "budget_line": "1"},
        cases=cases[:3],
        state=lambda: SchemeFunding.objects.count(),
    )
    assert AidRate.objects.count() == 2


def test_cycle_pages(world, people):
    cycle, batch = world["cycle"], world["batch"]
    assert_authorization(url="/pilar/siklus/", cases=_readers(people, scoped=False))
    assert_authorization(url=f"/pilar/siklus/{cycle.pk}/", cases=_readers(people))
    assert_authorization(url=f"/pilar/batch/{batch.pk}/", cases=_readers(people))
    assert_authorization(url="/pilar/siklus/baru/", cases=_writers(people, 200, scoped=False))
    assert_authorization(
        url="/pilar/siklus/baru/",
        method="post",
        data={"scheme": world["scheme"].scheme.pk, "year": dt.date.today().year, "quarter": 2},
        cases=[c for c in _writers(people, 302, scoped=False) if c.who != "pillar officer"],
        state=lambda: Cycle.objects.count(),
    )


def _batch_state():
    return list(Batch.objects.order_by("id").values_list("status", "approved_by", "number"))


def _entitlement_state():
    return list(Entitlement.objects.order_by("id").values_list("batch_id", "status", "attempt"))


def test_approval_and_exclusion_matrix(world, people):
    batch = world["batch"]
    entitlement = batch.entitlements.order_by("id").first()
    assert_authorization(
        url=f"/pilar/hak/{entitlement.pk}/keluarkan/",
        method="post",
        data={"reason": "Meninggal"},
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance", people["finance"], 403),
            Expect("auditor", people["auditor"], 403),
            Expect("pillar officer of another unit", people["upt_officer"], 404),
        ],
        state=_entitlement_state,
    )
    assert_authorization(
        url=f"/pilar/batch/{batch.pk}/setujui/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("pillar officer (the maker)", people["officer"], 403),
            Expect("head of office", people["head"], 403),
            Expect("auditor", people["auditor"], 403),
            Expect("finance", people["finance"], 302),
        ],
        state=_batch_state,
    )
    assert Batch.objects.get().status == "approved"


def test_bank_file_nominative_and_result_matrix(world, people):
    batch = world["batch"]
    services.batch_approve(actor=people["finance"], batch=batch)
    for url in [f"/pilar/batch/{batch.pk}/berkas-bank/", f"/pilar/batch/{batch.pk}/nominatif/"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people["worker"], 403),
                Expect("pillar officer of another unit", people["upt_officer"], 404),
            ],
            state=_batch_state,
        )
    assert_authorization(
        url=f"/pilar/batch/{batch.pk}/berkas-bank/",
        cases=[Expect("head of office (reads, never pays)", people["head"], 403)],
        state=_batch_state,
    )
    assert_authorization(
        url=f"/pilar/batch/{batch.pk}/nominatif/",
        cases=[Expect("head of office", people["head"], 200)],
    )
    _name, lines = services.bank_file_export(
        actor=people["finance"], batch=batch, layout=BankFileLayout.objects.get(is_default=True)
    )
    "".join(lines)
    content = result_for(batch)

    def post_data():
        return {"file": SimpleUploadedFile("hasil.csv", content), "paid_on": "2025-01-20"}

    for case in [
        Expect("anonymous", None, 302),
        Expect("pillar officer", people["officer"], 403),
        Expect("head of office", people["head"], 403),
        Expect("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url=f"/pilar/batch/{batch.pk}/hasil/",
            method="post",
            data=post_data(),
            cases=[case],
            state=_entitlement_state,
        )
    assert_authorization(
        url=f"/pilar/batch/{batch.pk}/hasil/",
        method="post",
        data=post_data(),
        cases=[Expect("finance", people["finance"], 302)],
    )
    assert set(batch.entitlements.values_list("status", flat=True)) == {"paid"}


def test_follow_up_matrix(world, people):
    batch = world["batch"]
    approve_and_send(batch, people["finance"])
    failed = world["members"][0]
    services.result_apply(
        actor=people["finance"], batch=batch, content=result_for(batch, {failed.pk: "Tutup"}),
        filename="h.csv", paid_on=dt.date(2025, 1, 20),
    )  # fmt: skip
    assert_authorization(
        url=f"/pilar/siklus/{world['cycle'].pk}/susulan/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance", people["finance"], 403),
            Expect("head of office", people["head"], 403),
            Expect("pillar officer of another unit", people["upt_officer"], 404),
            Expect("pillar officer", people["officer"], 302),
        ],
        state=_batch_state,
    )
    assert Batch.objects.filter(number=2).count() == 1


def test_a_background_daftar_nominatif_opens_only_for_its_requester(world, people, settings):
    settings.SINERGI = {**settings.SINERGI, "PILLARS_NOMINATIVE_SYNC_MAX_ROWS": 1}
    document = services.nominative_request(actor=people["finance"], batch=world["batch"])
    url = f"/pilar/nominatif/{document.pk}/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of office (not the requester)", people["head"], 404),
            Expect("pillar officer (not the requester)", people["officer"], 404),
            Expect("finance (the requester)", people["finance"], 200),
        ],
    )
    assert NominativeDocument.objects.count() == 1


def test_layout_pages(world, people):
    layout = BankFileLayout.objects.get(is_default=True)
    assert_authorization(url="/pilar/tata-letak-bank/", cases=_readers(people, scoped=False))
    finance_only = [
        Expect("anonymous", None, 302),
        Expect("pillar officer", people["officer"], 403),
        Expect("head of office", people["head"], 403),
        Expect("auditor", people["auditor"], 403),
        Expect("finance", people["finance"], 200),
    ]
    assert_authorization(url="/pilar/tata-letak-bank/baru/", cases=finance_only)
    assert_authorization(url=f"/pilar/tata-letak-bank/{layout.pk}/ubah/", cases=finance_only)

    def state():
        return list(BankFileLayout.objects.order_by("id").values_list("code", "name", "columns"))

    data = {"code": "uji", "name": "Uji", "bank": layout.bank_id, "separator": ";",
            "columns": "REF = reference\nREK = account_number\nNOM = amount",
            "amount_format": "integer", "description_template": "{scheme}"}  # fmt: skip
    for url in ["/pilar/tata-letak-bank/baru/", f"/pilar/tata-letak-bank/{layout.pk}/ubah/"]:
        assert_authorization(url=url, method="post", data=data, cases=finance_only[:4], state=state)
    assert BankFileLayout.objects.count() == 1


def test_a_member_search_keeps_the_name_out_of_the_address(world, people):
    from django.test import Client

    client = Client()
    client.force_login(people["officer"])
    response = client.post("/pilar/", {"q": "Siti"})
    assert response.status_code == 302
    assert "Siti" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Siti TKSK" in page
    assert "Anggota 1" not in page


def test_page_links_name_a_member_by_id_only(world, people, units):
    from django.test import Client

    from sinergi.pillars.selectors import MemberFilters, member_page

    page = member_page(viewer=people["officer"], filters=MemberFilters(), cursor=None, size=2)
    assert [m.name for m in page.items] == ["Anggota 0", "Anggota 1"]
    assert page.next_cursor == str(page.items[-1].pk)
    client = Client()
    client.force_login(people["officer"])
    html = client.get(f"/pilar/?cursor={page.next_cursor}").content.decode()
    assert "Anggota 2" in html
    assert "Anggota 0" not in html
    assert client.get("/pilar/?cursor=abc").status_code == 302  # out of date: back to page one

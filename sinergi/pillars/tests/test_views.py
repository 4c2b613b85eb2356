import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.pillars import services
from sinergi.pillars.models import Batch, BatchStatus, Cycle, Member
from sinergi.pillars.testing import make_member, make_scheme, result_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, units, officer, finance):
    return {
        "worker": make_user("social_worker", units.upt_a),
        "officer": officer,
        "upt_officer": make_user("pillar_officer", units.upt_b),
        "finance": finance,
        "head": make_user("head_of_office", units.office),
        "auditor": make_user("auditor", units.office),
    }


@pytest.fixture
def world(regions, units, officer, finance):
    unit = units.empowerment_division
    members = [make_member(unit=unit, name=f"Anggota {i}") for i in range(3)]
    tksk = make_member(unit=unit, type_code="tksk", name="Siti TKSK", sex="P")
    scheme = make_scheme()
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    return {"members": members, "tksk": tksk, "scheme": scheme, "cycle": cycle,
            "batch": cycle.batches.get()}  # fmt: skip


def test_member_pages_authorization(world, people):
    member = world["tksk"]
    for url in [
        "/pilar/",
        f"/pilar/anggota/{member.pk}/",
        "/pilar/wilayah/",
        "/pilar/wilayah/35.78/",
    ]:
        cases = [
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("pillar officer", people["officer"], 200),
            Expect("head of office", people["head"], 200),
            Expect("auditor", people["auditor"], 200),
        ]
        if "anggota" in url:
            cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
        assert_authorization(url=url, cases=cases)


def test_change_pages_authorization(world, people):
    member = world["tksk"]
    for url in [
        "/pilar/anggota/baru/",
        f"/pilar/anggota/{member.pk}/ubah/",
        f"/pilar/anggota/{member.pk}/rekening/",
        f"/pilar/anggota/{member.pk}/pelatihan/",
    ]:
        cases = [
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people["head"], 403),
            Expect("finance", people["finance"], 403),
            Expect("pillar officer", people["officer"], 200),
        ]
        if "baru" not in url:
            cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
        assert_authorization(url=url, cases=cases)


def test_status_change_authorization_changes_nothing_when_denied(world, people):
    member = world["tksk"]

    def state():
        return Member.objects.get(pk=member.pk).status

    for who, user, status in [
        ("anonymous", None, 302),
        ("auditor", people["auditor"], 403),
        ("officer of another unit", people["upt_officer"], 404),
        ("pillar officer", people["officer"], 302),
    ]:
        assert_authorization(
            url=f"/pilar/anggota/{member.pk}/status/",
            method="post",
            data={"status": "suspended", "reason": "Cuti"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == "suspended"


def test_aid_pages_authorization(world, people):
    batch, cycle = world["batch"], world["cycle"]
    for url in [
        "/pilar/skema/",
        "/pilar/siklus/",
        f"/pilar/siklus/{cycle.pk}/",
        f"/pilar/batch/{batch.pk}/",
    ]:
        cases = [
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("pillar officer", people["officer"], 200),
            Expect("finance", people["finance"], 200),
            Expect("auditor", people["auditor"], 200),
        ]
        if "batch" in url or ("siklus/" in url and url != "/pilar/siklus/"):
            cases.append(Expect("pillar officer of another unit", people["upt_officer"], 404))
        assert_authorization(url=url, cases=cases)
    assert_authorization(
        url="/pilar/siklus/baru/",
        cases=[
            Expect("finance", people["finance"], 403),
            Expect("auditor", people["auditor"], 403),
            Expect("pillar officer", people["officer"], 200),
        ],
    )


def test_approval_authorization_and_maker_checker(world, people):
    batch = world["batch"]

    def state():
        return Batch.objects.get(pk=batch.pk).status

    for who, user, status in [
        ("anonymous", None, 302),
        ("pillar officer (the maker)", people["officer"], 403),
        ("auditor", people["auditor"], 403),
        ("finance", people["finance"], 302),
    ]:
        assert_authorization(
            url=f"/pilar/batch/{batch.pk}/setujui/",
            method="post",
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == BatchStatus.APPROVED


def test_the_whole_flow_through_the_pages(world, people):
    batch = world["batch"]
    finance = Client()
    finance.force_login(people["finance"])
    finance.post(f"/pilar/batch/{batch.pk}/setujui/")
    response = finance.get(f"/pilar/batch/{batch.pk}/berkas-bank/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.count("\r\n") == 5  # header + 4 transfers
    pdf = finance.get(f"/pilar/batch/{batch.pk}/nominatif/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    rows = [
        (e.reference, "berhasil" if i else "gagal", e.amount, "" if i else "Rekening ditutup")
        for i, e in enumerate(batch.entitlements.order_by("id"))
    ]
    upload = result_csv(rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = finance.post(
        f"/pilar/batch/{batch.pk}/hasil/",
        {"file": SimpleUploadedFile("hasil.csv", upload), "paid_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(batch.entitlements.values_list("status", flat=True)) == {"paid", "failed"}
    assert AuditEvent.objects.filter(action="pillars.nominative_printed").count() == 1


def test_a_bad_result_file_shows_every_row_problem_in_indonesian(world, people):
    batch = world["batch"]
    services.batch_approve(actor=people["finance"], batch=batch)
    client = Client()
    client.force_login(people["finance"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/pilar/batch/{batch.pk}/hasil/",
        {
            "file": SimpleUploadedFile(
                "hasil.csv", result_csv([("P00000000001", "berhasil", 1, "")])
            ),
            "paid_on": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "bukan transfer dari batch ini" in content
    assert set(batch.entitlements.values_list("status", flat=True)) == {"pending"}


def test_a_name_search_never_reaches_the_address(world, people):
    client = Client()
    client.force_login(people["officer"])
    response = client.post("/pilar/", {"q": "Siti"})
    assert response.status_code == 302
    assert "Siti" not in response["Location"]
    page = client.get(response["Location"])
    assert "Siti TKSK" in page.content.decode()
    assert "Anggota 1" not in page.content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/pilar/", 10),
        ("/pilar/anggota/{member}/", 11),
        ("/pilar/wilayah/", 12),
        ("/pilar/siklus/", 8),
        ("/pilar/siklus/{cycle}/", 11),
        ("/pilar/batch/{batch}/", 13),
    ],
)
def test_query_counts_do_not_grow_with_rows(world, people, units, url, pinned):
    client = Client()
    client.force_login(people["officer"])
    client.get("/pilar/")  # warm up: the first request writes the session
    target = url.format(member=world["tksk"].pk, cycle=world["cycle"].pk, batch=world["batch"].pk)
    first = _count(client, target)
    for i in range(5):
        make_member(unit=units.empowerment_division, name=f"Tambahan {i}", district="35.07.01")
    assert _count(client, target) == first == pinned
    assert Cycle.objects.count() == 1

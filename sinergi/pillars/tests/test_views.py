"""The pages: what they show, the whole quarter through the pages, and pinned query counts that
do not grow with the rows."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.audit.models import AuditEvent
from sinergi.pillars import services
from sinergi.pillars.models import BankFileLayout, Cycle, Member
from sinergi.pillars.testing import (
    approve_and_send,
    bank,
    make_member,
    result_csv,
    result_for,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_whole_flow_through_the_pages(world, people):
    batch = world["batch"]
    finance = _client(people["finance"])
    finance.post(f"/pilar/batch/{batch.pk}/setujui/")
    response = finance.get(f"/pilar/batch/{batch.pk}/berkas-bank/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.count("\r\n") == 5  # header + 4 transfers
    pdf = finance.get(f"/pilar/batch/{batch.pk}/nominatif/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    rows = [
        (e.reference, "berhasil" if i else "gagal", e.amount, "" if i else "Rekening ditutup")
        for i, e in enumerate(batch.entitlements.order_by("id"))
    ]
    response = finance.post(
        f"/pilar/batch/{batch.pk}/hasil/",
        {"file": SimpleUploadedFile("hasil.csv", result_csv(rows)), "paid_on": "2025-01-20"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(batch.entitlements.values_list("status", flat=True)) == [
        "failed",
        "paid",
        "paid",
        "paid",
    ]
    assert AuditEvent.objects.filter(action="pillars.nominative_printed").count() == 1
    page = finance.get(f"/pilar/batch/{batch.pk}/").content.decode()
    assert 'data-testid="count-paid">Dibayar: 3<' in page
    assert 'data-testid="count-failed">Gagal: 1<' in page


def test_a_bad_result_file_shows_every_row_problem_in_indonesian(world, people):
    batch = world["batch"]
    approve_and_send(batch, people["finance"])
    response = _client(people["finance"]).post(
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
    assert "Tidak ada yang diubah" in content
    assert set(batch.entitlements.values_list("status", flat=True)) == {"pending"}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_daftar_nominatif_lists_people_per_regency_with_totals_and_signature_blocks(
    world, people, tmp_path
):
    cycle = world["cycle"]
    Cycle.objects.filter(pk=cycle.pk).update(
        pptk_name="Dra. Endang Lestari", treasurer_name="Sri Wahyuni", kpa_name="Drs. Bambang"
    )
    pdf = _client(people["finance"]).get(f"/pilar/batch/{world['batch'].pk}/nominatif/")
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    for expected in [
        "35.78 KOTA SURABAYA",
        "Anggota 0",
        "Siti TKSK",
        "KARANG PILANG",
        "Rp 3.750.000",  # 3 x 750.000 + 1.500.000
        "4 orang",
        "PPTK",
        "Dra. Endang Lestari",
        "Bendahara pengeluaran",
        "Sri Wahyuni",
        "KPA",
        "Drs. Bambang",
    ]:
        assert expected in text, expected


def test_the_table_per_regency_counts_members_and_kecamatan_without_a_tksk(world, people):
    page = _client(people["head"]).get("/pilar/wilayah/").content.decode()
    row = page.split('data-testid="regency-35.78"')[1].split("</tr>")[0]
    counts = [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', row)]
    assert counts == [1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]  # TKSK, Tagana, ..., total
    assert ">1 / 2</a>" in row  # Jambangan has no TKSK, Karang Pilang has one
    malang = page.split('data-testid="regency-35.07"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">(\d+)</td>', malang)[-1] == "0"
    detail = _client(people["head"]).get("/pilar/wilayah/35.78/").content.decode()
    assert "JAMBANGAN" in detail
    assert "KARANG PILANG" not in detail


def test_a_rename_that_no_longer_matches_the_holder_asks_for_a_new_confirmation(world, people):
    member = world["members"][0]
    client = _client(people["officer"])
    response = client.post(
        f"/pilar/anggota/{member.pk}/ubah/",
        {"pillar_type": member.pillar_type_id, "role": "member", "nik": member.nik,
         "name": "Anggota Nol Baru", "sex": member.sex, "born_on": member.born_on.isoformat(),
         "area_1": "35", "area_2": "35.78", "area_3": "35.78.01",
         "active_from": "2024-01-01"},
        follow=True,
    )  # fmt: skip
    assert "tidak cocok lagi dengan pemilik rekening" in response.content.decode()
    member.refresh_from_db()
    assert (member.name, member.account_ready) == ("Anggota Nol Baru", False)
    client.post(
        f"/pilar/anggota/{member.pk}/rekening/",
        {"bank": bank().pk, "account_number": member.account_number,
         "account_holder": member.account_holder, "confirm_holder": "on"},
    )  # fmt: skip
    member.refresh_from_db()
    assert (member.account_ready, member.holder_confirmed_by) == (True, people["officer"])


def test_a_layout_is_added_and_chosen_for_the_bank_file(world, people):
    finance = _client(people["finance"])
    response = finance.post(
        "/pilar/tata-letak-bank/baru/",
        {"code": "bri-cms", "name": "BRI CMS", "bank": bank("002").pk, "separator": ";",
         "columns": 'REKENING = account_number\nNAMA = account_holder\nJUMLAH = amount\n'
                    'REF = reference\nCABANG = "0001"',
         "has_header": "on", "amount_format": "decimal_comma",
         "description_template": "PILAR {year}"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    layout = BankFileLayout.objects.get(code="bri-cms")
    assert layout.columns[-1] == {"header": "CABANG", "value": "0001"}
    assert AuditEvent.objects.filter(action="pillars.layout_saved").count() == 1
    listed = finance.get("/pilar/tata-letak-bank/").content.decode()
    assert 'data-testid="layout-bri-cms"' in listed
    assert "Bank Rakyat Indonesia" in listed
    batch = world["batch"]
    services.batch_approve(actor=people["finance"], batch=batch)
    assert 'name="layout"' in finance.get(f"/pilar/batch/{batch.pk}/").content.decode()
    text = b"".join(
        finance.get(f"/pilar/batch/{batch.pk}/berkas-bank/?layout={layout.pk}").streaming_content
    ).decode()
    lines = text.splitlines()
    assert lines[0] == "REKENING;NAMA;JUMLAH;REF;CABANG"
    first = batch.entitlements.order_by("id").first()
    assert lines[1] == (
        f"{first.account_number};{first.account_holder};750000,00;{first.reference};0001"
    )


def test_a_layout_without_the_reference_column_is_refused_with_the_reason(world, people):
    response = _client(people["finance"]).post(
        "/pilar/tata-letak-bank/baru/",
        {"code": "x", "name": "X", "bank": bank().pk, "separator": ",",
         "columns": "REKENING = account_number\nJUMLAH = amount",
         "amount_format": "integer", "description_template": "{scheme}"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "reference" in response.content.decode()
    assert "REK" not in "".join(BankFileLayout.objects.values_list("code", flat=True))


def test_the_cycle_page_offers_the_follow_up_once_accounts_are_corrected(world, people):
    batch = world["batch"]
    approve_and_send(batch, people["finance"])
    failing = world["members"][1]
    services.result_apply(
        actor=people["finance"], batch=batch, content=result_for(batch, {failing.pk: "Dormant"}),
        filename="h.csv", paid_on=dt.date(2025, 1, 20),
    )  # fmt: skip
    client = _client(people["officer"])
    page = client.get(f"/pilar/siklus/{world['cycle'].pk}/").content.decode()
    assert "1 transfer gagal; 1 anggota" in page
    response = client.post(f"/pilar/siklus/{world['cycle'].pk}/susulan/", follow=True)
    assert "Batch susulan 2 berisi 1 transfer" in response.content.decode()
    first_batch = client.get(f"/pilar/batch/{batch.pk}/").content.decode()
    assert 'data-testid="moved-on"' in first_batch


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


PAGES = [
    ("officer", "/pilar/", 7),
    ("officer", "/pilar/?jenis={type}&kabupaten=35.78&status=active&rekening=siap", 7),
    ("officer", "/pilar/anggota/{member}/", 10),
    ("officer", "/pilar/anggota/baru/", 8),
    ("officer", "/pilar/anggota/{member}/ubah/", 9),
    ("officer", "/pilar/anggota/{member}/rekening/", 8),
    ("officer", "/pilar/anggota/{member}/pelatihan/", 7),
    ("officer", "/pilar/wilayah/", 9),
    ("officer", "/pilar/wilayah/35.78/", 9),
    ("officer", "/pilar/skema/", 8),
    ("officer", "/pilar/skema/{scheme}/tarif/", 7),
    ("officer", "/pilar/skema/{scheme}/anggaran/?tahun=2025", 7),
    ("officer", "/pilar/siklus/", 7),
    ("officer", "/pilar/siklus/baru/", 8),
    ("officer", "/pilar/siklus/{cycle}/", 9),
    ("finance", "/pilar/batch/{batch}/", 11),
    ("finance", "/pilar/batch/{batch}/nominatif/", 9),
    ("finance", "/pilar/tata-letak-bank/", 6),
    ("finance", "/pilar/tata-letak-bank/baru/", 6),
    ("finance", "/pilar/tata-letak-bank/{layout}/ubah/", 7),
]


@pytest.mark.parametrize(("who", "url", "pinned"), PAGES)
def test_query_counts_do_not_grow_with_rows(world, people, units, who, url, pinned):
    client = _client(people[who])
    client.get("/pilar/")  # warm up: the first request writes the session, fills the name cache
    target = url.format(
        member=world["tksk"].pk,
        cycle=world["cycle"].pk,
        batch=world["batch"].pk,
        scheme=world["scheme"].scheme.pk,
        type=world["tksk"].pillar_type_id,
        layout=BankFileLayout.objects.get(is_default=True).pk,
    )
    first = _count(client, target)
    for i in range(5):
        make_member(unit=units.empowerment_division, name=f"Tambahan {i}", district="35.07.01")
    assert _count(client, target) == first == pinned
    assert Member.objects.count() == 9


def test_the_bank_file_query_count_does_not_grow_with_the_batch(world, people, units, officer):
    small = world["batch"]
    services.batch_approve(actor=people["finance"], batch=small)
    for i in range(6):
        make_member(unit=units.empowerment_division, name=f"Tambahan {i}", district="35.07.01")
    cycle = services.cycle_generate(
        actor=officer, scheme=world["scheme"].scheme, year=2025, quarter=2
    )
    large = services.batch_approve(actor=people["finance"], batch=cycle.batches.get())
    assert (small.entitlement_count, large.entitlement_count) == (4, 10)
    client = _client(people["finance"])
    client.get("/pilar/")
    counts = [_count(client, f"/pilar/batch/{b.pk}/berkas-bank/") for b in (small, large)]
    assert counts == [16, 16]


def test_generating_a_quarter_says_how_many_members_were_left_out_without_an_account(
    world, people, units
):
    make_member(unit=units.empowerment_division, name="Tanpa Rekening", account=False)
    response = _client(people["officer"]).post(
        "/pilar/siklus/baru/",
        {"scheme": world["scheme"].scheme.pk, "year": dt.date.today().year, "quarter": 1},
        follow=True,
    )
    page = response.content.decode()
    assert "4 hak bantuan telah dibuat" in page
    assert "1 anggota aktif belum memiliki rekening yang siap" in page
    assert Cycle.objects.count() == 2

"""Browser test of the residential side (issue 3): a social worker admits a client into a bed,
records home leave and the return; the full UPT refuses another admission with its message; a
transfer goes to the other UPT, whose head accepts it into a bed; the rosters show who lives where.
Real pages, Indonesian UI."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sinergi.rehabilitation.models import Bed, Residence, Transfer
from sinergi.rehabilitation.services import residential as services
from sinergi.rehabilitation.testing import admit, ensure_reference, ensure_regions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(login, page, username):
    login(username)
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def _sign_out(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/akun/masuk/")


@pytest.fixture
def world(units, make_user):
    ensure_regions()
    ensure_reference()
    services.movement_types_load(actor=None)
    worker = make_user("social_worker", units.upt_a, username="peksos-a")
    make_user("head_of_upt", units.upt_b, username="kepala-b")
    services.room_create(actor=None, unit=units.upt_a, wisma="Wisma Melati", name="K1", beds=2)
    room_b = services.room_create(
        actor=None, unit=units.upt_b, wisma="Wisma Mawar", name="K1", beds=1
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=10)
    siti = admit(units.upt_a, social_worker=worker, admitted_on=start, name="Siti Aminah")
    ahmad = admit(
        units.upt_a,
        social_worker=worker,
        admitted_on=start,
        name="Ahmad Fauzi",
        sex="L",
        birth_on=dt.date(1950, 3, 3),
    )
    budi = admit(
        units.upt_a,
        social_worker=worker,
        admitted_on=start,
        name="Budi Santoso",
        sex="L",
        birth_on=dt.date(1952, 4, 4),
    )
    services.resident_admit(
        actor=None,
        case=ahmad,
        bed=Bed.objects.filter(unit=units.upt_a).order_by("label").last(),
        admitted_on=start,
    )
    return {
        "today": today,
        "start": start,
        "siti": siti,
        "ahmad": ahmad,
        "budi": budi,
        "bed_b": room_b.beds.get(),
    }


def test_admission_movements_full_upt_transfer_and_rosters(live_server, login, page, units, world):
    today = world["today"]
    base = live_server.url
    _sign_in(login, page, "peksos-a")

    # 1. the UPT page lists Siti among the clients without a bed; admit her into the free bed
    page.goto(f"{base}/rehabilitasi/hunian/upt/{units.upt_a.pk}/")
    expect(page.get_by_test_id("unit-figures")).to_contain_text("2 tempat tidur")
    siti_row = page.get_by_test_id("unplaced").locator("li", has_text="Siti Aminah")
    siti_row.get_by_test_id("unplaced-admit").click()
    page.select_option("#id_bed", index=1)
    page.fill("#id_admitted_on", (today - dt.timedelta(days=9)).isoformat())
    page.get_by_test_id("admit-save").click()
    expect(page.get_by_text("PM sudah ditempatkan di tempat tidur.")).to_be_visible()
    expect(page.get_by_test_id("current-bed")).to_contain_text("Wisma Melati")

    # 2. home leave, then the return
    page.get_by_test_id("resident-link").click()
    page.select_option("#id_movement_type", label="Cuti pulang (pulang sementara ke keluarga)")
    page.fill("#id_occurred_on", (today - dt.timedelta(days=5)).isoformat())
    page.get_by_test_id("movement-save").click()
    expect(page.get_by_text("Mutasi sudah dicatat.")).to_be_visible()
    expect(page.get_by_test_id("away-badge")).to_be_visible()
    page.select_option("#id_movement_type", label="Kembali ke UPT")
    page.fill("#id_occurred_on", (today - dt.timedelta(days=2)).isoformat())
    page.get_by_test_id("movement-save").click()
    expect(page.get_by_test_id("present-badge")).to_be_visible()
    expect(page.get_by_test_id("residence-history")).to_contain_text("Cuti pulang")

    # 3. both beds are taken: Budi's admission is refused with the figures, nothing saved
    page.goto(f"{base}/rehabilitasi/hunian/upt/{units.upt_a.pk}/")
    expect(page.get_by_test_id("unit-full")).to_be_visible()
    budi_row = page.get_by_test_id("unplaced").locator("li", has_text="Budi Santoso")
    budi_row.get_by_test_id("unplaced-admit").click()
    page.select_option("#id_bed", index=1)
    page.fill("#id_admitted_on", today.isoformat())
    page.get_by_test_id("admit-save").click()
    expect(page.get_by_test_id("admit-form")).to_contain_text("penuh: 2 dari 2 tempat tidur terisi")
    page.wait_for_load_state("networkidle")  # the page's panels first (SQLite locks)
    assert not Residence.objects.filter(case=world["budi"]).exists()

    # the roster of today: Siti and Ahmad present
    page.goto(f"{base}/rehabilitasi/hunian/upt/{units.upt_a.pk}/presensi/")
    rows = page.get_by_test_id("roster-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("roster")).to_contain_text("Siti Aminah")
    expect(page.get_by_test_id("roster")).to_contain_text("Ahmad Fauzi")
    # five days ago Siti was on home leave
    page.goto(
        f"{base}/rehabilitasi/hunian/upt/{units.upt_a.pk}/presensi/"
        f"?tanggal={(today - dt.timedelta(days=4)).isoformat()}"
    )
    expect(rows.filter(has_text="Siti Aminah")).to_contain_text("Cuti pulang")

    # 4. Siti is transferred to the other UPT
    page.goto(f"{base}/rehabilitasi/kasus/{world['siti'].pk}/")
    page.get_by_test_id("transfer-link").click()
    page.check("input[name=kind][value=upt]")
    page.select_option("#id_to_unit", str(units.upt_b.pk))
    page.fill("#id_requested_on", today.isoformat())
    page.fill("#id_reason", "Membutuhkan layanan lanjut usia")
    page.get_by_test_id("transfer-save").click()
    expect(page.get_by_test_id("transfer-status")).to_have_text("Menunggu jawaban UPT penerima")
    page.wait_for_load_state("networkidle")  # the page's panels first (SQLite locks)
    transfer = Transfer.objects.get(case=world["siti"])

    # 5. the head of the receiving UPT accepts it into the free bed
    _sign_out(page, live_server)
    _sign_in(login, page, "kepala-b")
    page.goto(f"{base}/rehabilitasi/rujukan/?arah=masuk")
    page.get_by_test_id("transfer-row").filter(has_text="Siti Aminah").get_by_role(
        "link"
    ).first.click()
    expect(page).to_have_url(re.compile(rf"/rujukan/{transfer.pk}/$"))
    page.check("input[name=decision][value=accept]")
    page.select_option("#id_bed", str(world["bed_b"].pk))
    page.fill("#id_accepted_on", today.isoformat())
    page.get_by_test_id("acknowledge-save").click()
    expect(page.get_by_test_id("transfer-status")).to_have_text("Diterima")

    # 6. the rosters: Siti now lives in the receiving UPT; the sender keeps Ahmad only
    page.goto(f"{base}/rehabilitasi/hunian/upt/{units.upt_b.pk}/presensi/")
    expect(page.get_by_test_id("roster-row")).to_have_count(1)
    expect(page.get_by_test_id("roster")).to_contain_text("Siti Aminah")
    expect(page.get_by_test_id("roster")).to_contain_text("Wisma Mawar")
    _sign_out(page, live_server)
    _sign_in(login, page, "peksos-a")
    page.goto(f"{base}/rehabilitasi/hunian/upt/{units.upt_a.pk}/presensi/")
    expect(page.get_by_test_id("roster-row")).to_have_count(1)
    expect(page.get_by_test_id("roster")).to_contain_text("Ahmad Fauzi")
    expect(page.get_by_test_id("roster")).not_to_contain_text("Siti Aminah")

"""Rules from regulation and from the office's published figures live in data files with their
sources (DOMAIN.md 8): each is checked here against the text it comes from."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from sinergi.audit.models import AuditEvent
from sinergi.pillars import services
from sinergi.pillars.models import AidScheme, Bank, BankFileLayout, PillarType, rates_in_force

pytestmark = pytest.mark.django_db


def test_one_tksk_serves_one_kecamatan_permensos_28_2018():
    tksk = PillarType.objects.get(code="tksk")
    assert (tksk.one_per_district, tksk.requires_district) == (True, True)
    assert "Permensos 28/2018" in tksk.regulation
    others = PillarType.objects.exclude(code="tksk")
    assert not others.filter(one_per_district=True).exists()
    assert all(t.source for t in PillarType.objects.all())


def test_jatim_social_care_members_come_from_the_upt_staff():
    assert list(PillarType.objects.filter(from_staff=True).values_list("code", flat=True)) == [
        "jatim-social-care"
    ]


def test_the_2025_quarterly_rates_are_those_published_in_august_2025(regions):
    from sinergi.pillars.demo import _rates

    scheme = AidScheme.objects.create(
        code="bantuan-operasional-pilar", name="Bantuan operasional", short_name="BOP"
    )
    _rates(scheme)
    rates = rates_in_force(scheme.pk, dt.date(2025, 7, 1))
    types = {t.code: t.pk for t in PillarType.objects.all()}
    # pustakajc.co 26-08-2025: TKSK Rp1.500.000, Tagana Rp750.000, pendamping PKH Plus Rp900.000
    assert rates[(types["tksk"], "member")].amount == Decimal("1500000")
    assert rates[(types["tagana"], "member")].amount == Decimal("750000")
    assert rates[(types["pendamping-pkh-plus"], "member")].amount == Decimal("900000")
    members = [rates[(types[code], "member")] for code in ("tksk", "tagana", "pendamping-pkh-plus")]
    assert all(r.is_confirmed and "pustakajc" in r.source for r in members)
    # The "koordinasi pendamping PKH Plus" Rp1.500.000 of April 2024 (surabayapagi.com) was not
    # found for 2025 (DOMAIN.md 14): it stays in force for coordinators, marked unconfirmed.
    coordinator = rates[(types["pendamping-pkh-plus"], "regency_coordinator")]
    assert (coordinator.amount, coordinator.is_confirmed) == (Decimal("1500000"), False)
    assert coordinator.effective_from == dt.date(2024, 1, 1)


def test_the_default_layout_is_the_regional_banks_and_marked_unconfirmed():
    layout = BankFileLayout.objects.get(is_default=True)
    assert (layout.bank.code, layout.bank.short_name) == ("114", "Bank Jatim")
    assert (layout.separator, layout.has_header, layout.amount_format) == (",", True, "integer")
    assert [c["header"] for c in layout.columns] == [
        "NO", "NO_REKENING", "NAMA_PENERIMA", "KODE_BANK", "NOMINAL", "KETERANGAN", "REFERENSI",
    ]  # fmt: skip
    assert layout.is_confirmed is False
    assert Bank.objects.get(code="114").account_length_max == 10


def test_every_column_of_the_default_layout_is_in_the_user_guide():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs/guide/40-pilar-sosial.md").read_text()
    for column in BankFileLayout.objects.get(is_default=True).columns:
        assert f"| {column['header']} |" in guide


def test_reloading_the_reference_data_keeps_a_layout_finance_changed(db):
    layout = BankFileLayout.objects.get(is_default=True)
    layout.separator = ";"
    layout.save()
    PillarType.objects.filter(code="jatim-social-care").update(from_staff=False)
    out = io.StringIO()
    call_command("load_pillars_reference", stdout=out)
    assert "layouts added: 0" in out.getvalue()
    layout.refresh_from_db()
    assert layout.separator == ";"
    assert PillarType.objects.get(code="jatim-social-care").from_staff is True
    assert AuditEvent.objects.filter(action="pillars.reference_loaded").count() == 1
    BankFileLayout.objects.all().delete()
    assert services.reference_load(actor=None)["layouts_added"] == 1
    assert BankFileLayout.objects.get().is_default is True

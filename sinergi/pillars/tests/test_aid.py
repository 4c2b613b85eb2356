import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.budget import services as budget_services
from sinergi.budget.models import Realisation
from sinergi.budget.testing import make_line
from sinergi.core.errors import ApplicationError
from sinergi.pillars import services
from sinergi.pillars.models import (
    AidRate,
    Batch,
    BatchStatus,
    Cycle,
    Entitlement,
    EntitlementStatus,
    MemberStatus,
    normalise_name,
)
from sinergi.pillars.testing import bank, make_member, make_scheme, pillar_type, result_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(regions, units):
    unit = units.empowerment_division
    members = {
        "tksk": make_member(unit=unit, type_code="tksk", name="Siti Aminah", sex="P"),
        "tagana": make_member(unit=unit, name="Budi Santoso"),
        "tagana_2": make_member(unit=unit, name="Andi Wijaya", district="35.07.01"),
        "suspended": make_member(unit=unit, name="Dewi Lestari"),
        "no_account": make_member(unit=unit, name="Eko Prasetyo", account=False),
        "ended_2024": make_member(unit=unit, name="Fajar", active_until=dt.date(2024, 12, 31)),
        "starts_q2": make_member(unit=unit, name="Gita", active_from=dt.date(2025, 4, 1)),
        "other_unit": make_member(unit=units.upt_a, name="Hadi"),
    }
    _suspend(members["suspended"])
    return members


@pytest.fixture
def scheme(db):
    return make_scheme()


def _suspend(member):
    services.member_set_status(actor=None, member=member, status="suspended", reason="Sakit")


def test_generation_pays_every_eligible_member_of_the_units_subtree_once(registry, scheme, officer):
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    paid = set(Entitlement.objects.filter(cycle=cycle).values_list("member__name", flat=True))
    assert paid == {"Siti Aminah", "Budi Santoso", "Andi Wijaya"}
    batch = cycle.batches.get()
    assert (batch.number, batch.status, batch.entitlement_count) == (1, BatchStatus.DRAFT, 3)
    assert batch.total_amount == Decimal("3000000")
    assert AuditEvent.objects.filter(action="pillars.cycle_generated").count() == 1


def test_the_rate_in_force_on_the_quarters_first_day_applies(registry, scheme, officer):
    services.rate_add(
        actor=None,
        scheme=scheme.scheme,
        pillar_type=pillar_type("tagana"),
        amount=Decimal("800000"),
        effective_from=dt.date(2025, 4, 2),
        source="uji",
    )
    q2 = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=2)
    q3 = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=3)
    tagana = pillar_type("tagana")
    assert set(q2.entitlements.filter(pillar_type=tagana).values_list("amount", flat=True)) == {
        Decimal("750000")
    }
    assert set(q3.entitlements.filter(pillar_type=tagana).values_list("amount", flat=True)) == {
        Decimal("800000")
    }
    assert q2.entitlements.filter(member=registry["starts_q2"]).exists()


def test_a_role_rate_wins_over_the_every_role_rate(registry, scheme, officer):
    services.member_update(actor=None, member=registry["tagana"], role="regency_coordinator")
    services.rate_add(
        actor=None,
        scheme=scheme.scheme,
        pillar_type=pillar_type("tagana"),
        role="regency_coordinator",
        amount=Decimal("1000000"),
        effective_from=dt.date(2025, 1, 1),
        source="uji",
    )
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    amounts = dict(cycle.entitlements.values_list("member__name", "amount"))
    assert amounts["Budi Santoso"] == Decimal("1000000")
    assert amounts["Andi Wijaya"] == Decimal("750000")


def test_a_quarter_is_generated_once_per_unit(registry, scheme, officer):
    services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    with pytest.raises(ApplicationError) as error:
        services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    assert error.value.code == "conflict"
    assert Cycle.objects.count() == 1


def test_a_member_already_entitled_in_another_cycle_is_not_paid_twice(
    registry, scheme, officer, make_user, units
):
    services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    office_officer = make_user("pillar_officer", units.office)
    office = services.cycle_generate(
        actor=office_officer, scheme=scheme.scheme, year=2025, quarter=1
    )
    assert list(office.entitlements.values_list("member__name", flat=True)) == ["Hadi"]


def test_no_rate_in_force_is_refused_and_nothing_is_saved(registry, scheme, officer):
    with pytest.raises(ApplicationError) as error:
        services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2024, quarter=4)
    assert error.value.code == "no_rate"
    assert (Cycle.objects.count(), Batch.objects.count()) == (0, 0)


def test_a_rate_before_a_generated_quarter_is_refused(registry, scheme, officer):
    services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=2)
    with pytest.raises(ApplicationError):
        services.rate_add(
            actor=None,
            scheme=scheme.scheme,
            pillar_type=pillar_type("tagana"),
            amount=Decimal("1"),
            effective_from=dt.date(2025, 3, 1),
            source="uji",
        )
    assert AidRate.objects.count() == 2


def test_the_maker_cannot_approve_and_a_checker_approves_once(
    registry, scheme, officer, finance, make_user, units
):
    cycle = services.cycle_generate(actor=finance_maker(make_user, units), scheme=scheme.scheme,
                                    year=2025, quarter=1) if False else services.cycle_generate(
        actor=officer, scheme=scheme.scheme, year=2025, quarter=1)  # fmt: skip
    batch = cycle.batches.get()
    officer_with_approval = make_user("finance_officer", units.secretariat)
    batch.created_by = officer_with_approval
    batch.save()
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(actor=officer_with_approval, batch=batch)
    assert error.value.code == "maker_checker"
    approved = services.batch_approve(actor=finance, batch=batch)
    assert (approved.status, approved.approved_by) == (BatchStatus.APPROVED, finance)
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(actor=officer_with_approval, batch=batch)
    assert error.value.code == "conflict"
    assert AuditEvent.objects.filter(action="pillars.batch_approved").count() == 1


def finance_maker(make_user, units):  # pragma: no cover - helper kept for readability above
    return make_user("finance_officer", units.secretariat)


def test_a_pillar_officer_cannot_approve(registry, scheme, officer):
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    with pytest.raises(ApplicationError):
        services.batch_approve(actor=officer, batch=cycle.batches.get())
    assert cycle.batches.get().status == BatchStatus.DRAFT


def _funded(scheme, units, pagu="100000000"):
    year = budget_services.fiscal_year_get_or_create(actor=None, year=2025)
    line = make_line(year, units.empowerment_division, pagu=pagu)
    services.funding_set(actor=None, scheme=scheme.scheme, year=2025, budget_line=line)
    return line


def test_approval_above_the_remaining_pagu_is_refused(registry, scheme, officer, finance, units):
    _funded(scheme, units, pagu="2000000")
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(actor=finance, batch=cycle.batches.get())
    assert error.value.code == "above_pagu"
    assert "Rp 2.000.000" in error.value.message
    assert cycle.batches.get().status == BatchStatus.DRAFT


def _approved_and_sent(officer, finance, scheme):
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    batch = services.batch_approve(actor=finance, batch=cycle.batches.get())
    layout = __import__("sinergi.pillars.models", fromlist=["BankFileLayout"]).BankFileLayout
    _name, lines = services.bank_file_export(
        actor=finance, batch=batch, layout=layout.objects.get(is_default=True)
    )
    return cycle, batch, "".join(lines)


def test_the_bank_file_follows_the_default_layout(registry, scheme, officer, finance):
    _cycle, batch, text = _approved_and_sent(officer, finance, scheme)
    lines = text.splitlines()
    assert lines[0] == "NO,NO_REKENING,NAMA_PENERIMA,KODE_BANK,NOMINAL,KETERANGAN,REFERENSI"
    assert len(lines) == 4
    first = Entitlement.objects.filter(batch=batch).order_by("id").first()
    assert lines[1] == (
        f"1,{first.account_number},{first.account_holder},114,{int(first.amount)},"
        f"BOP PILAR SOSIAL TW1 2025,{first.reference}"
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    assert AuditEvent.objects.filter(action="pillars.bank_file_exported").count() == 1


def test_a_result_file_with_any_bad_row_is_refused_whole(registry, scheme, officer, finance):
    _cycle, batch, _text = _approved_and_sent(officer, finance, scheme)
    first, second, third = Entitlement.objects.filter(batch=batch).order_by("id")
    content = result_csv(
        [
            (first.reference, "berhasil", first.amount, ""),
            (second.reference, "berhasil", "1", ""),
            ("P99999999901", "berhasil", "750000", ""),
            (first.reference, "gagal", first.amount, "x"),
            (third.reference, "entah", third.amount, ""),
        ]
    )
    with pytest.raises(services.ResultFileRejected) as error:
        services.result_apply(
            actor=finance, batch=batch, content=content, filename="hasil.csv",
            paid_on=dt.date(2025, 1, 20),
        )  # fmt: skip
    assert [p.row for p in error.value.problems] == [3, 4, 5, 6]
    assert (
        "differs" in error.value.problems[0].message or "berbeda" in error.value.problems[0].message
    )
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"pending"}
    assert not AuditEvent.objects.filter(action="pillars.result_applied").exists()


def test_results_mark_paid_and_failed_record_the_realisation_and_failed_ones_follow_up(
    registry, scheme, officer, finance, units
):
    line = _funded(scheme, units)
    cycle, batch, _text = _approved_and_sent(officer, finance, scheme)
    first, second, third = Entitlement.objects.filter(batch=batch).order_by("id")
    content = result_csv(
        [
            (first.reference, "berhasil", first.amount, ""),
            (second.reference, "Berhasil", f"{second.amount:.2f}", ""),
            (third.reference, "gagal", third.amount, "Rekening tidak aktif"),
        ]
    )
    result = services.result_apply(
        actor=finance,
        batch=batch,
        content=content,
        filename="hasil.csv",
        paid_on=dt.date(2025, 1, 20),
        sp2d_number="0001/SP2D/LS/2025",
    )
    assert (result.paid_count, result.failed_count) == (2, 1)
    realisation = Realisation.objects.get()
    assert realisation.amount == first.amount + second.amount
    assert realisation.allocations.get().line == line
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    third.refresh_from_db()
    assert (third.status, third.failure_reason) == (
        EntitlementStatus.FAILED,
        "Rekening tidak aktif",
    )

    member = third.member
    services.member_set_account(
        actor=None, member=member, bank=bank(), account_number="9999999999",
        account_holder=member.name,
    )  # fmt: skip
    follow_up = services.follow_up_create(actor=officer, cycle=cycle)
    assert (follow_up.number, follow_up.status, follow_up.entitlement_count) == (2, "draft", 1)
    third.refresh_from_db()
    assert (third.batch, third.attempt, third.account_number) == (follow_up, 2, "9999999999")
    assert third.failures.get().reason == "Rekening tidak aktif"
    assert third.reference.endswith("02")


def test_a_paid_batch_above_the_pagu_is_refused_with_the_budgets_message(
    registry, scheme, officer, finance, units
):
    line = _funded(scheme, units)
    _cycle, batch, _text = _approved_and_sent(officer, finance, scheme)
    budget_services.pagu_revise(
        actor=None, line=line, new_pagu=Decimal("1000000"), kind="shift",
        revised_on=dt.date(2025, 1, 10), reference="uji", reason="uji",
    )  # fmt: skip
    rows = [(e.reference, "berhasil", e.amount, "") for e in batch.entitlements.order_by("id")]
    with pytest.raises(ApplicationError) as error:
        services.result_apply(
            actor=finance, batch=batch, content=result_csv(rows), filename="h.csv",
            paid_on=dt.date(2025, 1, 20), sp2d_number="X1",
        )  # fmt: skip
    assert error.value.code == "above_pagu"
    assert set(batch.entitlements.values_list("status", flat=True)) == {"pending"}
    assert not Realisation.objects.exists()


def test_an_excluded_entitlement_leaves_the_totals(registry, scheme, officer):
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    entitlement = cycle.entitlements.get(member=registry["tksk"])
    services.entitlement_exclude(actor=officer, entitlement=entitlement, reason="Meninggal")
    batch = cycle.batches.get()
    assert (batch.entitlement_count, batch.total_amount) == (2, Decimal("1500000"))


def test_suspended_members_stay_out(registry, scheme, officer):
    _suspend(registry["tagana"])
    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    assert not cycle.entitlements.filter(member=registry["tagana"]).exists()
    registry["tagana"].refresh_from_db()
    assert registry["tagana"].status == MemberStatus.SUSPENDED


def test_the_database_itself_refuses_a_second_entitlement_for_a_member_and_quarter(
    registry, scheme, officer
):
    from django.db import IntegrityError, transaction

    cycle = services.cycle_generate(actor=officer, scheme=scheme.scheme, year=2025, quarter=1)
    twin = cycle.entitlements.first()
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert cycle.entitlements.count() == 3


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_holder_names_compare_without_case_punctuation_or_spacing(name):
    normal = normalise_name(name)
    assert normalise_name(normal) == normal
    assert normalise_name(f"  {name.lower()}. ") == normalise_name(name.upper())


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_bank_file_amounts_read_back_as_the_amount(amount):
    from sinergi.pillars.services.bank_files import _amount_text

    assert Decimal(_amount_text(amount, "decimal_point")) == amount
    assert Decimal(_amount_text(amount, "decimal_comma").replace(",", ".")) == amount
    assert Decimal(_amount_text(amount, "integer")) == int(amount)

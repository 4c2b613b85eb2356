"""Concurrent writes on PostgreSQL (threads with their own connections, real transactions): a member
is never paid twice for a scheme and quarter, a batch is approved and settled once, a kecamatan
gets one TKSK, and the last rupiah of a budget line goes to one batch."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction

from sinergi.audit.models import AuditEvent
from sinergi.budget import services as budget_services
from sinergi.budget.models import Realisation
from sinergi.budget.testing import make_line
from sinergi.core.errors import ApplicationError
from sinergi.pillars import services
from sinergi.pillars.models import Batch, BatchStatus, Cycle, Entitlement, Member
from sinergi.pillars.testing import (
    approve_and_send,
    make_member,
    make_regions,
    make_scheme,
    result_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers with one database lock: no concurrent transactions to race",
    ),
]


def _race(calls):
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except ApplicationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _errors(outcomes):
    return sorted(o.code for o in outcomes if isinstance(o, ApplicationError))


@pytest.fixture
def setup(units, make_user):
    # A transactional test flushes every table afterwards, the rows of data migrations too.
    services.reference_load(actor=None)
    make_regions()
    for i in range(20):
        make_member(unit=units.empowerment_division, name=f"Anggota {i}")
    for i in range(5):
        make_member(unit=units.office, name=f"Kantor {i}", district="35.07.01")
    return {
        "scheme": make_scheme().scheme,
        "officers": [make_user("pillar_officer", units.empowerment_division) for _ in range(2)],
        "office_officer": make_user("pillar_officer", units.office),
        "finance": [make_user("finance_officer", units.secretariat) for _ in range(2)],
    }


def _generate(officer, scheme, quarter=1):
    return lambda: services.cycle_generate(actor=officer, scheme=scheme, year=2025, quarter=quarter)


def test_concurrent_generation_makes_one_cycle_and_pays_each_member_once(setup):
    outcomes = _race([_generate(o, setup["scheme"]) for o in setup["officers"]])
    assert _errors(outcomes) == ["conflict"]
    assert Entitlement.objects.count() == 20
    assert Entitlement.objects.values("member").distinct().count() == 20
    assert AuditEvent.objects.filter(action="pillars.cycle_generated").count() == 1


def test_overlapping_units_generating_at_once_still_pay_each_member_once(setup):
    """The office's subtree holds the division's members: both cycles race for them, the unique
    constraint gives each member to exactly one cycle."""
    outcomes = _race(
        [
            _generate(setup["officers"][0], setup["scheme"]),
            _generate(setup["office_officer"], setup["scheme"]),
        ]
    )
    # Whoever inserts first takes the members both subtrees hold; a cycle left with nobody is
    # refused whole (nothing_eligible) and leaves nothing behind.
    errors = _errors(outcomes)
    assert errors in ([], ["nothing_eligible"])
    assert Cycle.objects.count() == 2 - len(errors)
    assert Entitlement.objects.count() == 25 == Member.objects.count()
    assert Entitlement.objects.values("member").distinct().count() == 25
    totals = sorted(Batch.objects.values_list("entitlement_count", flat=True))
    assert sum(totals) == 25
    for batch in Batch.objects.all():
        assert batch.entitlement_count == batch.entitlements.count()


def test_the_database_refuses_a_second_entitlement_for_the_same_quarter(setup):
    cycle = services.cycle_generate(
        actor=setup["officers"][0], scheme=setup["scheme"], year=2025, quarter=1
    )
    entitlement = cycle.entitlements.first()
    entitlement.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        entitlement.save()
    assert Entitlement.objects.count() == 20


def test_concurrent_approval_approves_once(setup):
    cycle = services.cycle_generate(
        actor=setup["officers"][0], scheme=setup["scheme"], year=2025, quarter=1
    )
    batch = cycle.batches.get()
    outcomes = _race(
        [lambda f=f: services.batch_approve(actor=f, batch=batch) for f in setup["finance"]]
    )
    assert sum(isinstance(o, Batch) for o in outcomes) == 1
    assert _errors(outcomes) == ["conflict"]
    assert AuditEvent.objects.filter(action="pillars.batch_approved").count() == 1


def test_an_exclusion_racing_the_approval_never_leaves_wrong_totals(setup):
    officer = setup["officers"][0]
    cycle = services.cycle_generate(actor=officer, scheme=setup["scheme"], year=2025, quarter=1)
    batch = cycle.batches.get()
    entitlement = batch.entitlements.order_by("id").first()
    outcomes = _race(
        [
            lambda: services.entitlement_exclude(
                actor=officer, entitlement=entitlement, reason="Meninggal"
            ),
            lambda: services.batch_approve(actor=setup["finance"][0], batch=batch),
        ]
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    payable = batch.entitlements.filter(status="pending")
    assert batch.entitlement_count == payable.count()
    assert batch.total_amount == sum(e.amount for e in payable)
    assert _errors(outcomes) in ([], ["not_draft"])


def test_a_result_file_applied_twice_at_once_settles_the_batch_once(setup, units):
    year = budget_services.fiscal_year_get_or_create(actor=None, year=2025)
    line = make_line(year, units.empowerment_division, pagu="100000000")
    services.funding_set(actor=None, scheme=setup["scheme"], year=2025, budget_line=line)
    cycle = services.cycle_generate(
        actor=setup["officers"][0], scheme=setup["scheme"], year=2025, quarter=1
    )
    batch = cycle.batches.get()
    approve_and_send(batch, setup["finance"][0])
    content = result_for(batch)
    outcomes = _race(
        [
            lambda f=f, n=n: services.result_apply(
                actor=f,
                batch=batch,
                content=content,
                filename="h.csv",
                paid_on=dt.date(2025, 1, 20),
                sp2d_number=f"SP2D-{n}",
            )
            for n, f in enumerate(setup["finance"])
        ]
    )
    assert _errors(outcomes) == ["already_reconciled"]
    assert Realisation.objects.count() == 1
    assert Realisation.objects.get().amount == Decimal("15000000")  # 20 x 750.000
    assert set(batch.entitlements.values_list("status", flat=True)) == {"paid"}


def test_a_follow_up_made_twice_at_once_moves_each_failed_transfer_once(setup):
    officer = setup["officers"][0]
    cycle = services.cycle_generate(actor=officer, scheme=setup["scheme"], year=2025, quarter=1)
    batch = cycle.batches.get()
    approve_and_send(batch, setup["finance"][0])
    failing = list(batch.entitlements.order_by("id").values_list("member_id", flat=True)[:3])
    services.result_apply(
        actor=setup["finance"][0], batch=batch,
        content=result_for(batch, dict.fromkeys(failing, "Dormant")), filename="h.csv",
        paid_on=dt.date(2025, 1, 20),
    )  # fmt: skip
    outcomes = _race(
        [lambda o=o: services.follow_up_create(actor=o, cycle=cycle) for o in setup["officers"]]
    )
    assert _errors(outcomes) == ["nothing_to_follow_up"]
    follow_up = Batch.objects.get(number=2)
    assert follow_up.entitlement_count == 3
    assert Entitlement.objects.filter(batch=follow_up, attempt=2).count() == 3


def test_two_tksk_for_one_kecamatan_registered_at_once_leave_one(setup, units):
    officers = setup["officers"]
    outcomes = _race(
        [
            lambda o=o, n=n: make_member(
                unit=units.empowerment_division,
                type_code="tksk",
                name=f"TKSK {n}",
                district="35.78.02",
                actor=o,
            )
            for n, o in enumerate(officers)
        ]
    )
    assert _errors(outcomes) == ["district_taken"]
    assert Member.objects.filter(pillar_type__code="tksk", district_id="35.78.02").count() == 1


def test_two_batches_racing_for_the_last_of_a_budget_line_leave_one_approved(setup, units):
    """The division's 20 members (Rp15.000.000) and the office's 5 (Rp3.750.000) are charged to a
    line with Rp16.000.000: only one of the two approvals may take it."""
    year = budget_services.fiscal_year_get_or_create(actor=None, year=2025)
    line = make_line(year, units.office, pagu="16000000")
    services.funding_set(actor=None, scheme=setup["scheme"], year=2025, budget_line=line)
    division = services.cycle_generate(
        actor=setup["officers"][0], scheme=setup["scheme"], year=2025, quarter=1
    )
    office = services.cycle_generate(
        actor=setup["office_officer"], scheme=setup["scheme"], year=2025, quarter=1
    )
    batches = [division.batches.get(), office.batches.get()]
    assert [b.total_amount for b in batches] == [Decimal("15000000"), Decimal("3750000")]
    outcomes = _race(
        [
            lambda b=b, f=f: services.batch_approve(actor=f, batch=b)
            for b, f in zip(batches, setup["finance"], strict=True)
        ]
    )
    assert _errors(outcomes) == ["above_pagu"]
    approved = Batch.objects.filter(status=BatchStatus.APPROVED)
    assert sum(b.total_amount for b in approved) <= Decimal("16000000")
    assert approved.count() == 1

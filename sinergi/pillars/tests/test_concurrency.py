"""Concurrent generation and approval on PostgreSQL (threads, real transactions)."""

import threading

import pytest
from django.db import connection, connections

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.pillars import services
from sinergi.pillars.models import Batch, Entitlement
from sinergi.pillars.testing import make_member, make_regions, make_scheme

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers with one database lock: no concurrent transactions to race",
    ),
]


def _race(calls):
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


@pytest.fixture
def setup(units, make_user):
    # A transactional test flushes the tables afterwards, reference rows of data migrations too.
    from importlib import import_module

    from django.apps import apps

    import_module("sinergi.pillars.migrations.0002_reference_data").load(apps, None)
    make_regions()
    for i in range(20):
        make_member(unit=units.empowerment_division, name=f"Anggota {i}")
    return {
        "scheme": make_scheme().scheme,
        "officers": [make_user("pillar_officer", units.empowerment_division) for _ in range(2)],
        "finance": [make_user("finance_officer", units.secretariat) for _ in range(2)],
    }


def test_concurrent_generation_makes_one_cycle_and_pays_each_member_once(setup):
    outcomes = _race(
        [
            lambda o=o: services.cycle_generate(
                actor=o, scheme=setup["scheme"], year=2025, quarter=1
            )
            for o in setup["officers"]
        ]
    )
    errors = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(errors) == 1
    assert errors[0].code == "conflict"
    assert Entitlement.objects.count() == 20
    assert Entitlement.objects.values("member").distinct().count() == 20


def test_concurrent_approval_approves_once(setup):
    cycle = services.cycle_generate(
        actor=setup["officers"][0], scheme=setup["scheme"], year=2025, quarter=1
    )
    batch = cycle.batches.get()
    outcomes = _race(
        [lambda f=f: services.batch_approve(actor=f, batch=batch) for f in setup["finance"]]
    )
    assert sum(isinstance(o, Batch) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, ApplicationError)] == ["conflict"]
    assert AuditEvent.objects.filter(action="pillars.batch_approved").count() == 1

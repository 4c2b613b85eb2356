"""Two admissions into the last bed at the same time: only one succeeds (row lock on the bed, and
a database constraint of one active residence per bed). The threaded test needs PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import Residence
from sinergi.rehabilitation.services import residential as services
from sinergi.rehabilitation.testing import admit, ensure_reference, ensure_regions

DAY = dt.date(2026, 1, 10)


def test_the_database_refuses_a_second_active_residence_in_a_bed(db, units, roles):
    ensure_reference()
    ensure_regions()
    room = services.room_create(actor=None, unit=units.upt_a, wisma="W", name="K", beds=1)
    bed = room.beds.get()
    first = admit(units.upt_a, name="Satu", birth_on=dt.date(1950, 1, 1))
    second = admit(units.upt_a, name="Dua", birth_on=dt.date(1950, 1, 2))
    Residence.objects.create(case=first, unit=units.upt_a, bed=bed, started_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Residence.objects.create(case=second, unit=units.upt_a, bed=bed, started_on=DAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_admissions_to_the_last_bed_only_one_succeeds(
    transactional_db, units, roles
):
    ensure_reference()
    ensure_regions()
    room = services.room_create(actor=None, unit=units.upt_a, wisma="W", name="K", beds=1)
    bed = room.beds.get()
    cases = [
        admit(units.upt_a, name=f"Klien {i}", birth_on=dt.date(1950, 1, 1 + i)) for i in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def admit_one(case):
        try:
            barrier.wait(timeout=10)
            services.resident_admit(actor=None, case=case, bed=bed, admitted_on=DAY)
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit_one, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == sorted(["ok", "upt_full"], key=str)
    assert Residence.objects.filter(bed=bed, ended_on__isnull=True).count() == 1

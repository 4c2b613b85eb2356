"""The residential side: rooms and beds, admission (capacity refused with a message), bed moves,
movements with their effect on the bed and the count, leaving, the waiting list, the occupancy
summary, the daily roster of a past date, and the audit trail of every write."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import (
    Bed,
    MovementType,
    Residence,
    ResidenceEvent,
    ResidentialAuditAction,
    Room,
    WaitingListEntry,
)
from sinergi.rehabilitation.selectors import residential as selectors
from sinergi.rehabilitation.services import residential as services
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 10)


@pytest.fixture(autouse=True)
def movement_types(reference):
    services.movement_types_load(actor=None)


def _movement(code):
    return MovementType.objects.get(code=code)


def _room(unit, beds=2, name="Kamar 1", wisma="Wisma Melati"):
    return services.room_create(actor=None, unit=unit, wisma=wisma, name=name, beds=beds)


def _beds(room):
    return list(room.beds.order_by("label"))


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def room_a(units, people):
    return _room(units.upt_a, beds=2)


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


# --- Reference data --------------------------------------------------------------------------


def test_movement_types_carry_their_effect_and_the_termination_reason_to_record():
    assert _movement("cuti-pulang").effect == MovementType.Effect.AWAY
    assert _movement("rawat-inap").effect == MovementType.Effect.AWAY
    assert _movement("kembali").effect == MovementType.Effect.RETURN
    died = _movement("meninggal-dunia")
    assert died.ends_stay
    assert died.termination_reason.code == "meninggal-dunia"
    assert _movement("melarikan-diri").termination_reason.code == "melarikan-diri"
    assert all(m.source for m in MovementType.objects.all())
    # loading again changes nothing and writes no audit event
    before = AuditEvent.objects.count()
    assert services.movement_types_load(actor=None) == 0
    assert AuditEvent.objects.count() == before


# --- Rooms and beds --------------------------------------------------------------------------


def test_a_room_is_created_with_its_beds_and_audited(units, people):
    room = services.room_create(
        actor=people.head_a, unit=units.upt_a, wisma="Wisma Mawar", name="Kamar 2", beds=3
    )
    assert [b.label for b in _beds(room)] == ["1", "2", "3"]
    assert all(b.unit_id == units.upt_a.pk and b.is_active for b in _beds(room))
    assert _events("rehabilitation.room_created") == 1


def test_a_social_worker_cannot_set_up_rooms_and_nothing_is_saved(units, people):
    with pytest.raises(ApplicationError):
        services.room_create(actor=people.worker_a, unit=units.upt_a, wisma="W", name="K", beds=2)
    with pytest.raises(ApplicationError):
        services.room_create(actor=people.head_b, unit=units.upt_a, wisma="W", name="K", beds=2)
    assert Room.objects.count() == 0
    assert Bed.objects.count() == 0


def test_a_duplicate_room_or_a_bad_bed_count_is_refused(units, people, room_a):
    with pytest.raises(ApplicationError, match="already exists"):
        _room(units.upt_a, name="kamar 1", wisma="wisma melati")
    with pytest.raises(ApplicationError, match="between 1 and 60"):
        _room(units.upt_a, name="Kamar 9", beds=0)
    assert Room.objects.count() == 1
    assert Bed.objects.count() == 2


def test_an_occupied_bed_cannot_be_taken_out_of_use(units, people, room_a, case_a):
    bed = _beds(room_a)[0]
    services.resident_admit(actor=people.worker_a, case=case_a, bed=bed, admitted_on=DAY)
    with pytest.raises(ApplicationError, match="occupied"):
        services.bed_set_active(actor=people.head_a, bed=bed, is_active=False)
    free = _beds(room_a)[1]
    services.bed_set_active(actor=people.head_a, bed=free, is_active=False)
    assert selectors.occupancy_of_unit(units.upt_a).beds == 1


# --- Admission -------------------------------------------------------------------------------


def test_admission_occupies_the_bed_and_is_audited(units, people, room_a, case_a):
    bed = _beds(room_a)[0]
    residence = services.resident_admit(
        actor=people.worker_a, case=case_a, bed=bed, admitted_on=DAY, note="Datang diantar"
    )
    assert residence.bed == bed
    assert residence.unit == units.upt_a
    assert residence.is_active
    event = ResidenceEvent.objects.get(residence=residence)
    assert (event.kind, event.to_bed, event.occurred_on) == ("admitted", bed, DAY)
    row = selectors.occupancy_of_unit(units.upt_a)
    assert (row.beds, row.occupied, row.free, row.away) == (2, 1, 1, 0)
    assert _events("rehabilitation.resident_admitted") == 1


def test_admission_to_a_full_upt_is_refused_naming_the_upt_capacity_and_occupancy(
    units, people, room_a
):
    for i, bed in enumerate(_beds(room_a)):
        case = admit(units.upt_a, name=f"Penghuni {i}", birth_on=dt.date(1950, 1, 1 + i))
        services.resident_admit(actor=None, case=case, bed=bed, admitted_on=DAY)
    newcomer = admit(units.upt_a, name="Pendatang", birth_on=dt.date(1951, 2, 2))
    before = (Residence.objects.count(), ResidenceEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as caught:
        services.resident_admit(
            actor=people.worker_a, case=newcomer, bed=_beds(room_a)[0], admitted_on=DAY
        )
    assert caught.value.code == "upt_full"
    assert caught.value.message == (
        "UPT RSBD Pasuruan is full: 2 of its 2 beds are occupied. Put the client on the waiting "
        "list, or free a bed first."
    )
    after = (Residence.objects.count(), ResidenceEvent.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_the_full_message_is_indonesian_in_the_office_language(units, people, room_a):
    from django.utils import translation

    for i, bed in enumerate(_beds(room_a)):
        case = admit(units.upt_a, name=f"Penghuni {i}", birth_on=dt.date(1950, 1, 1 + i))
        services.resident_admit(actor=None, case=case, bed=bed, admitted_on=DAY)
    newcomer = admit(units.upt_a, name="Pendatang", birth_on=dt.date(1951, 2, 2))
    with translation.override("id"), pytest.raises(ApplicationError) as caught:
        services.resident_admit(actor=None, case=newcomer, bed=_beds(room_a)[0], admitted_on=DAY)
    assert "UPT RSBD Pasuruan penuh" in caught.value.message
    assert "2 dari 2 tempat tidur" in caught.value.message


def test_a_taken_bed_another_upt_bed_or_a_second_bed_are_refused(units, people, room_a, case_a):
    first, second = _beds(room_a)
    services.resident_admit(actor=None, case=case_a, bed=first, admitted_on=DAY)
    other = admit(units.upt_a, name="Lain", birth_on=dt.date(1952, 3, 3))
    with pytest.raises(ApplicationError, match="just been taken"):
        services.resident_admit(actor=None, case=other, bed=first, admitted_on=DAY)
    with pytest.raises(ApplicationError, match="already has a bed"):
        services.resident_admit(actor=None, case=case_a, bed=second, admitted_on=DAY)
    room_b = _room(units.upt_b, beds=1)
    with pytest.raises(ApplicationError, match="Choose a bed of UPT RSBD Pasuruan"):
        services.resident_admit(actor=None, case=other, bed=_beds(room_b)[0], admitted_on=DAY)
    assert Residence.objects.count() == 1


def test_admission_dates_and_permissions_are_checked(units, people, room_a, case_a):
    bed = _beds(room_a)[0]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ApplicationError, match="in the future"):
        services.resident_admit(actor=None, case=case_a, bed=bed, admitted_on=tomorrow)
    with pytest.raises(ApplicationError, match="before"):
        services.resident_admit(actor=None, case=case_a, bed=bed, admitted_on=dt.date(2025, 1, 1))
    for outsider in (people.worker_b, people.office, people.finance):
        with pytest.raises(ApplicationError, match="your own UPT"):
            services.resident_admit(actor=outsider, case=case_a, bed=bed, admitted_on=DAY)
    assert Residence.objects.count() == 0


def test_admission_takes_the_case_off_the_waiting_list(units, people, room_a, case_a):
    entry = services.waiting_add(
        actor=people.worker_a, case=case_a, requested_on=DAY, priority=1, note="Mendesak"
    )
    assert selectors.occupancy_of_unit(units.upt_a).waiting == 1
    services.resident_admit(actor=None, case=case_a, bed=_beds(room_a)[0], admitted_on=DAY)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.ADMITTED
    assert entry.closed_at is not None
    assert selectors.occupancy_of_unit(units.upt_a).waiting == 0


# --- Movements, bed moves, leaving -------------------------------------------------------------


@pytest.fixture
def resident(people, room_a, case_a):
    return services.resident_admit(
        actor=people.worker_a, case=case_a, bed=_beds(room_a)[0], admitted_on=DAY
    )


def test_home_leave_keeps_the_bed_and_counts_the_person_away_until_return(units, people, resident):
    services.movement_record(
        actor=people.worker_a2,
        residence=resident,
        movement_type=_movement("cuti-pulang"),
        occurred_on=DAY + dt.timedelta(days=2),
    )
    resident.refresh_from_db()
    assert resident.is_away
    assert resident.away_type.code == "cuti-pulang"
    assert resident.is_active
    row = selectors.occupancy_of_unit(units.upt_a)
    assert (row.occupied, row.away, row.present, row.free) == (1, 1, 0, 1)
    with pytest.raises(ApplicationError, match="already away"):
        services.movement_record(
            actor=None,
            residence=resident,
            movement_type=_movement("rawat-inap"),
            occurred_on=DAY + dt.timedelta(days=3),
        )
    services.movement_record(
        actor=people.worker_a,
        residence=resident,
        movement_type=_movement("kembali"),
        occurred_on=DAY + dt.timedelta(days=5),
    )
    resident.refresh_from_db()
    assert not resident.is_away
    assert resident.away_type is None
    assert _events("rehabilitation.movement_recorded") == 2
    with pytest.raises(ApplicationError, match="not away"):
        services.movement_record(
            actor=None,
            residence=resident,
            movement_type=_movement("kembali"),
            occurred_on=DAY + dt.timedelta(days=6),
        )


def test_a_movement_before_the_last_recorded_date_is_refused(people, resident):
    services.movement_record(
        actor=None,
        residence=resident,
        movement_type=_movement("rawat-inap"),
        occurred_on=DAY + dt.timedelta(days=4),
    )
    with pytest.raises(ApplicationError, match="before"):
        services.movement_record(
            actor=None,
            residence=resident,
            movement_type=_movement("kembali"),
            occurred_on=DAY + dt.timedelta(days=1),
        )
    assert ResidenceEvent.objects.filter(kind="movement").count() == 1


@pytest.mark.parametrize("code", ["meninggal-dunia", "melarikan-diri"])
def test_death_and_absconding_end_the_stay_free_the_bed_and_leave_the_case_open(
    units, people, resident, code
):
    services.movement_record(
        actor=people.worker_a,
        residence=resident,
        movement_type=_movement(code),
        occurred_on=DAY + dt.timedelta(days=1),
    )
    resident.refresh_from_db()
    assert resident.ended_on == DAY + dt.timedelta(days=1)
    assert resident.end_reason == Residence.EndReason.MOVEMENT
    assert resident.case.is_open  # the termination is recorded and approved the usual way
    row = selectors.occupancy_of_unit(units.upt_a)
    assert (row.occupied, row.free) == (0, 2)
    with pytest.raises(ApplicationError, match="already ended"):
        services.movement_record(
            actor=None,
            residence=resident,
            movement_type=_movement("cuti-pulang"),
            occurred_on=DAY + dt.timedelta(days=2),
        )


def test_an_absconded_client_who_comes_back_is_admitted_again(units, people, resident):
    services.movement_record(
        actor=None, residence=resident, movement_type=_movement("melarikan-diri"), occurred_on=DAY
    )
    again = services.resident_admit(
        actor=None, case=resident.case, bed=resident.bed, admitted_on=DAY + dt.timedelta(days=3)
    )
    assert again.pk != resident.pk
    assert again.is_active
    assert Residence.objects.filter(case=resident.case).count() == 2


def test_a_bed_move_changes_the_bed_and_keeps_the_history(units, people, room_a, resident):
    second = _beds(room_a)[1]
    services.resident_move_bed(
        actor=people.worker_a, residence=resident, bed=second, moved_on=DAY + dt.timedelta(days=1)
    )
    resident.refresh_from_db()
    assert resident.bed == second
    move = ResidenceEvent.objects.get(kind="bed_moved")
    assert (move.from_bed, move.to_bed) == (_beds(room_a)[0], second)
    with pytest.raises(ApplicationError, match="already in bed"):
        services.resident_move_bed(actor=None, residence=resident, bed=second, moved_on=DAY)
    assert _events("rehabilitation.resident_moved") == 1


def test_leaving_the_bed_frees_it(units, people, resident):
    services.residence_end(
        actor=people.worker_a, residence=resident, ended_on=DAY + dt.timedelta(days=30)
    )
    resident.refresh_from_db()
    assert resident.end_reason == Residence.EndReason.DISCHARGED
    assert selectors.occupancy_of_unit(units.upt_a).occupied == 0
    assert _events("rehabilitation.residence_ended") == 1


# --- Waiting list ----------------------------------------------------------------------------


def test_the_waiting_list_needs_a_reason_to_cancel(units, people, case_a):
    entry = services.waiting_add(actor=None, case=case_a, requested_on=DAY, priority=3)
    with pytest.raises(ApplicationError, match="already on the waiting list"):
        services.waiting_add(actor=None, case=case_a, requested_on=DAY, priority=3)
    with pytest.raises(ApplicationError, match="Write why"):
        services.waiting_cancel(actor=people.worker_a, entry=entry, reason="  ")
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WAITING
    services.waiting_cancel(actor=people.worker_a, entry=entry, reason="Diambil keluarga")
    entry.refresh_from_db()
    assert (entry.status, entry.cancel_reason) == ("cancelled", "Diambil keluarga")
    assert _events("rehabilitation.waiting_added") == 1
    assert _events("rehabilitation.waiting_cancelled") == 1


def test_waiting_list_is_ordered_by_priority_then_date(units, people):
    cases = [
        admit(units.upt_a, name=f"Antre {i}", birth_on=dt.date(1950, 1, 1 + i)) for i in range(3)
    ]
    services.waiting_add(actor=None, case=cases[0], requested_on=DAY, priority=3)
    services.waiting_add(actor=None, case=cases[1], requested_on=DAY, priority=1)
    services.waiting_add(
        actor=None, case=cases[2], requested_on=DAY - dt.timedelta(days=3), priority=3
    )
    order = [e.case_id for e in selectors.waiting_list(unit=units.upt_a)]
    assert order == [cases[1].pk, cases[2].pk, cases[0].pk]


# --- Occupancy summary and roster ------------------------------------------------------------


def test_the_summary_counts_each_upt_of_the_scope(units, people, room_a, resident):
    _room(units.upt_b, beds=3)
    waiting = admit(units.upt_a, name="Antre", birth_on=dt.date(1953, 1, 1))
    services.waiting_add(actor=None, case=waiting, requested_on=DAY, priority=2)
    rows, totals = selectors.occupancy_summary(viewer=people.division)
    by_unit = {r.unit.pk: (r.beds, r.occupied, r.free, r.away, r.waiting) for r in rows}
    assert by_unit == {units.upt_a.pk: (2, 1, 1, 0, 1), units.upt_b.pk: (3, 0, 3, 0, 0)}
    assert (totals.beds, totals.occupied, totals.waiting, totals.units) == (5, 1, 1, 2)
    rows, _totals = selectors.occupancy_summary(viewer=people.worker_b)
    assert [r.unit.pk for r in rows] == [units.upt_b.pk]
    rows, _totals = selectors.occupancy_summary(
        viewer=people.office, filters=selectors.OccupancyFilters(upt_type="PSTW")
    )
    assert [r.unit.pk for r in rows] == [units.upt_b.pk]


def test_the_roster_of_a_past_date_shows_who_was_present_and_who_away(
    units, people, room_a, resident
):
    other = admit(units.upt_a, name="Budi", birth_on=dt.date(1950, 5, 5))
    second = services.resident_admit(
        actor=None, case=other, bed=_beds(room_a)[1], admitted_on=DAY + dt.timedelta(days=5)
    )
    services.movement_record(
        actor=None,
        residence=resident,
        movement_type=_movement("rawat-inap"),
        occurred_on=DAY + dt.timedelta(days=2),
    )
    services.movement_record(
        actor=None,
        residence=resident,
        movement_type=_movement("kembali"),
        occurred_on=DAY + dt.timedelta(days=8),
    )
    services.residence_end(actor=None, residence=second, ended_on=DAY + dt.timedelta(days=9))

    def state(day):
        return [
            (r.client_name, r.bed, r.away_type)
            for r in selectors.roster(unit=units.upt_a, on=DAY + dt.timedelta(days=day))
        ]

    assert state(0) == [("Siti Aminah", "1", "")]
    assert state(3) == [("Siti Aminah", "1", "Rawat inap di rumah sakit")]
    assert state(6) == [
        ("Siti Aminah", "1", "Rawat inap di rumah sakit"),
        ("Budi", "2", ""),
    ]
    assert state(8) == [("Siti Aminah", "1", ""), ("Budi", "2", "")]
    assert state(9) == [("Siti Aminah", "1", "")]
    assert state(-1) == []


def test_the_roster_shows_the_bed_held_on_that_date(units, people, room_a, resident):
    services.resident_move_bed(
        actor=None, residence=resident, bed=_beds(room_a)[1], moved_on=DAY + dt.timedelta(days=4)
    )
    assert [r.bed for r in selectors.roster(unit=units.upt_a, on=DAY + dt.timedelta(days=1))] == [
        "1"
    ]
    assert [r.bed for r in selectors.roster(unit=units.upt_a, on=DAY + dt.timedelta(days=4))] == [
        "2"
    ]


# --- Closing a case frees the bed ------------------------------------------------------------


def _resident_in_aftercare(units, people, room, terminated_on=dt.date(2026, 1, 31)):
    """A resident of UPT A whose case is terminated and in aftercare, still holding a bed."""
    from sinergi.rehabilitation import services as case_services
    from sinergi.rehabilitation.models import Stage, TerminationReason

    case = admit(units.upt_a, social_worker=people.worker_a, admitted_on=dt.date(2025, 6, 1))
    residence = services.resident_admit(
        actor=None, case=case, bed=_beds(room)[0], admitted_on=dt.date(2025, 6, 2)
    )
    case = case_services.case_advance(
        actor=None,
        case=case,
        expected_version=case.version,
        to_stage=Stage.objects.get(code="terminasi"),
        reason="Data lama",
        termination_reason=TerminationReason.objects.get(code="kembali-ke-keluarga"),
        termination_on=terminated_on,
        destination_address="Rumah keluarga, Dusun Krajan",
    )
    case = case_services.case_approve_stage(
        actor=people.head_a, case=case, expected_version=case.version
    )
    case = case_services.case_advance(
        actor=people.worker_a, case=case, expected_version=case.version
    )
    return case, residence


def _record_follow_ups(case, actor):
    from sinergi.rehabilitation import services as case_services
    from sinergi.rehabilitation.models import FollowUp

    for follow_up in FollowUp.objects.filter(case=case).order_by("number"):
        case_services.follow_up_record(
            actor=actor,
            follow_up=follow_up,
            done_on=timezone.localdate(),
            method=FollowUp.Method.VISIT,
            condition="Sehat",
            outcome="Stabil",
        )


def test_closing_the_case_frees_the_bed_in_the_same_transaction(units, people, room_a):
    from sinergi.rehabilitation import services as case_services
    from sinergi.rehabilitation.models import AuditAction, Case

    case, residence = _resident_in_aftercare(units, people, room_a)
    assert [r.pk for r in selectors.leaving_residents(unit=units.upt_a)] == [residence.pk]
    _record_follow_ups(case, people.worker_a)
    before = AuditEvent.objects.count()
    closed = case_services.case_close(
        actor=people.worker_a, case=case, expected_version=case.version
    )
    assert closed.status == Case.Status.CLOSED
    residence.refresh_from_db()
    # the stay ended on the termination date, as discharged, with its event
    assert (residence.ended_on, residence.end_reason) == (
        dt.date(2026, 1, 31),
        Residence.EndReason.DISCHARGED,
    )
    ended = ResidenceEvent.objects.get(residence=residence, kind=ResidenceEvent.Kind.ENDED)
    assert (ended.occurred_on, ended.from_bed_id, ended.actor) == (
        dt.date(2026, 1, 31),
        _beds(room_a)[0].pk,
        people.worker_a,
    )
    assert selectors.occupancy_of_unit(units.upt_a).occupied == 0
    assert selectors.free_beds(unit=units.upt_a).count() == 2
    assert selectors.leaving_residents(unit=units.upt_a) == []
    # exactly two audit events: the bed freed, then the case closed
    events = list(AuditEvent.objects.order_by("pk")[before:].values_list("action", "target_id"))
    assert events == [
        (ResidentialAuditAction.RESIDENCE_ENDED, str(case.pk)),
        (AuditAction.CASE_CLOSED, str(case.pk)),
    ]
    freed = AuditEvent.objects.get(action=ResidentialAuditAction.RESIDENCE_ENDED)
    assert freed.changes == {"ended_on": [None, "2026-01-31"]}
    assert freed.extra["reason"] == "case_closed"


def test_a_refused_closing_keeps_the_bed(units, people, room_a):
    from sinergi.rehabilitation import services as case_services

    case, residence = _resident_in_aftercare(units, people, room_a)
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:  # follow-ups not recorded yet
        case_services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    assert refused.value.code == "follow_ups_pending"
    residence.refresh_from_db()
    assert residence.ended_on is None
    assert not ResidenceEvent.objects.filter(kind=ResidenceEvent.Kind.ENDED).exists()
    assert AuditEvent.objects.count() == before


def test_a_stay_that_ends_after_the_termination_date_ends_on_its_last_date(units, people, room_a):
    """A movement recorded after the termination date: the stay cannot end before it."""
    from sinergi.rehabilitation import services as case_services

    case, residence = _resident_in_aftercare(units, people, room_a, dt.date(2026, 1, 31))
    services.movement_record(
        actor=None,
        residence=residence,
        movement_type=_movement("cuti-pulang"),
        occurred_on=dt.date(2026, 2, 10),
    )
    _record_follow_ups(case, people.worker_a)
    case.refresh_from_db()
    case_services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    residence.refresh_from_db()
    assert (residence.ended_on, residence.is_away) == (dt.date(2026, 2, 10), False)


def test_closing_a_case_without_a_bed_takes_it_off_the_waiting_list(units, people, room_a):
    from sinergi.rehabilitation import services as case_services

    case, residence = _resident_in_aftercare(units, people, room_a)
    services.residence_end(actor=None, residence=residence, ended_on=dt.date(2026, 1, 31))
    # an entry made before the termination (legacy state: waiting is refused once terminated)
    entry = WaitingListEntry.objects.create(
        case=case, unit=units.upt_a, requested_on=dt.date(2025, 6, 1)
    )
    _record_follow_ups(case, people.worker_a)
    case.refresh_from_db()
    before = AuditEvent.objects.count()
    case_services.case_close(actor=people.worker_a, case=case, expected_version=case.version)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.CANCELLED
    assert entry.cancel_reason
    freed = AuditEvent.objects.order_by("pk")[before]
    assert freed.action == ResidentialAuditAction.RESIDENCE_ENDED
    assert freed.extra == {"residence": None, "reason": "case_closed", "waiting_list_closed": 1}
    assert ResidenceEvent.objects.filter(kind=ResidenceEvent.Kind.ENDED).count() == 1


# --- Demo data -------------------------------------------------------------------------------


def test_demo_sizes_beds_from_the_official_capacity_and_is_idempotent(units, people):
    from io import StringIO

    from sinergi.organisation.models import Unit
    from sinergi.rehabilitation import demo
    from sinergi.rehabilitation.models import Case, ClientDocument, ConsentRecord

    Unit.objects.filter(pk=units.upt_a.pk).update(regency_id="35.14", capacity=30)
    Unit.objects.filter(pk=units.upt_b.pk).update(regency_id="35.20")  # capacity not known
    demo.load(StringIO())
    row_a = selectors.occupancy_of_unit(Unit.objects.get(pk=units.upt_a.pk))
    assert row_a.beds == 30
    assert 0.85 * 30 <= row_a.occupied <= 0.95 * 30
    assert row_a.waiting == 1
    assert row_a.away == 2
    cases_a = Case.objects.filter(unit=units.upt_a).select_related("client")
    assert cases_a.count() > 14  # residents added to fill the beds
    niks = [c.client.nik for c in cases_a if c.client.nik]
    assert len(niks) > 14
    assert all(nik.startswith("3514") for nik in niks)
    # the added residents have their casework too: assessments past stage 1, plans from stage 3
    past_intake = cases_a.filter(status=Case.Status.OPEN, stage__number__gte=2)
    assert past_intake.count() > 10
    assert not past_intake.filter(assessments__isnull=True).exists()
    assert not past_intake.filter(stage__number__gte=3, plans__isnull=True).exists()
    # without an official capacity the beds follow the residents the demo admitted
    row_b = selectors.occupancy_of_unit(units.upt_b)
    assert row_b.occupied < row_b.beds <= row_b.occupied + 2
    assert Case.objects.filter(unit=units.upt_b).count() == 15  # 14 and one returned
    # consent: care for every resident, data sharing for most, publication for a few, one withdrawn
    residents = Residence.objects.filter(ended_on__isnull=True).values("case__client")
    care = ConsentRecord.objects.filter(scope="care", client__in=residents)
    assert care.count() == residents.count()
    sharing = ConsentRecord.objects.filter(scope="data_sharing").count()
    assert residents.count() / 2 < sharing < residents.count()
    assert 0 < ConsentRecord.objects.filter(scope="publication").count() < sharing
    assert ConsentRecord.objects.filter(withdrawn_on__isnull=False).count() == 1
    assert ClientDocument.objects.count() > 0
    for document in ClientDocument.objects.all():
        document.file.open("rb")
        head = document.file.read(8)
        document.file.close()
        assert head.startswith(b"%PDF-") or head.startswith(b"\x89PNG")
    before = (
        Bed.objects.count(),
        Residence.objects.count(),
        ConsentRecord.objects.count(),
        ClientDocument.objects.count(),
        Case.objects.count(),
    )
    demo.load(StringIO())
    assert (
        Bed.objects.count(),
        Residence.objects.count(),
        ConsentRecord.objects.count(),
        ClientDocument.objects.count(),
        Case.objects.count(),
    ) == before

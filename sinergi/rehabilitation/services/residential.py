"""Writes of the residential side: rooms and beds, admission into a bed, bed moves, movements
(home leave, hospital, returned, absconded, died), leaving the bed and the waiting list.

Rules (docs/guide/11-hunian.md): capacity is the number of active beds; a bed holds one active
residence (database constraint, and the bed row is locked while admitting, so two admissions into
the last bed cannot both succeed); a resident away keeps the bed and is counted; a movement that
ends the stay frees the bed at once and leaves the case open for its termination. Any social
worker or the head of the UPT records these for the UPT's residents (`add_residence`); the head
of UPT sets up rooms and beds (`manage_beds`).
"""

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import (
    Bed,
    Case,
    MovementType,
    Residence,
    ResidenceEvent,
    ResidentialAuditAction,
    Room,
    TerminationReason,
    WaitingListEntry,
)
from sinergi.rehabilitation.services.common import full_clean_or_error

DATA = Path(__file__).resolve().parent.parent / "data"
MAX_BEDS_PER_ROOM = 60


# --- Who may ---------------------------------------------------------------------------------


def _require(actor: Any, permission: str, unit: Any) -> None:
    """`actor` holds `permission` and `unit` lies in their scope (None: the system itself)."""
    if actor is None:
        return
    if not actor.has_perm(permission) or not unit_in_scope(actor, unit):
        raise ApplicationError(
            _("You can only record this for the residents of your own UPT."),
            code="forbidden",
        )


def _check_date(value: dt.date, *, field: str, not_before: dt.date | None = None) -> None:
    if value > timezone.localdate():
        raise ApplicationError(
            _("The date %(date)s is in the future. Enter the day it happened.")
            % {"date": value.strftime("%d-%m-%Y")},
            field_errors={field: [_("The date cannot be in the future.")]},
        )
    if not_before is not None and value < not_before:
        raise ApplicationError(
            _("The date %(date)s is before %(earliest)s, the last date recorded. Check the date.")
            % {"date": value.strftime("%d-%m-%Y"), "earliest": not_before.strftime("%d-%m-%Y")},
            field_errors={field: [_("Enter a later date.")]},
        )


# --- Reference data --------------------------------------------------------------------------


@transaction.atomic
def movement_types_load(*, actor: Any) -> int:
    """Upsert the movement types from rehabilitation/data/movement_types.csv; returns how many
    rows were created or changed (one audit event when any)."""
    changed = 0
    with (DATA / "movement_types.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        reason = (
            TerminationReason.objects.filter(code=row["termination_reason"]).first()
            if row["termination_reason"]
            else None
        )
        wanted: dict[str, Any] = {
            "number": int(row["number"]),
            "name": row["name"],
            "name_en": row["name_en"],
            "effect": row["effect"],
            "termination_reason_id": reason.pk if reason else None,
            "source": row["source"],
            "effective_from": dt.date.fromisoformat(row["effective_from"]),
        }
        current = MovementType.objects.filter(code=row["code"]).first()
        if current is None:
            MovementType.objects.create(code=row["code"], **wanted)
            changed += 1
        elif any(getattr(current, k) != v for k, v in wanted.items()):
            MovementType.objects.filter(pk=current.pk).update(**wanted)
            changed += 1
    if changed:
        audit.record(
            actor=actor,
            action=ResidentialAuditAction.MOVEMENT_TYPES_LOADED,
            extra={"changed": changed},
        )
    return changed


# --- Rooms and beds --------------------------------------------------------------------------


@transaction.atomic
def room_create(
    *, actor: Any, unit: Any, wisma: str, name: str, beds: int, notes: str = ""
) -> Room:
    """A room of a UPT with `beds` beds labelled 1..n."""
    if unit is None or not unit.unit_type.is_service_unit:
        raise ApplicationError(
            _("Rooms and beds belong to a UPT. Choose a UPT."),
            field_errors={"unit": [_("Choose a UPT.")]},
        )
    _require(actor, "rehabilitation.manage_beds", unit)
    if not 1 <= beds <= MAX_BEDS_PER_ROOM:
        raise ApplicationError(
            _("A room has between 1 and %(max)s beds. Enter the number of beds in the room.")
            % {"max": MAX_BEDS_PER_ROOM},
            field_errors={
                "beds": [_("Enter a number from 1 to %(max)s.") % {"max": MAX_BEDS_PER_ROOM}]
            },
        )
    wisma, name = wisma.strip(), name.strip()
    if Room.objects.filter(unit=unit, wisma__iexact=wisma, name__iexact=name).exists():
        raise ApplicationError(
            _('The room "%(name)s" already exists in wisma "%(wisma)s". Choose another name.')
            % {"name": name, "wisma": wisma},
            field_errors={"name": [_("This room already exists.")]},
        )
    room = Room(unit=unit, wisma=wisma, name=name, notes=notes.strip())
    full_clean_or_error(room)
    room.save(force_insert=True)
    Bed.objects.bulk_create(
        Bed(room=room, unit=unit, label=str(number)) for number in range(1, beds + 1)
    )
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.ROOM_CREATED,
        target=room,
        changes={"wisma": [None, wisma], "name": [None, name], "beds": [None, beds]},
        extra={"unit": unit.pk},
    )
    return room


@transaction.atomic
def bed_set_active(*, actor: Any, bed: Bed, is_active: bool) -> Bed:
    """Take a bed into use or out of use; an occupied bed cannot be taken out of use."""
    bed = Bed.objects.select_for_update().select_related("room").get(pk=bed.pk)
    _require(actor, "rehabilitation.manage_beds", bed.unit)
    if bed.is_active == is_active:
        return bed
    if not is_active and Residence.objects.filter(bed=bed, ended_on__isnull=True).exists():
        raise ApplicationError(
            _(
                "Bed %(bed)s is occupied. Move the resident to another bed first, then take "
                "this bed out of use."
            )
            % {"bed": str(bed)},
            code="bed_occupied",
        )
    Bed.objects.filter(pk=bed.pk).update(is_active=is_active, updated_at=timezone.now())
    bed.is_active = is_active
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.BED_CHANGED,
        target=bed,
        changes={"is_active": [not is_active, is_active]},
    )
    return bed


# --- Admission -------------------------------------------------------------------------------


def occupancy_of(unit: Any) -> tuple[int, int]:
    """(active beds, active residences) of a UPT: its capacity and occupancy right now."""
    capacity = Bed.objects.filter(unit=unit, is_active=True).count()
    occupied = Residence.objects.filter(unit=unit, ended_on__isnull=True).count()
    return capacity, occupied


def _full_error(unit: Any, capacity: int, occupied: int) -> ApplicationError:
    return ApplicationError(
        _(
            "%(unit)s is full: %(occupied)s of its %(capacity)s beds are occupied. Put the "
            "client on the waiting list, or free a bed first."
        )
        % {"unit": unit.name, "occupied": occupied, "capacity": capacity},
        code="upt_full",
        field_errors={"bed": [_("No bed is free.")]},
    )


@transaction.atomic
def resident_admit(
    *, actor: Any, case: Case, bed: Bed, admitted_on: dt.date, note: str = ""
) -> Residence:
    """Admit the client of an open case into a free, active bed of the case's UPT. A full UPT is
    refused with its capacity and occupancy; the waiting list entry of the case, if any, is taken
    off as admitted."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    _require(actor, "rehabilitation.add_residence", case.unit)
    if not case.is_open or case.termination_on is not None:
        raise ApplicationError(
            _("Only a client with an open case that is not terminated can be admitted into a bed."),
            code="case_not_open",
        )
    # Lock the bed: a second admission into the same bed waits here, then sees it taken.
    bed = Bed.objects.select_for_update().select_related("room").get(pk=bed.pk)
    if bed.unit_id != case.unit_id:
        raise ApplicationError(
            _("Choose a bed of %(unit)s, the UPT of this case.") % {"unit": case.unit.name},
            field_errors={"bed": [_("Choose a bed of this UPT.")]},
        )
    if Residence.objects.filter(case=case, ended_on__isnull=True).exists():
        raise ApplicationError(
            _('This client already has a bed. Use "Move to another bed" to change it.'),
            code="already_resident",
        )
    _check_date(admitted_on, field="admitted_on", not_before=case.admitted_on)
    capacity, occupied = occupancy_of(case.unit)
    if occupied >= capacity:
        raise _full_error(case.unit, capacity, occupied)
    if not bed.is_active:
        raise ApplicationError(
            _("Bed %(bed)s is not in use. Choose another bed.") % {"bed": str(bed)},
            field_errors={"bed": [_("Choose a bed in use.")]},
        )
    if Residence.objects.filter(bed=bed, ended_on__isnull=True).exists():
        raise ApplicationError(
            _("Bed %(bed)s has just been taken. Choose another free bed.") % {"bed": str(bed)},
            code="bed_taken",
            field_errors={"bed": [_("This bed is taken.")]},
        )
    residence = Residence(case=case, unit=case.unit, bed=bed, started_on=admitted_on)
    try:
        with transaction.atomic():
            residence.save(force_insert=True)
    except IntegrityError:
        # The constraint caught what the lock could not (e.g. SQLite has no row locks).
        raise ApplicationError(
            _("Bed %(bed)s has just been taken. Choose another free bed.") % {"bed": str(bed)},
            code="bed_taken",
            field_errors={"bed": [_("This bed is taken.")]},
        ) from None
    now = timezone.now()
    ResidenceEvent.objects.create(
        residence=residence,
        kind=ResidenceEvent.Kind.ADMITTED,
        occurred_on=admitted_on,
        to_bed=bed,
        note=note.strip(),
        actor=actor,
        at=now,
    )
    waiting = WaitingListEntry.objects.filter(case=case, status=WaitingListEntry.Status.WAITING)
    took_off = waiting.update(
        status=WaitingListEntry.Status.ADMITTED, closed_at=now, updated_at=now
    )
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.RESIDENT_ADMITTED,
        target=case,
        changes={"bed": [None, str(bed)], "started_on": [None, admitted_on.isoformat()]},
        extra={"residence": residence.pk, "waiting_list_closed": took_off},
    )
    return residence


def _locked_residence(residence: Residence) -> Residence:
    current = (
        Residence.objects.select_for_update(of=("self",))
        .select_related("unit", "bed", "bed__room", "case")
        .get(pk=residence.pk)
    )
    if current.ended_on is not None:
        raise ApplicationError(
            _("This stay has already ended. Reload the page to see the latest state."),
            code="residence_ended",
        )
    return current


def _last_date(residence: Residence) -> dt.date:
    last = (
        ResidenceEvent.objects.filter(residence=residence)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    return last or residence.started_on


@transaction.atomic
def resident_move_bed(
    *, actor: Any, residence: Residence, bed: Bed, moved_on: dt.date, note: str = ""
) -> Residence:
    """Move a resident to another free, active bed of the same UPT."""
    residence = _locked_residence(residence)
    _require(actor, "rehabilitation.add_residence", residence.unit)
    target = Bed.objects.select_for_update().select_related("room").get(pk=bed.pk)
    if target.pk == residence.bed_id:
        raise ApplicationError(
            _("The resident is already in bed %(bed)s. Choose another bed.") % {"bed": str(target)},
            field_errors={"bed": [_("Choose another bed.")]},
        )
    if target.unit_id != residence.unit_id or not target.is_active:
        raise ApplicationError(
            _("Choose a bed in use of %(unit)s.") % {"unit": residence.unit.name},
            field_errors={"bed": [_("Choose a bed in use of this UPT.")]},
        )
    if Residence.objects.filter(bed=target, ended_on__isnull=True).exists():
        raise ApplicationError(
            _("Bed %(bed)s is taken. Choose a free bed.") % {"bed": str(target)},
            code="bed_taken",
            field_errors={"bed": [_("This bed is taken.")]},
        )
    _check_date(moved_on, field="moved_on", not_before=_last_date(residence))
    old_bed = residence.bed
    try:
        with transaction.atomic():
            Residence.objects.filter(pk=residence.pk).update(bed=target, updated_at=timezone.now())
    except IntegrityError:
        raise ApplicationError(
            _("Bed %(bed)s is taken. Choose a free bed.") % {"bed": str(target)},
            code="bed_taken",
        ) from None
    residence.bed = target
    ResidenceEvent.objects.create(
        residence=residence,
        kind=ResidenceEvent.Kind.BED_MOVED,
        occurred_on=moved_on,
        from_bed=old_bed,
        to_bed=target,
        note=note.strip(),
        actor=actor,
        at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.RESIDENT_MOVED,
        target=residence.case,
        changes={"bed": [str(old_bed), str(target)]},
        extra={"residence": residence.pk},
    )
    return residence


def _end(
    residence: Residence,
    *,
    actor: Any,
    ended_on: dt.date,
    reason: str,
    movement_type: MovementType | None = None,
    note: str = "",
) -> Residence:
    """End a locked, active residence (frees the bed) with its event; the caller audits."""
    now = timezone.now()
    Residence.objects.filter(pk=residence.pk).update(
        ended_on=ended_on,
        end_reason=reason,
        is_away=False,
        away_type=None,
        updated_at=now,
    )
    ResidenceEvent.objects.create(
        residence=residence,
        kind=ResidenceEvent.Kind.MOVEMENT if movement_type else ResidenceEvent.Kind.ENDED,
        movement_type=movement_type,
        occurred_on=ended_on,
        from_bed=residence.bed,
        note=note.strip(),
        actor=actor,
        at=now,
    )
    residence.refresh_from_db()
    return residence


@transaction.atomic
def movement_record(
    *,
    actor: Any,
    residence: Residence,
    movement_type: MovementType,
    occurred_on: dt.date,
    note: str = "",
) -> Residence:
    """Record a movement. Going away needs the resident present, returning needs them away; a
    movement that ends the stay (absconded, died) frees the bed and leaves the case open for its
    termination with the movement's termination reason."""
    residence = _locked_residence(residence)
    _require(actor, "rehabilitation.add_residence", residence.unit)
    if not movement_type.is_active:
        raise ApplicationError(
            _("This kind of movement is no longer used. Choose another."),
            field_errors={"movement_type": [_("Choose another movement.")]},
        )
    _check_date(occurred_on, field="occurred_on", not_before=_last_date(residence))
    Effect = MovementType.Effect
    was_away = residence.is_away
    if movement_type.effect == Effect.AWAY and residence.is_away:
        raise ApplicationError(
            _("The resident is already away. Record the return first."),
            code="already_away",
            field_errors={"movement_type": [_("Record the return first.")]},
        )
    if movement_type.effect == Effect.RETURN and not residence.is_away:
        raise ApplicationError(
            _("The resident is not away, so there is no return to record."),
            code="not_away",
            field_errors={"movement_type": [_("The resident is present.")]},
        )
    if movement_type.effect == Effect.END:
        residence = _end(
            residence,
            actor=actor,
            ended_on=occurred_on,
            reason=Residence.EndReason.MOVEMENT,
            movement_type=movement_type,
            note=note,
        )
    else:
        away = movement_type.effect == Effect.AWAY
        Residence.objects.filter(pk=residence.pk).update(
            is_away=away, away_type=movement_type if away else None, updated_at=timezone.now()
        )
        residence.is_away = away
        residence.away_type = movement_type if away else None
        ResidenceEvent.objects.create(
            residence=residence,
            kind=ResidenceEvent.Kind.MOVEMENT,
            movement_type=movement_type,
            occurred_on=occurred_on,
            note=note.strip(),
            actor=actor,
            at=timezone.now(),
        )
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.MOVEMENT_RECORDED,
        target=residence.case,
        changes={
            "is_away": [was_away, residence.is_away],
            "ended_on": [None, residence.ended_on.isoformat() if residence.ended_on else None],
        },
        extra={
            "residence": residence.pk,
            "movement": movement_type.code,
            "on": occurred_on.isoformat(),
        },
    )
    return residence


@transaction.atomic
def residence_end(
    *, actor: Any, residence: Residence, ended_on: dt.date, note: str = ""
) -> Residence:
    """The resident leaves the bed (discharged home, placed, taken by the family): frees it."""
    residence = _locked_residence(residence)
    _require(actor, "rehabilitation.add_residence", residence.unit)
    _check_date(ended_on, field="ended_on", not_before=_last_date(residence))
    residence = _end(
        residence, actor=actor, ended_on=ended_on, reason=Residence.EndReason.DISCHARGED, note=note
    )
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.RESIDENCE_ENDED,
        target=residence.case,
        changes={"ended_on": [None, ended_on.isoformat()]},
        extra={"residence": residence.pk, "reason": Residence.EndReason.DISCHARGED},
    )
    return residence


def _end_with_case(*, actor: Any, case: Case, ended_on: dt.date, reason: str) -> Residence | None:
    """End the case's active residence, if any, on `ended_on` (never before the last recorded
    date of the stay). Runs inside the transaction that closes or transfers the case."""
    active = Residence.objects.filter(case=case, ended_on__isnull=True).first()
    if active is None:
        return None
    residence = _locked_residence(active)
    ended_on = max(ended_on, _last_date(residence))
    return _end(residence, actor=actor, ended_on=ended_on, reason=reason)


def residence_end_for_transfer(*, actor: Any, case: Case, ended_on: dt.date) -> Residence | None:
    """Inside a transfer's transaction: end the case's active residence, if any (audited there)."""
    return _end_with_case(
        actor=actor, case=case, ended_on=ended_on, reason=Residence.EndReason.TRANSFERRED
    )


def residence_end_for_closure(*, actor: Any, case: Case, ended_on: dt.date) -> Residence | None:
    """Inside the transaction that closes `case`: free its bed (the stay ends on `ended_on`, or
    on the last recorded date when later) and take it off the waiting list; one audit event when
    anything changed. Returns the ended residence, if there was one."""
    residence = _end_with_case(
        actor=actor,
        case=case,
        ended_on=ended_on,
        reason=Residence.EndReason.DISCHARGED,
    )
    now = timezone.now()
    took_off = WaitingListEntry.objects.filter(
        case=case, status=WaitingListEntry.Status.WAITING
    ).update(
        status=WaitingListEntry.Status.CANCELLED,
        cancel_reason=_("The case was closed."),
        closed_at=now,
        updated_at=now,
    )
    if residence is not None or took_off:
        audit.record(
            actor=actor,
            action=ResidentialAuditAction.RESIDENCE_ENDED,
            target=case,
            changes=(
                {"ended_on": [None, residence.ended_on.isoformat()]}
                if residence is not None and residence.ended_on is not None
                else None
            ),
            extra={
                "residence": residence.pk if residence is not None else None,
                "reason": "case_closed",
                "waiting_list_closed": took_off,
            },
        )
    return residence


# --- Waiting list ----------------------------------------------------------------------------


@transaction.atomic
def waiting_add(
    *, actor: Any, case: Case, requested_on: dt.date, priority: int, note: str = ""
) -> WaitingListEntry:
    """Put an open case without a bed on its UPT's waiting list (once)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    _require(actor, "rehabilitation.add_residence", case.unit)
    if not case.is_open or case.termination_on is not None:
        raise ApplicationError(
            _("Only a client with an open case that is not terminated can wait for a bed."),
            code="case_not_open",
        )
    if Residence.objects.filter(case=case, ended_on__isnull=True).exists():
        raise ApplicationError(
            _("This client already has a bed and does not need to wait."), code="already_resident"
        )
    if WaitingListEntry.objects.filter(case=case, status=WaitingListEntry.Status.WAITING).exists():
        raise ApplicationError(
            _("This client is already on the waiting list."), code="already_waiting"
        )
    _check_date(requested_on, field="requested_on")
    entry = WaitingListEntry(
        case=case,
        unit=case.unit,
        requested_on=requested_on,
        priority=priority,
        note=note.strip(),
        added_by=actor,
    )
    full_clean_or_error(entry, validate_constraints=False)
    entry.save(force_insert=True)
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.WAITING_ADDED,
        target=case,
        changes={"priority": [None, priority], "requested_on": [None, requested_on.isoformat()]},
        extra={"entry": entry.pk},
    )
    return entry


@transaction.atomic
def waiting_cancel(*, actor: Any, entry: WaitingListEntry, reason: str) -> WaitingListEntry:
    """Take a waiting case off the list; the reason is required."""
    entry = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("unit", "case")
        .get(pk=entry.pk)
    )
    _require(actor, "rehabilitation.add_residence", entry.unit)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write why the client is taken off the waiting list."),
            field_errors={"reason": [_("Write the reason.")]},
        )
    if entry.status != WaitingListEntry.Status.WAITING:
        raise ApplicationError(
            _("This client is no longer on the waiting list. Reload the page."),
            code="not_waiting",
        )
    now = timezone.now()
    WaitingListEntry.objects.filter(pk=entry.pk).update(
        status=WaitingListEntry.Status.CANCELLED,
        cancel_reason=reason,
        closed_at=now,
        updated_at=now,
    )
    entry.refresh_from_db()
    audit.record(
        actor=actor,
        action=ResidentialAuditAction.WAITING_CANCELLED,
        target=entry.case,
        changes={"status": [WaitingListEntry.Status.WAITING, WaitingListEntry.Status.CANCELLED]},
        extra={"entry": entry.pk, "reason": reason},
    )
    return entry

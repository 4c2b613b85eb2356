"""Reads of the residential side, scoped to the viewer: occupancy per UPT (one query for every
UPT of the scope), rooms and beds with their occupants, the waiting list, the daily roster of a
date, and the residence panel of a case."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from sinergi.accounts.permissions import access_object, scope_queryset, unit_in_scope
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.models import (
    Bed,
    Case,
    MovementType,
    Residence,
    ResidenceEvent,
    Room,
    WaitingListEntry,
)

# --- Who may ---------------------------------------------------------------------------------


def can_manage_residents(viewer: Any, unit: Any) -> bool:
    """Admissions, bed moves, movements and the waiting list of `unit` (social worker, head)."""
    return bool(viewer.has_perm("rehabilitation.add_residence") and unit_in_scope(viewer, unit))


def can_manage_beds(viewer: Any, unit: Any) -> bool:
    """Rooms and beds of `unit` (head of UPT)."""
    return bool(viewer.has_perm("rehabilitation.manage_beds") and unit_in_scope(viewer, unit))


# --- Occupancy summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class OccupancyFilters:
    upt_type: str = ""
    regency: str = ""
    only_full: bool = False


@dataclass
class OccupancyRow:
    unit: Unit
    beds: int
    occupied: int
    away: int
    waiting: int

    @property
    def official_capacity(self) -> int | None:
        return self.unit.capacity

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied, 0)

    @property
    def present(self) -> int:
        return self.occupied - self.away

    @property
    def percent(self) -> float | None:
        return self.occupied * 100 / self.beds if self.beds else None

    @property
    def is_full(self) -> bool:
        return self.beds > 0 and self.occupied >= self.beds


@dataclass
class OccupancyTotals:
    beds: int = 0
    occupied: int = 0
    away: int = 0
    waiting: int = 0
    official_capacity: int = 0
    units: int = 0

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied, 0)

    @property
    def present(self) -> int:
        return self.occupied - self.away

    @property
    def percent(self) -> float | None:
        return self.occupied * 100 / self.beds if self.beds else None


def service_units(*, viewer: Any) -> QuerySet[Unit]:
    """The active UPT of the viewer's scope."""
    qs = Unit.objects.filter(unit_type__is_service_unit=True, is_active=True)
    return scope_queryset(qs, viewer, unit_path_field="path")


def occupancy_units(*, viewer: Any, filters: OccupancyFilters | None = None) -> QuerySet[Unit]:
    """The UPT of the viewer's scope that the summary lists, filtered."""
    filters = filters or OccupancyFilters()
    qs = service_units(viewer=viewer)
    if filters.upt_type:
        qs = qs.filter(upt_type__code=filters.upt_type)
    if filters.regency:
        qs = qs.filter(regency_id=filters.regency)
    return qs.select_related("upt_type").order_by("name", "pk")


def occupancy_figures(units: QuerySet[Unit]) -> dict[Any, tuple[int, int, int, int]]:
    """unit id -> (beds, occupied, away, waiting) of the UPT of `units`, in ONE statement: the
    grouped counts of the beds in use, the active stays and the open waiting entries (each on the
    partial index of its active rows, so the ended history is never read), joined by UNION ALL."""
    scope = units.order_by().values("pk")
    zero = Value(0, output_field=IntegerField())
    beds = (
        Bed.objects.filter(unit_id__in=scope, is_active=True)
        .values_list("unit_id")
        .annotate(kind=Value(0, output_field=IntegerField()), n=Count("*"), away=zero)
        .order_by()
    )
    stays = (
        Residence.objects.filter(unit_id__in=scope, ended_on__isnull=True)
        .values_list("unit_id")
        .annotate(
            kind=Value(1, output_field=IntegerField()),
            n=Count("*"),
            away=Count("pk", filter=Q(is_away=True)),
        )
        .order_by()
    )
    waiting = (
        WaitingListEntry.objects.filter(unit_id__in=scope, status=WaitingListEntry.Status.WAITING)
        .values_list("unit_id")
        .annotate(kind=Value(2, output_field=IntegerField()), n=Count("*"), away=zero)
        .order_by()
    )
    figures: dict[Any, list[int]] = {}
    for pk, kind, n, away in beds.union(stays, waiting, all=True).order_by():
        row = figures.setdefault(pk, [0, 0, 0, 0])
        if kind == 0:
            row[0] = n
        elif kind == 1:
            row[1], row[2] = n, away
        else:
            row[3] = n
    return {pk: (b, o, a, w) for pk, (b, o, a, w) in figures.items()}


def occupancy_summary(
    *, viewer: Any, filters: OccupancyFilters | None = None
) -> tuple[list[OccupancyRow], OccupancyTotals]:
    """One row per UPT of the viewer's scope and the totals over them (two queries whatever
    the number of UPT, stays or history)."""
    filters = filters or OccupancyFilters()
    units_qs = occupancy_units(viewer=viewer, filters=filters)
    units = list(units_qs)
    figures = occupancy_figures(units_qs) if units else {}
    rows = []
    for unit in units:
        beds, occupied, away, waiting = figures.get(unit.pk, (0, 0, 0, 0))
        rows.append(
            OccupancyRow(unit=unit, beds=beds, occupied=occupied, away=away, waiting=waiting)
        )
    if filters.only_full:
        rows = [r for r in rows if r.is_full]
    totals = OccupancyTotals()
    for row in rows:
        totals.beds += row.beds
        totals.occupied += row.occupied
        totals.away += row.away
        totals.waiting += row.waiting
        totals.official_capacity += row.official_capacity or 0
        totals.units += 1
    return rows, totals


def occupancy_of_unit(unit: Unit) -> OccupancyRow:
    """The occupancy row of one UPT (already access-checked), in one statement."""
    figures = occupancy_figures(Unit.objects.filter(pk=unit.pk))
    beds, occupied, away, waiting = figures.get(unit.pk, (0, 0, 0, 0))
    return OccupancyRow(unit=unit, beds=beds, occupied=occupied, away=away, waiting=waiting)


def upt_unit_get(*, viewer: Any, pk: Any) -> Unit:
    """One active UPT of the viewer's scope, or Http404."""
    qs = Unit.objects.filter(unit_type__is_service_unit=True).select_related("upt_type", "regency")
    return access_object(qs, viewer, unit_path_field="path", pk=pk)


def occupancy_filter_choices(*, viewer: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The UPT types and the regencies of the UPT of the viewer's scope, as (code, label) in
    order: the options of the summary's filters (one query)."""
    types: dict[str, str] = {}
    regencies: dict[str, str] = {}
    rows = service_units(viewer=viewer).values_list(
        "upt_type__code", "upt_type__name", "regency_id", "regency__name"
    )
    for type_code, type_name, regency_code, regency_name in rows:
        if type_code:
            types[type_code] = f"{type_code} – {type_name}"
        if regency_code:
            regencies[regency_code] = regency_name
    return (
        sorted(types.items()),
        sorted(regencies.items(), key=lambda item: (item[1], item[0])),
    )


# --- One UPT: rooms, beds, residents, waiting list ---------------------------------------------


@dataclass
class BedView:
    bed: Bed
    residence: Residence | None


@dataclass
class RoomView:
    room: Room
    beds: list[BedView] = field(default_factory=list)


def unit_rooms(*, unit: Unit) -> list[RoomView]:
    """Rooms of the UPT with every bed and its current resident (two queries)."""
    residences = {
        r.bed_id: r
        for r in Residence.objects.filter(unit=unit, ended_on__isnull=True).select_related(
            "case", "case__client", "away_type"
        )
    }
    rooms = Room.objects.filter(unit=unit).prefetch_related(
        Prefetch("beds", queryset=Bed.objects.order_by("label", "id"))
    )
    views = []
    for room in rooms.order_by("wisma", "name", "id"):
        beds = sorted(room.beds.all(), key=lambda b: (len(b.label), b.label, b.pk))
        views.append(RoomView(room, [BedView(b, residences.get(b.pk)) for b in beds]))
    return views


def free_beds(*, unit: Any) -> QuerySet[Bed]:
    """Active beds of the UPT without an active residence."""
    taken = Residence.objects.filter(bed=OuterRef("pk"), ended_on__isnull=True)
    return (
        Bed.objects.filter(unit=unit, is_active=True)
        .exclude(Exists(taken))
        .select_related("room")
        .order_by("room__wisma", "room__name", "label", "id")
    )


def admission_beds(*, unit: Any) -> QuerySet[Bed]:
    """Active beds of the UPT, free ones first, each with `is_taken` (the admission form offers
    them all so that a full UPT answers with its capacity and occupancy)."""
    taken = Residence.objects.filter(bed=OuterRef("pk"), ended_on__isnull=True)
    return (
        Bed.objects.filter(unit=unit, is_active=True)
        .annotate(is_taken=Exists(taken))
        .select_related("room")
        .order_by("is_taken", "room__wisma", "room__name", "label", "id")
    )


def waiting_list(*, unit: Unit) -> list[WaitingListEntry]:
    """The waiting cases of the UPT, most urgent and oldest first."""
    return list(
        WaitingListEntry.objects.filter(unit=unit, status=WaitingListEntry.Status.WAITING)
        .select_related("case", "case__client", "added_by")
        .order_by("priority", "requested_on", "id")[:500]
    )


UNPLACED_SHOWN = 25


def unplaced_cases(*, unit: Unit) -> list[Case]:
    """The newest open, not terminated cases of the UPT with no bed and not waiting: new intakes
    to place (at most UNPLACED_SHOWN; older ones are found through the client search)."""
    has_bed = Residence.objects.filter(case=OuterRef("pk"), ended_on__isnull=True)
    waiting = WaitingListEntry.objects.filter(
        case=OuterRef("pk"), status=WaitingListEntry.Status.WAITING
    )
    return list(
        Case.objects.filter(unit=unit, status=Case.Status.OPEN, termination_on__isnull=True)
        .exclude(Exists(has_bed))
        .exclude(Exists(waiting))
        .select_related("client", "stage")
        .order_by("-admitted_on", "id")[:UNPLACED_SHOWN]
    )


def leaving_residents(*, unit: Unit) -> list[Residence]:
    """Residents still holding a bed although their termination is recorded: the case stays open
    (termination approval, then aftercare) until it is closed, and closing frees the bed
    (services.aftercare.case_close), so until then the UPT records the day the client left.
    Closed cases never hold a bed: closing, a transfer and a referral all free it (migration 0008
    freed the beds that closed cases of older data still held)."""
    return list(
        Residence.objects.filter(
            unit=unit, ended_on__isnull=True, case__termination_on__isnull=False
        )
        .select_related("case", "case__client", "bed", "bed__room")
        .order_by("case__termination_on", "id")[:200]
    )


def movement_types() -> QuerySet[MovementType]:
    return MovementType.objects.filter(is_active=True).order_by("number")


def residence_get(*, viewer: Any, pk: Any) -> Residence:
    """One residence of a UPT of the viewer's scope, or Http404."""
    qs = Residence.objects.select_related(
        "unit", "unit__unit_type", "bed", "bed__room", "case", "case__client", "away_type"
    )
    return access_object(qs, viewer, unit_path_field="unit__path", pk=pk)


def waiting_get(*, viewer: Any, pk: Any) -> WaitingListEntry:
    qs = WaitingListEntry.objects.select_related("unit", "case", "case__client")
    return access_object(qs, viewer, unit_path_field="unit__path", pk=pk)


def bed_get(*, viewer: Any, pk: Any) -> Bed:
    qs = Bed.objects.select_related("unit", "room")
    return access_object(qs, viewer, unit_path_field="unit__path", pk=pk)


# --- The residence panel of a case ------------------------------------------------------------


@dataclass
class CasePanel:
    residence: Residence | None
    last_residence: Residence | None
    waiting: WaitingListEntry | None
    events: list[ResidenceEvent]


def case_panel(*, case: Case) -> CasePanel:
    """The bed, waiting state and residence history of an (access-checked) case."""
    residences = list(
        Residence.objects.filter(case=case)
        .select_related("bed", "bed__room", "away_type")
        .order_by("-started_on", "-id")
    )
    active = next((r for r in residences if r.ended_on is None), None)
    events = list(
        ResidenceEvent.objects.filter(residence__case=case)
        .select_related("movement_type", "from_bed", "from_bed__room", "to_bed", "to_bed__room")
        .order_by("-occurred_on", "-at", "-id")[:20]
    )
    waiting = (
        WaitingListEntry.objects.filter(case=case, status=WaitingListEntry.Status.WAITING)
        .order_by("-id")
        .first()
    )
    return CasePanel(active, residences[0] if residences else None, waiting, events)


# --- Daily roster ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    residence_id: int
    case_id: Any
    client_name: str
    sex: str
    wisma: str
    room: str
    bed: str
    started_on: dt.date
    away_type: str  # "" when present

    @property
    def is_away(self) -> bool:
        return bool(self.away_type)


def roster(*, unit: Unit, on: dt.date) -> list[RosterRow]:
    """Who lived in the UPT on `on` (their residence covered that day) with the bed they had and
    whether they were away then (the last away/return movement up to that day). One query."""
    events = ResidenceEvent.objects.filter(residence=OuterRef("pk"), occurred_on__lte=on)
    state_events = events.filter(
        kind=ResidenceEvent.Kind.MOVEMENT,
        movement_type__effect__in=[MovementType.Effect.AWAY, MovementType.Effect.RETURN],
    ).order_by("-occurred_on", "-at", "-id")
    last_state = state_events.values("movement_type__effect")[:1]
    last_state_name = state_events.values("movement_type__name")[:1]
    last_bed = events.filter(to_bed__isnull=False).order_by("-occurred_on", "-at", "-id")
    rows = (
        Residence.objects.filter(unit=unit, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .annotate(
            state=Subquery(last_state),
            state_name=Subquery(last_state_name),
            bed_label=Subquery(last_bed.values("to_bed__label")[:1]),
            room_name=Subquery(last_bed.values("to_bed__room__name")[:1]),
            wisma=Subquery(last_bed.values("to_bed__room__wisma")[:1]),
        )
        .values(
            "pk",
            "case_id",
            "case__client__name",
            "case__client__sex",
            "started_on",
            "state",
            "state_name",
            "bed_label",
            "room_name",
            "wisma",
        )
    )
    result = [
        RosterRow(
            residence_id=r["pk"],
            case_id=r["case_id"],
            client_name=r["case__client__name"],
            sex=r["case__client__sex"],
            wisma=r["wisma"] or "",
            room=r["room_name"] or "",
            bed=r["bed_label"] or "",
            started_on=r["started_on"],
            away_type=(r["state_name"] or "") if r["state"] == MovementType.Effect.AWAY else "",
        )
        for r in rows
    ]
    result.sort(key=lambda r: (r.wisma, r.room, len(r.bed), r.bed, r.client_name))
    return result


# --- Timeline of the client page ---------------------------------------------------------------


def _moment(day: dt.date, at: dt.datetime) -> dt.datetime:
    """When to place an event dated `day` recorded at `at` in a timeline."""
    if timezone.localtime(at).date() == day:
        return at
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def timeline_rows(*, case_ids: list[Any]) -> list[tuple[dt.datetime, str, str, str, Any]]:
    """(at, kind, title, detail, case id) of the residence events of the given (already scoped)
    cases, for the client timeline (one query)."""
    events = ResidenceEvent.objects.filter(residence__case_id__in=case_ids).select_related(
        "residence", "movement_type", "to_bed", "to_bed__room"
    )
    rows = []
    for event in events:
        title = event.get_kind_display()
        if event.movement_type_id:
            assert event.movement_type is not None
            title = f"{title}: {event.movement_type.name}"
        elif event.to_bed_id:
            title = f"{title}: {event.to_bed}"
        rows.append(
            (
                _moment(event.occurred_on, event.at),
                f"residence_{event.kind}",
                title,
                event.note,
                event.residence.case_id,
            )
        )
    return rows

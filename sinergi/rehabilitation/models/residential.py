"""The residential side of a UPT: rooms (in a wisma) and beds, who lives in which bed, the waiting
list and the movements of residents (home leave, hospital, absconded, returned, died).

Rules (docs/guide/11-hunian.md):
- The capacity of a UPT in Sinergi is its number of active beds; the unit's `capacity` figure from
  the organisation master data stays the official figure and is shown beside it.
- A `Residence` is a period in which an open case occupies one bed of its own UPT. A bed holds at
  most one active residence (a database constraint), so occupancy never exceeds the beds.
- A resident away on home leave or in hospital keeps the bed and is still counted; a movement whose
  type `ends_stay` (absconded, died) ends the residence at once and frees the bed. The case itself
  stays open until the termination is recorded and approved the usual way.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.rehabilitation.models.cases import Case
from sinergi.rehabilitation.models.reference import ReferenceItem, TerminationReason


class ResidentialAuditAction(models.TextChoices):
    """The audit actions of the residential side (AuditEvent.action values)."""

    ROOM_CREATED = "rehabilitation.room_created", _("Room and beds set up")
    BED_CHANGED = "rehabilitation.bed_changed", _("Bed switched on or off")
    RESIDENT_ADMITTED = "rehabilitation.resident_admitted", _("Resident admitted into a bed")
    RESIDENT_MOVED = "rehabilitation.resident_moved", _("Resident moved to another bed")
    MOVEMENT_RECORDED = "rehabilitation.movement_recorded", _("Resident movement recorded")
    RESIDENCE_ENDED = "rehabilitation.residence_ended", _("Resident left the bed")
    WAITING_ADDED = "rehabilitation.waiting_added", _("Put on the waiting list")
    WAITING_CANCELLED = "rehabilitation.waiting_cancelled", _("Taken off the waiting list")
    MOVEMENT_TYPES_LOADED = "rehabilitation.movement_types_loaded", _("Movement types loaded")


class MovementType(ReferenceItem):
    """A kind of movement of a resident (practice of the panti; configurable, with its source)."""

    class Effect(models.TextChoices):
        AWAY = "away", _("Away, still counted, keeps the bed")
        RETURN = "return", _("Back in the UPT")
        END = "end", _("Ends the stay, frees the bed")

    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    termination_reason = models.ForeignKey(
        TerminationReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("termination reason to record"),
        help_text=_("For movements that end the stay: the reason the termination will carry."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("movement type")
        verbose_name_plural = _("movement types")

    @property
    def ends_stay(self) -> bool:
        return self.effect == self.Effect.END


class Room(BaseModel):
    """A room of a UPT, grouped by wisma (building or dormitory)."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    wisma = models.CharField(_("wisma (building)"), max_length=80)
    name = models.CharField(_("room"), max_length=80)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["unit", "wisma", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "wisma", "name"], name="rehab_room_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.wisma} / {self.name}"


class Bed(BaseModel):
    """A bed in a room. Only active beds count towards the capacity."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    # The room's UPT, repeated so that counting beds per UPT needs no join.
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    label = models.CharField(_("bed"), max_length=20)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="rehab_bed_unique_label")
        ]
        indexes = [models.Index(fields=["unit", "is_active"], name="rehab_bed_unit_idx")]

    def __str__(self) -> str:
        return f"{self.room} / {self.label}"


class Residence(BaseModel):
    """A period in which a case occupies a bed of its UPT (one active residence per bed and per
    case, enforced by the database)."""

    class EndReason(models.TextChoices):
        MOVEMENT = "movement", _("Movement (absconded, died)")
        DISCHARGED = "discharged", _("Left the UPT")
        TRANSFERRED = "transferred", _("Transferred or referred")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="residences", verbose_name=_("case")
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="residences")
    started_on = models.DateField(_("admitted into the bed on"))
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end_reason = models.CharField(
        _("why the stay ended"), max_length=12, choices=EndReason.choices, blank=True
    )
    # The current state, kept with every movement so that occupancy is one grouped query.
    is_away = models.BooleanField(_("away"), default=False)
    away_type = models.ForeignKey(
        MovementType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("away for"),
    )

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["unit", "-started_on", "id"]
        permissions = [("manage_beds", "Can set up the rooms and beds of the UPT")]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(ended_on__isnull=True),
                name="rehab_residence_one_per_bed",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="rehab_residence_one_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="rehab_residence_dates",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit", "is_away"],
                condition=models.Q(ended_on__isnull=True),
                name="rehab_residence_active_idx",
            ),
            models.Index(fields=["unit", "started_on"], name="rehab_residence_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"Hunian {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ResidenceEvent(models.Model):
    """The history of a residence: admission, bed moves, movements and the end."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Admitted into a bed")
        BED_MOVED = "bed_moved", _("Moved to another bed")
        MOVEMENT = "movement", _("Movement")
        ENDED = "ended", _("Left the bed")

    residence = models.ForeignKey(
        Residence, on_delete=models.CASCADE, related_name="events", verbose_name=_("residence")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    movement_type = models.ForeignKey(
        MovementType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("movement"),
    )
    occurred_on = models.DateField(_("date"))
    from_bed = models.ForeignKey(
        Bed, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_bed = models.ForeignKey(
        Bed, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("residence event")
        verbose_name_plural = _("residence events")
        ordering = ["occurred_on", "at", "id"]
        indexes = [
            models.Index(fields=["residence", "occurred_on"], name="rehab_resevent_res_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class WaitingListEntry(BaseModel):
    """A case of the UPT waiting for a bed; taken off when admitted or cancelled with a reason."""

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Urgent")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ADMITTED = "admitted", _("Admitted")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="waiting_entries", verbose_name=_("case")
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    requested_on = models.DateField(_("requested on"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    closed_at = models.DateTimeField(_("taken off at"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["unit", "priority", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="waiting"),
                name="rehab_waiting_one_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="rehab_waiting_cancel_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit", "priority", "requested_on"],
                condition=models.Q(status="waiting"),
                name="rehab_waiting_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Antrean {self.pk}"


__all__ = [
    "Bed",
    "MovementType",
    "Residence",
    "ResidenceEvent",
    "ResidentialAuditAction",
    "Room",
    "WaitingListEntry",
]

"""Reference data from regulation and practice, kept as rows with their source (ARCHITECTURE.md 7).

Loaded by the data migration 0002 and by `manage.py load_rehabilitation_reference` from the CSV
files in `rehabilitation/data/`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceItem(models.Model):
    """A coded entry of a reference list: official name, order, where it comes from, validity."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["number", "code"]

    def __str__(self) -> str:
        return self.name


class PpksCategory(ReferenceItem):
    """One of the 26 PPKS (Permensos 8/2012; DOMAIN.md 2.2)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("PPKS category")
        verbose_name_plural = _("PPKS categories")


class DisabilityType(ReferenceItem):
    """A kind of disability (UU 8/2016 Ps 4)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("disability type")
        verbose_name_plural = _("disability types")


class ServiceType(ReferenceItem):
    """One of the 11 forms of social rehabilitation (PP 39/2012 Ps 7(1))."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class TerminationReason(ReferenceItem):
    """Why a client's stay ended (DOMAIN.md 1.2 stage 6)."""

    goal_reached = models.BooleanField(
        _("means the goal was reached"),
        default=False,
        help_text=_("Counted as a client who became independent (metric clients_independent)."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("termination reason")
        verbose_name_plural = _("termination reasons")


class ReferralSource(ReferenceItem):
    """Who brought or referred the client (DOMAIN.md 1.2 stage 1)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("referral source")
        verbose_name_plural = _("referral sources")


class StageQuerySet(models.QuerySet["Stage"]):
    def in_order(self) -> "StageQuerySet":
        return self.filter(is_active=True).order_by("number")

    def first_stage(self) -> "Stage | None":
        return self.in_order().first()

    def after(self, stage: "Stage") -> "Stage | None":
        """The active stage that follows `stage`, or None after the last one."""
        return self.in_order().filter(number__gt=stage.number).first()


class Stage(ReferenceItem):
    """A stage of rehabilitation (PP 39/2012 Ps 7(2)), in order by `number`."""

    records = models.TextField(_("what this stage records"), blank=True)
    requires_approval = models.BooleanField(
        _("requires approval by the head of UPT"),
        default=False,
        help_text=_("The case may leave this stage only after the head of UPT approves it."),
    )
    records_termination = models.BooleanField(
        _("records the termination"),
        default=False,
        help_text=_("Entering this stage needs a termination reason."),
    )
    records_plan = models.BooleanField(
        _("records the intervention plan"),
        default=False,
        help_text=_(
            "The intervention plan is drafted in this stage; approving the stage approves the plan."
        ),
    )
    schedules_aftercare = models.BooleanField(
        _("schedules the aftercare follow-ups"),
        default=False,
        help_text=_("Entering this stage schedules the follow-ups after the termination date."),
    )

    objects = StageQuerySet.as_manager()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

"""Employees of the office and the rank (pangkat/golongan) reference table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel


class EmploymentType(models.TextChoices):
    PNS = "pns", _("Civil servant (PNS)")
    PPPK = "pppk", _("Contract civil servant (PPPK)")
    NON_ASN = "non_asn", _("Non-ASN")


class Rank(models.Model):
    """A rank/golongan (PNS I/a..IV/e, PPPK I..XVII): reference data loaded by a data migration."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=EmploymentType.choices
    )
    grade = models.CharField(_("golongan/ruang"), max_length=10)
    name = models.CharField(_("rank (pangkat)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["employment_type", "sort_order"]

    def __str__(self) -> str:
        return f"{self.name} ({self.grade})" if self.name else self.grade


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def expected_in(self, year: int, month: int) -> "EmployeeQuerySet":
        """PNS and PPPK employees active during the month: those who owe a monthly SKP report."""
        from sinergi.staff.models.periods import month_bounds

        start, end = month_bounds(year, month)
        return self.filter(
            employment_type__in=[EmploymentType.PNS, EmploymentType.PPPK], active_from__lte=end
        ).filter(Q(active_until__isnull=True) | Q(active_until__gte=start))

    def not_submitted(self, year: int, month: int) -> "EmployeeQuerySet":
        """Employees expected in the month who have not submitted it."""
        from sinergi.staff.models.monthly import MonthlySubmission

        submitted = MonthlySubmission.objects.filter(
            employee=models.OuterRef("pk"),
            year=year,
            month=month,
            status=MonthlySubmission.Status.SUBMITTED,
        )
        return self.expected_in(year, month).exclude(models.Exists(submitted))


class Employee(BaseModel):
    """One employee (PNS, PPPK or non-ASN) of a unit, with a direct supervisor and an active period.

    Contract with other apps: `nip` (unique, null for non-ASN), `name`, `unit`, `user`,
    `active_from`, `active_until` stay as they are.
    """

    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    employment_type = models.CharField(
        _("employment type"),
        max_length=10,
        choices=EmploymentType.choices,
        default=EmploymentType.PNS,
    )
    rank = models.ForeignKey(
        Rank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rank/golongan"),
    )
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("unit"),
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("direct supervisor"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("user account"),
    )
    email = models.EmailField(_("email"), blank=True)
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name", "id"]
        permissions = [("import_employee", "Can import employees from a spreadsheet")]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="staff_employee_active_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("id")),
                name="staff_employee_not_own_supervisor",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "name", "id"], name="staff_employee_unit_name_idx"),
            models.Index(fields=["name", "id"], name="staff_employee_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

"""The office's unit tree and the Kemendagri region codes (wilayah)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    UNIT_CREATED = "organisation.unit_created", _("Unit created")
    UNIT_UPDATED = "organisation.unit_updated", _("Unit changed")
    UNIT_DEACTIVATED = "organisation.unit_deactivated", _("Unit deactivated")
    UNIT_REACTIVATED = "organisation.unit_reactivated", _("Unit reactivated")
    REGIONS_LOADED = "organisation.regions_loaded", _("Region codes loaded")
    UNIT_TYPE_CREATED = "organisation.unittype_created", _("Unit type created")
    UNIT_TYPE_UPDATED = "organisation.unittype_updated", _("Unit type changed")
    UPT_TYPE_CREATED = "organisation.upttype_created", _("UPT type created")
    UPT_TYPE_UPDATED = "organisation.upttype_updated", _("UPT type changed")


class Region(models.Model):
    """A Kemendagri region: province `35`, kab/kota `35.78`, kecamatan `35.78.01`, desa `35.78.01.1001`.

    Loaded from the vendored idn-area-data CSVs (ODbL); see organisation/data/NOTICE.md.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")
        DISTRICT = 3, _("District (kecamatan)")
        VILLAGE = 4, _("Village (desa/kelurahan)")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "name"], name="region_level_name_idx"),
            models.Index(fields=["parent", "name"], name="region_parent_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitType(models.Model):
    """Kind of unit (Dinas, Sekretariat, Bidang, UPT...): master data, not an enum."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_service_unit = models.BooleanField(
        _("service unit (UPT)"),
        default=False,
        help_text=_("Service units hold clients and beds (the UPT)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class UptType(models.Model):
    """Type of UPT (PSTW, RSBD, ...) with the client group it serves (DOMAIN.md 12.1)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    client_group = models.CharField(_("client group"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("UPT type")
        verbose_name_plural = _("UPT types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class Unit(BaseModel):
    """A node of the organisation tree. `path` is the materialised path of ids used for subtree scope."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, verbose_name=_("unit type"))
    upt_type = models.ForeignKey(
        UptType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("UPT type")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city"),
        limit_choices_to={"level": Region.Level.REGENCY},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (clients)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        permissions = [("import_unit", "Can import units from a spreadsheet")]

    def __str__(self) -> str:
        return self.name

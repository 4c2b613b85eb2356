"""Reference data of the pillars registry: pillar types, banks and bank bulk-transfer file layouts.

Loaded from `pillars/data/` by a data migration (with their sources); editable afterwards because
several facts are not confirmed (DOMAIN.md 8, marked in the CSVs).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PillarType(models.Model):
    """A kind of social pillar (TKSK, Tagana, pendamping PKH Plus, PSM...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.CharField(_("description"), max_length=500, blank=True)
    regulation = models.CharField(_("regulation"), max_length=255, blank=True)
    one_per_district = models.BooleanField(
        _("one per kecamatan"),
        default=False,
        help_text=_("Only one member not ended per kecamatan (TKSK, Permensos 28/2018)."),
    )
    requires_district = models.BooleanField(_("duty area down to the kecamatan"), default=False)
    from_staff = models.BooleanField(
        _("members come from the UPT staff"),
        default=False,
        help_text=_(
            "Members are UPT employees, linked to their employee record (Jatim Social Care)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("pillar type")
        verbose_name_plural = _("pillar types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Bank(models.Model):
    """A bank with its clearing code and the account-number length it issues (data, to confirm)."""

    code = models.CharField(_("bank code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=40)
    account_length_min = models.PositiveSmallIntegerField(_("account number: fewest digits"))
    account_length_max = models.PositiveSmallIntegerField(_("account number: most digits"))
    is_active = models.BooleanField(_("active"), default=True)
    is_confirmed = models.BooleanField(_("confirmed with the bank"), default=False)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account_length_min__lte=models.F("account_length_max")),
                name="pillars_bank_length_range",
            )
        ]

    def __str__(self) -> str:
        return self.short_name


class BankFileLayout(models.Model):
    """The CSV layout of a bank's bulk-transfer upload file: columns, separator, header, amounts.

    `columns` is a list of {"header": "...", "field": "..."} (fields: see FIELDS) or
    {"header": "...", "value": "constant"}.
    """

    class AmountFormat(models.TextChoices):
        INTEGER = "integer", _("Whole rupiah, no separators (1500000)")
        DECIMAL_POINT = "decimal_point", _("Two decimals with a point (1500000.00)")
        DECIMAL_COMMA = "decimal_comma", _("Two decimals with a comma (1500000,00)")

    FIELDS = (
        "sequence",
        "reference",
        "account_number",
        "account_holder",
        "bank_code",
        "bank_name",
        "amount",
        "description",
        "regency_code",
        "pillar_type",
    )

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="layouts", verbose_name=_("paying bank")
    )
    columns = models.JSONField(_("columns"))
    separator = models.CharField(_("separator"), max_length=2, default=",")
    has_header = models.BooleanField(_("header line"), default=True)
    amount_format = models.CharField(
        _("amount format"), max_length=15, choices=AmountFormat.choices, default="integer"
    )
    description_template = models.CharField(
        _("description text"),
        max_length=60,
        default="{scheme} TW{quarter} {year}",
        help_text=_("May use {scheme}, {quarter} and {year}."),
    )
    is_default = models.BooleanField(_("default layout"), default=False)
    is_confirmed = models.BooleanField(_("confirmed with the bank"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("bank file layout")
        verbose_name_plural = _("bank file layouts")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="pillars_layout_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def separator_name(self) -> str:
        return "tab" if self.separator == "\t" else self.separator

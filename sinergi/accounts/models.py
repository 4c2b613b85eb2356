"""Users, their unit and their roles. A role is master data: a readable code, a scope and permissions."""

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    class Scope(models.TextChoices):
        UNIT = "unit", _("Own unit and the units below it")
        ALL = "all", _("The whole office")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(
        _("data scope"), max_length=10, choices=Scope.choices, default=Scope.UNIT
    )
    requires_two_factor = models.BooleanField(_("requires two-factor login"), default=False)
    permissions = models.ManyToManyField(
        Permission, blank=True, related_name="roles", verbose_name=_("permissions")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The role's name in the active language (the stored name is in the language of the sync)."""
        from sinergi.accounts.roles import ROLES

        names = {code: name for code, name, *_rest in ROLES}
        return str(names.get(self.code, self.name))


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("unit"),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    # Set when an administrator chose or reset the password: the user must pick their own before
    # using any page (an administrator must never know a password that stays in use).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()

"""A registry-shaped table for the benchmarks: primary key, unique NIK, a village foreign key."""

from django.db import models
from django.db.models.functions import Now

from sinergi.core.identity import Sex
from sinergi.organisation.models import Region


class SyntheticPerson(models.Model):
    """Stands for a registry table (clients, pillars): PK + unique NIK, like the real schema."""

    nik = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_on = models.DateField()
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, db_constraint=True, related_name="+"
    )
    phone = models.CharField(max_length=20, blank=True)
    # Database defaults, so a raw COPY that names only the data columns fills them too.
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "synthetic person"

    def __str__(self) -> str:
        return f"SyntheticPerson {self.pk}"

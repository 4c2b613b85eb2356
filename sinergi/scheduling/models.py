"""One row per (job, slot): the proof that a slot ran, and how it went."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=100)
    slot_start = models.DateTimeField(_("slot start"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-slot_start", "-id"]
        constraints = [
            # The guarantee that a slot never runs twice, even with two hosts running cron.
            models.UniqueConstraint(fields=["job", "slot_start"], name="jobrun_once_per_slot"),
        ]
        indexes = [models.Index(fields=["status", "slot_start"], name="jobrun_status_slot_idx")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot_start:%Y-%m-%d %H:%M} ({self.status})"

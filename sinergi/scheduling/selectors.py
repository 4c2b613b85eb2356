"""Reads for scheduled jobs: each registered job with its latest run."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sinergi.scheduling import registry
from sinergi.scheduling.models import JobRun


@dataclass(frozen=True)
class JobStatus:
    job: registry.Job
    last_run: JobRun | None
    next_slot_start: dt.datetime


def job_status_list(*, viewer: Any = None, now: dt.datetime | None = None) -> list[JobStatus]:
    """Every registered job with its latest run and the start of its next slot."""
    now = now or timezone.now()
    jobs = registry.jobs()
    latest: dict[str, JobRun | None] = {}
    for job in jobs:
        # One indexed lookup per registered job (the unique (job, slot_start) index, read
        # backwards): constant in the number of runs kept, and there are only a handful of jobs.
        latest[job.name] = (
            JobRun.objects.filter(job=job.name).order_by("-slot_start", "-id").first()
        )
    return [JobStatus(job, latest.get(job.name), job.next_slot_start(now)) for job in jobs]


def job_run_list(*, viewer: Any = None, job: str | None = None, limit: int = 50) -> list[JobRun]:
    """The most recent runs, newest first."""
    qs = JobRun.objects.all()
    if job:
        qs = qs.filter(job=job)
    return list(qs.order_by("-slot_start", "-id")[:limit])

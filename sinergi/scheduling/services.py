"""Running due jobs: claim the slot (a unique row), run the job, record the outcome."""

import datetime as dt
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sinergi.scheduling import registry
from sinergi.scheduling.models import JobRun

logger = logging.getLogger(__name__)

MESSAGE_MAX_CHARS = 4000


@dataclass(frozen=True)
class Outcome:
    job: str
    slot_start: dt.datetime
    status: str  # a JobRun.Status value, or "skipped" when the slot already ran
    message: str = ""


def _claim(job: registry.Job, slot_start: dt.datetime) -> JobRun | None:
    """Insert the slot's JobRun row; None when another run (or host) already has it."""
    if JobRun.objects.filter(job=job.name, slot_start=slot_start).exists():
        return None
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                slot_start=slot_start,
                started_at=timezone.now(),
                status=JobRun.Status.RUNNING,
            )
    except IntegrityError:
        return None


def job_run(*, actor: Any = None, job: registry.Job, slot_start: dt.datetime) -> Outcome:
    """Run `job` for `slot_start` unless that slot already ran; record success or failure.

    Not wrapped in one transaction on purpose: the claim must be committed before the job starts
    (so a parallel run sees it), and the job manages its own transactions.
    """
    run = _claim(job, slot_start)
    if run is None:
        return Outcome(job.name, slot_start, "skipped")
    try:
        result = import_string(job.call)()
    except Exception as exc:  # a failing job is recorded and reported, never hidden
        logger.exception("Scheduled job %s failed", job.name)
        details = "".join(traceback.format_exception(exc))
        run.status = JobRun.Status.FAILED
        run.message = details[-MESSAGE_MAX_CHARS:]
    else:
        run.status = JobRun.Status.SUCCEEDED
        run.message = "" if result is None else str(result)[:MESSAGE_MAX_CHARS]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return Outcome(job.name, slot_start, run.status, run.message)


def run_due(
    *, actor: Any = None, now: dt.datetime | None = None, names: Iterable[str] | None = None
) -> list[Outcome]:
    """Run every registered job (or only `names`) whose current slot has not run yet."""
    now = now or timezone.now()
    wanted = set(names) if names is not None else None
    outcomes = []
    for job in registry.jobs():
        if wanted is not None and job.name not in wanted:
            continue
        outcomes.append(job_run(actor=actor, job=job, slot_start=job.slot_start(now)))
    return outcomes

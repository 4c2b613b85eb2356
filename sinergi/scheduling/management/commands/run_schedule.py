"""Run the periodic jobs that are due. Cron calls this every 5 minutes (see sinergi/scheduling)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinergi.core.formatting import date_time
from sinergi.scheduling import registry, selectors, services
from sinergi.scheduling.models import JobRun


class Command(BaseCommand):
    help = (
        "Run every registered periodic job whose current slot has not run yet "
        "(cron: */5 * * * * cd /srv/sinergi && .venv/bin/python manage.py run_schedule)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--list", action="store_true", help="list the jobs and their last runs; run nothing"
        )
        parser.add_argument(
            "--job", action="append", dest="jobs", metavar="NAME", help="only this job (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        names = options["jobs"]
        if names:
            unknown = sorted(set(names) - {job.name for job in registry.jobs()})
            if unknown:
                raise CommandError(f"Unknown job(s): {', '.join(unknown)}. See --list.")
        outcomes = services.run_due(actor=None, now=timezone.now(), names=names)
        failed = []
        for outcome in outcomes:
            slot = date_time(outcome.slot_start)
            if outcome.status == "skipped":
                self.stdout.write(f"{outcome.job}: slot {slot} already ran, skipped")
            elif outcome.status == JobRun.Status.SUCCEEDED:
                detail = f": {outcome.message}" if outcome.message else ""
                self.stdout.write(self.style.SUCCESS(f"{outcome.job}: slot {slot} done{detail}"))
            else:
                failed.append(outcome.job)
                last_line = outcome.message.strip().splitlines()[-1] if outcome.message else ""
                self.stderr.write(f"{outcome.job}: slot {slot} FAILED: {last_line}")
        if failed:
            raise CommandError(
                f"{len(failed)} job(s) failed: {', '.join(failed)}. "
                "The tracebacks are stored in the job runs (Scheduled jobs page or admin)."
            )

    def _list(self) -> None:
        statuses = selectors.job_status_list(viewer=None)
        if not statuses:
            self.stdout.write("No jobs are registered.")
            return
        for status in statuses:
            job = status.job
            last = status.last_run
            last_text = (
                f"last slot {date_time(last.slot_start)} {last.status}" if last else "never ran"
            )
            self.stdout.write(
                f"{job.name:<32} {job.schedule_label:<22} {last_text}; "
                f"next slot {date_time(status.next_slot_start)}  ({job.call})"
            )

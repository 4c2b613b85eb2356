"""Periodic jobs: the ONE way to run something every N minutes or every day at a fixed time.

How an app declares a job (in its AppConfig.ready())::

    from datetime import timedelta
    from sinergi import scheduling

    scheduling.register(
        "notifications.cleanup",                       # unique, readable name
        every="daily at 02:00",                        # or a timedelta, e.g. timedelta(hours=1)
        call="sinergi.notifications.services.notification_cleanup",  # called with no arguments
        description=_("Delete read notifications older than 180 days."),
    )

How the jobs run: cron calls `manage.py run_schedule` every 5 minutes on one or more hosts::

    */5 * * * * cd /srv/sinergi && .venv/bin/python manage.py run_schedule

Each run looks at every registered job, works out the slot the clock is in (the latest time the job
was due) and runs the job once for that slot. A `JobRun` row with a UNIQUE (job, slot_start) pair
is written before the job starts, so a second run in the same slot (or a run on another host) skips
it. A job that fails is recorded as failed with its traceback, and the command exits non-zero so
cron reports it. Only the latest slot runs: slots missed while the server was off are not replayed,
so a job must do "everything due until now" (e.g. delete everything older than N days), never
"exactly one slot's worth". `manage.py run_schedule --list` shows the jobs and their last runs.
"""

from sinergi.scheduling.registry import Job, register

__all__ = ["Job", "register"]

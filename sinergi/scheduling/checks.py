"""System check: every registered job names a function that can be imported."""

from typing import Any

from django.core import checks
from django.utils.module_loading import import_string

from sinergi.scheduling import registry


def check_job_calls(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for job in registry.jobs():
        try:
            func = import_string(job.call)
        except ImportError as exc:
            errors.append(
                checks.Error(
                    f"Scheduled job {job.name!r} names {job.call!r}, which cannot be imported: {exc}",
                    id="scheduling.E001",
                )
            )
            continue
        if not callable(func):
            errors.append(
                checks.Error(
                    f"Scheduled job {job.name!r}: {job.call!r} is not callable.",
                    id="scheduling.E002",
                )
            )
    return errors

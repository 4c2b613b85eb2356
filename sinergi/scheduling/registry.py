"""The registry of periodic jobs and the arithmetic of their time slots (no database here)."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_DAILY = re.compile(r"^daily at (?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
# Interval slots are counted from this instant, so "every 1 hour" starts on the hour and
# "every 1 day" at local midnight.
_EPOCH_DATE = dt.date(2000, 1, 1)
MINIMUM_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    """A periodic job: run `call` (a dotted path to a function taking no arguments) once per slot."""

    name: str
    call: str
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None
    description: Any = ""

    @property
    def schedule_label(self) -> str:
        if self.daily_at is not None:
            return f"daily at {self.daily_at:%H:%M}"
        assert self.every is not None
        return f"every {self.every}"

    @property
    def interval_minutes(self) -> int | None:
        return int(self.every.total_seconds() // 60) if self.every is not None else None

    def slot_start(self, now: dt.datetime) -> dt.datetime:
        """The start of the slot `now` falls in: the latest moment at or before `now` the job was due."""
        zone = ZoneInfo(settings.TIME_ZONE)
        local = timezone.localtime(now, zone)
        if self.daily_at is not None:
            due = dt.datetime.combine(local.date(), self.daily_at, tzinfo=zone)
            if due > local:
                due = dt.datetime.combine(
                    local.date() - dt.timedelta(days=1), self.daily_at, tzinfo=zone
                )
            return due
        assert self.every is not None
        epoch = dt.datetime.combine(_EPOCH_DATE, dt.time(0, 0), tzinfo=zone)
        slots = (local - epoch) // self.every
        return epoch + slots * self.every

    def next_slot_start(self, now: dt.datetime) -> dt.datetime:
        current = self.slot_start(now)
        if self.daily_at is not None:
            zone = ZoneInfo(settings.TIME_ZONE)
            return dt.datetime.combine(
                current.date() + dt.timedelta(days=1), self.daily_at, tzinfo=zone
            )
        assert self.every is not None
        return current + self.every


_jobs: dict[str, Job] = {}


def parse_schedule(every: dt.timedelta | str) -> tuple[dt.timedelta | None, dt.time | None]:
    """`timedelta(minutes=30)` or "daily at 06:00" -> (interval, time of day)."""
    if isinstance(every, dt.timedelta):
        if every < MINIMUM_INTERVAL:
            raise ValueError(f"A job cannot run more often than every {MINIMUM_INTERVAL}.")
        return every, None
    match = _DAILY.match(every.strip().lower())
    if match is None:
        raise ValueError(f'Unknown schedule {every!r}: use a timedelta or "daily at HH:MM".')
    return None, dt.time(int(match["hour"]), int(match["minute"]))


def register(name: str, *, every: dt.timedelta | str, call: str, description: Any = "") -> Job:
    """Declare a periodic job (call it from AppConfig.ready). Registering the same job twice is a no-op."""
    interval, daily_at = parse_schedule(every)
    job = Job(name=name, call=call, every=interval, daily_at=daily_at, description=description)
    existing = _jobs.get(name)
    if existing is not None and existing != job:
        raise ValueError(f"The job name {name!r} is already registered with another schedule.")
    _jobs[name] = job
    return job


def unregister(name: str) -> None:
    """Remove a job (for tests)."""
    _jobs.pop(name, None)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def get(name: str) -> Job | None:
    return _jobs.get(name)

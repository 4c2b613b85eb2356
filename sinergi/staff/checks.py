"""System check: the SKP settings (SINERGI["SKP_*"], from the SINERGI_SKP_* environment variables)
hold numbers that make sense, so a typo in the server's environment is reported at start-up instead
of judging every month late (or on time)."""

from typing import Any

from django.conf import settings
from django.core import checks

# setting: (smallest, largest, what it means)
RANGES = {
    "SKP_DUE_DAY": (1, 31, "the day of the following month a month's realisation is due by"),
    "SKP_REMINDER_DAYS": (0, 27, "how many days before the due day employees are reminded"),
    "SKP_EVIDENCE_MAX_MB": (1, 100, "the largest evidence file, in MB"),
}


def check_skp_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    configured = getattr(settings, "SINERGI", {})
    for name, (low, high, meaning) in RANGES.items():
        if name not in configured:
            continue
        value = configured[name]
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high or str(number) != str(value).strip():
            errors.append(
                checks.Error(
                    f'SINERGI["{name}"] is {value!r}; it must be a whole number from {low} to '
                    f"{high} ({meaning}). Set SINERGI_{name} in the environment.",
                    id="staff.E001",
                )
            )
    return errors

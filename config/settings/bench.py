"""Settings for `make bench`: PostgreSQL (DATABASE_URL, default database sinergi_bench) plus the
bench-only app `bench.benchapp`, whose SyntheticPerson table stands for a registry table."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, LOGGING

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergi_bench"),
        conn_max_age=0,
    )
}
INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]
DEBUG = False
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
# Uploaded and staged import files of the runs (deleted after each run; bench/data/ is ignored).
MEDIA_ROOT = BASE_DIR / "bench" / "data" / "media"
# The 1M-row CSV of budget P1 is ~65 MB, above the production default upload limit.
MAX_UPLOAD_MB = 256

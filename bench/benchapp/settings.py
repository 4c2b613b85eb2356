"""Settings of the gunicorn server that bench/pages.py starts: config.settings.bench plus

- the reference pages of bench/benchapp/urls.py (mounted under /bench/ref/ in front of every real
  URL of config.urls), and
- persistent database connections, as in production (base settings: CONN_MAX_AGE=60), instead of
  the one-connection-per-use of config.settings.bench, which suits the batch benchmarks only;
- a static root of its own under bench/data/ (collected once by the harness), so the manifest
  storage of DEBUG=False finds every file without touching the checkout's staticfiles/.
"""

from config.settings.bench import *  # noqa: F403
from config.settings.bench import BASE_DIR, DATABASES

ROOT_URLCONF = "bench.benchapp.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60
STATIC_ROOT = BASE_DIR / "bench" / "data" / "static"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "bench.benchapp.storage.BenchStaticStorage"},
}

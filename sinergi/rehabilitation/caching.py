"""The cache of the reference lists read on every page (stages, PPKS categories).

These rows change only through `services.reference_load` (the Django admin shows them read-only),
which calls `reference_changed()`: the process that loads them reads them again at once, the other
worker processes within REFERENCE_CACHE_SECONDS. Shared by the services (which forget) and the
selectors (which read, `selectors/reference.py`), so it sits below both.
"""

from collections.abc import Callable

from django.core.cache import cache

REFERENCE_CACHE_SECONDS = 300
_VERSION_KEY = "rehabilitation:reference:version"


def reference_changed() -> None:
    """Forget the cached reference lists (called after the reference data is loaded)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # not cached yet (or evicted): any new value differs from the old keys
        cache.set(_VERSION_KEY, 1, None)


def cached_reference[T](name: str, read: Callable[[], T]) -> T:
    """`read()` once per REFERENCE_CACHE_SECONDS and reference version, under `name`."""
    key = f"rehabilitation:reference:{name}:{cache.get(_VERSION_KEY, 0)}"
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, REFERENCE_CACHE_SECONDS)
    return value

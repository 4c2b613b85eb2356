import pytest

from sinergi.scheduling import registry
from sinergi.scheduling.tests import jobs


@pytest.fixture
def empty_registry(monkeypatch):
    """A registry with no jobs, restored after the test."""
    monkeypatch.setattr(registry, "_jobs", {})
    jobs.calls.clear()
    return registry

"""Background jobs of the coordination meetings: compiling the reports of many units to one PDF."""

from typing import Any

from django.tasks import task

from sinergi.meetings import services


@task()
def compile_meeting(compilation_id: str) -> dict[str, Any]:
    """Write a queued compilation (safe to run twice: a finished one is left as it is)."""
    compilation = services.compilation_run(compilation_id=compilation_id)
    return {"status": compilation.status, "units": compilation.unit_count}

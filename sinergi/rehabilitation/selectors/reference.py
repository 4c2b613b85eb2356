"""Reference data read on every page (the stages, the PPKS categories), cached (caching.py):
the client list's filter and the case page's stage panel cost no query for them."""

from typing import Any

from sinergi.rehabilitation.caching import cached_reference
from sinergi.rehabilitation.models import PpksCategory, Stage


def stages() -> list[Stage]:
    """The active stages in order."""
    return cached_reference("stages", lambda: list(Stage.objects.in_order()))


def stages_after(stage: Any) -> list[Stage]:
    """The active stages after `stage`, in order (the choices of a stage change)."""
    return [s for s in stages() if s.number > stage.number]


def plan_stage() -> Stage | None:
    """The stage in which the intervention plan is drafted."""
    return next((s for s in stages() if s.records_plan), None)


def ppks_category_choices() -> list[tuple[str, str]]:
    """(code, "code – name") of the active PPKS categories, in order."""
    return cached_reference(
        "ppks_categories",
        lambda: [
            (code, f"{code} – {name}")
            for code, name in PpksCategory.objects.filter(is_active=True)
            .order_by("number")
            .values_list("code", "name")
        ],
    )

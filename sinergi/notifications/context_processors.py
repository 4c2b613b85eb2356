"""The bell's unread count, computed only when a template shows it."""

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from sinergi.notifications import selectors


class UnreadBadge:
    """Lazy: the count query runs the first time a template reads `count` or `label`."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(viewer=self._user)

    @property
    def label(self) -> str:
        return f"{selectors.BADGE_CAP}+" if self.count > selectors.BADGE_CAP else str(self.count)

    def __bool__(self) -> bool:
        return self.count > 0


def unread(request: HttpRequest) -> dict[str, Any]:
    return {"notifications_unread": UnreadBadge(getattr(request, "user", None))}

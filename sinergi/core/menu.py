"""Navigation by role. Each app registers its menu entries in its AppConfig.ready(); the layout shows
only the entries whose permission the user holds."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: Any  # a lazy translation
    url_name: str
    icon: str = "circle"
    permission: str | None = None  # e.g. "audit.view_auditevent"; None = every signed-in user
    section: str = "main"  # "main", "admin" or "help"
    order: int = 100
    description: Any = ""
    extra_check: Any = field(default=None, compare=False)  # callable(user) -> bool

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"

    def visible_to(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.extra_check is None or bool(self.extra_check(user))


_registry: list[MenuItem] = []


def register(*items: MenuItem) -> None:
    for item in items:
        if item not in _registry:
            _registry.append(item)


def items_for(user: Any, section: str = "main") -> list[MenuItem]:
    visible = [i for i in _registry if i.section == section and i.visible_to(user)]
    return sorted(visible, key=lambda i: (i.order, str(i.label)))

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


@dataclass(frozen=True)
class MenuEntry:
    """A menu item resolved for one request: its address and whether it is the current page."""

    label: Any
    url: str
    icon: str
    description: Any
    active: bool
    permission: str | None = None


def entries_for(user: Any, section: str, path: str) -> list[MenuEntry]:
    """The visible items of `section`; the one whose address is the longest prefix of `path` is
    marked active (so /organisasi/wilayah/ does not also light up /organisasi/unit/)."""
    items = [(item, item.url()) for item in items_for(user, section)]
    matches = [url for _item, url in items if url not in {"#", "/"} and path.startswith(url)]
    current = max(matches, key=len) if matches else None
    return [
        MenuEntry(item.label, url, item.icon, item.description, url == current, item.permission)
        for item, url in items
    ]

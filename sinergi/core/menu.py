"""Navigation by role. Each app registers its menu entries in its AppConfig.ready(); the layout shows
only the entries whose permission the user holds."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


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
    _resolved_cache.clear()


@dataclass(frozen=True)
class _Resolved:
    """An item with its label, description and address worked out once per language."""

    item: MenuItem
    label: str
    description: str
    url: str


# Every page shows the menu: its labels, order and addresses are resolved once per language (and
# URLconf) instead of once per request. Keyed on the registry's identity and length so that a
# registration, or a test swapping the registry, is never served stale entries.
_resolved_cache: dict[tuple[Any, ...], tuple[_Resolved, ...]] = {}


def _resolved(section: str) -> tuple[_Resolved, ...]:
    key = (
        id(_registry),
        len(_registry),
        section,
        get_language(),
        settings.ROOT_URLCONF,
        get_urlconf(),
    )
    found = _resolved_cache.get(key)
    if found is None:
        rows = [
            _Resolved(item, str(item.label), str(item.description), item.url())
            for item in _registry
            if item.section == section
        ]
        found = tuple(sorted(rows, key=lambda row: (row.item.order, row.label)))
        _resolved_cache[key] = found
    return found


def items_for(user: Any, section: str = "main") -> list[MenuItem]:
    return [row.item for row in _resolved(section) if row.item.visible_to(user)]


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
    rows = [row for row in _resolved(section) if row.item.visible_to(user)]
    matches = [row.url for row in rows if row.url not in {"#", "/"} and path.startswith(row.url)]
    current = max(matches, key=len) if matches else None
    return [
        MenuEntry(
            row.label,
            row.url,
            row.item.icon,
            row.description,
            row.url == current,
            row.item.permission,
        )
        for row in rows
    ]


@lru_cache(maxsize=2048)
def _links_html(entries: tuple[MenuEntry, ...]) -> str:
    return "".join(
        format_html(
            '<a class="nav-link{}" href="{}"{}><i class="bi bi-{}"></i> {}</a>',
            " active" if entry.active else "",
            entry.url,
            mark_safe(' aria-current="page"') if entry.active else "",
            entry.icon,
            entry.label,
        )
        for entry in entries
    )


def links_html(entries: Iterable[MenuEntry]) -> SafeString:
    """The sidebar links of `entries`, rendered once per distinct menu (every page shows one)."""
    return mark_safe(_links_html(tuple(entries)))  # noqa: S308 - built with format_html

"""Template tags of the layout."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from sinergi.core import menu

register = template.Library()


@register.simple_tag
def menu_links(entries: Iterable[menu.MenuEntry]) -> SafeString:
    """`{% menu_links main_menu %}`: the section's links, rendered once per distinct menu."""
    return menu.links_html(entries)

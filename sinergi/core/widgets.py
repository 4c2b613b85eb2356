"""Form widgets shared by the apps."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")


def options_html(choices: Iterable[tuple[Any, Any]], chosen: Iterable[Any]) -> SafeString:
    """`<option>` elements of plain (value, label) choices, escaped in one pass; `chosen` are the
    selected values, compared as text."""
    selected = {str(value) for value in chosen if value is not None}
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, SELECTED if str(key) in selected else "", label) for key, label in choices),
    )


class FastSelect(forms.Select):
    """A <select> written straight to HTML. Django renders one template per <option>: on list
    pages, whose filters render on every request, that cost more than the rest of the page.
    Plain options only (no groups)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        values = value if isinstance(value, list | tuple) else [value]
        options = options_html(self.choices, values)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

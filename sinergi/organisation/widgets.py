"""A cascading, searchable region picker for forms: province -> kab/kota -> kecamatan -> desa.

Usage in any form::

    regency = RegionField(max_level=Region.Level.REGENCY, required=False)   # down to kab/kota
    village = RegionField()                                                  # down to desa

The widget renders one <select> per level (named `<field>_1` ... `<field>_<max_level>`), each
with a search box. With JavaScript, htmx reloads a level's options from
`organisation:region_options` when the level above changes or its search box is typed in
(`organisation/region_picker.js` supplies the parameters). Without JavaScript the selects still
work: each submit re-renders the levels below the chosen region with their options.
The cleaned value is the deepest chosen Region (or None).
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.organisation import selectors
from sinergi.organisation.models import Region

LEVEL_REQUIRED_MESSAGES = {
    Region.Level.REGENCY: _("Choose the regency or city as well."),
    Region.Level.DISTRICT: _("Choose the district (kecamatan) as well."),
    Region.Level.VILLAGE: _("Choose the village (desa/kelurahan) as well."),
}


def default_province() -> str:
    return str(settings.SINERGI.get("PROVINCE_CODE") or "")


def chosen_chain(codes: list[str], max_level: int) -> list[str]:
    """The consistent chain of chosen codes, top-down: it stops at the first empty level, at a
    malformed code, or at a code that does not lie under the level above (a stale choice)."""
    chain: list[str] = []
    for level, raw in enumerate(codes[:max_level], start=1):
        code = (raw or "").strip()
        if not code or not selectors.region_code_is_valid(code):
            break
        if selectors.region_level_of(code) != level:
            break
        if chain and not code.startswith(f"{chain[-1]}."):
            break
        chain.append(code)
    return chain


def _codes_of(value: Any, max_level: int) -> list[str]:
    """The per-level codes of a value: a list from the form data, a Region, or a region code."""
    if isinstance(value, list | tuple):
        return [str(v or "") for v in value][:max_level]
    code = value.code if isinstance(value, Region) else str(value or "").strip()
    if not code or not selectors.region_code_is_valid(code):
        return []
    return selectors.region_ancestor_codes(code)[:max_level]


class RegionPickerWidget(forms.Widget):
    template_name = "organisation/widgets/region_picker.html"

    class Media:
        js = ["organisation/region_picker.js"]

    def __init__(
        self,
        *,
        max_level: int = Region.Level.VILLAGE,
        use_default_province: bool = True,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.max_level = int(max_level)
        self.use_default_province = use_default_province

    def subwidget_name(self, name: str, level: int) -> str:
        return f"{name}_{level}"

    def id_for_label(self, id_: str) -> str:
        # The field's label names the deepest level (e.g. "Regency/city" for a kab/kota field).
        return f"{id_}_{self.max_level}" if id_ else id_

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the server says which level is missing, in words

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [
            str(data.get(self.subwidget_name(name, level)) or "").strip()
            for level in range(1, self.max_level + 1)
        ]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(
            self.subwidget_name(name, level) not in data for level in range(1, self.max_level + 1)
        )

    def format_value(self, value: Any) -> list[str]:
        return _codes_of(value, self.max_level)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chain = chosen_chain(self.format_value(value), self.max_level)
        if not chain and self.use_default_province and default_province():
            chain = [default_province()]
        options = selectors.region_picker_options(chain, self.max_level)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        levels = []
        for level in range(1, self.max_level + 1):
            above_chosen = level == 1 or len(chain) >= level - 1
            levels.append(
                {
                    "number": level,
                    "first": level == 1,
                    "name": self.subwidget_name(name, level),
                    "id": f"{base_id}_{level}",
                    "next_id": f"{base_id}_{level + 1}" if level < self.max_level else "",
                    "label": Region.Level(level).label,
                    "selected": chain[level - 1] if len(chain) >= level else "",
                    "options": options[level] if above_chosen else [],
                }
            )
        context["widget"].update(
            {
                "base_id": base_id,
                "levels": levels,
                "options_url": reverse("organisation:region_options"),
                "col_class": {1: "col-12", 2: "col-md-6", 3: "col-md-4"}.get(
                    self.max_level, "col-md-6 col-xl-3"
                ),
            }
        )
        return context


class RegionField(forms.Field):
    """A form field whose value is the deepest Region chosen in a RegionPickerWidget.

    `max_level`: how deep the picker goes (1 province .. 4 desa/kelurahan).
    `min_level`: how deep a choice must go to be accepted (default: `max_level`).
    An optional field left at the default province alone counts as "nothing chosen".
    """

    default_error_messages = {
        "invalid_choice": _(
            "This region is not in the list of region codes. Choose it again from the lists."
        ),
    }

    def __init__(
        self,
        *,
        max_level: int = Region.Level.VILLAGE,
        min_level: int | None = None,
        use_default_province: bool = True,
        **kwargs: Any,
    ) -> None:
        self.max_level = int(max_level)
        self.min_level = int(min_level or max_level)
        if not 1 <= self.min_level <= self.max_level <= Region.Level.VILLAGE:
            raise ValueError("RegionField needs 1 <= min_level <= max_level <= 4")
        self.use_default_province = use_default_province
        kwargs.setdefault(
            "widget",
            RegionPickerWidget(max_level=self.max_level, use_default_province=use_default_province),
        )
        super().__init__(**kwargs)

    def _chosen_code(self, value: Any) -> str:
        chain = chosen_chain(_codes_of(value, self.max_level), self.max_level)
        return chain[-1] if chain else ""

    def to_python(self, value: Any) -> Region | None:
        code = self._chosen_code(value)
        if not code:
            return None
        level = selectors.region_level_of(code)
        if level < self.min_level:
            untouched = (
                level == Region.Level.PROVINCE
                and self.use_default_province
                and code == default_province()
            )
            if not self.required and untouched:
                return None
            raise ValidationError(
                LEVEL_REQUIRED_MESSAGES[Region.Level(self.min_level)], code="too_shallow"
            )
        region = selectors.region_get(code)
        if region is None or region.level != level:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return region

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        before = self._chosen_code(initial)
        after = self._chosen_code(data)
        if after and selectors.region_level_of(after) < self.min_level and not before:
            after = ""  # the untouched default province
        return before != after

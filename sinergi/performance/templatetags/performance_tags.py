"""Template filters of the performance pages."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """An indicator figure the Indonesian way, without trailing zeros: 1.250,5 / 80 / 0,25."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    text = f"{number:,f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def quarter_roman(value: Any) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}.get(value, "")

"""Money and date formatting as the office writes them: `Rp 1.500.000`, `Senin, 4 November 2020`."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone


def rupiah(value: Decimal | int | float | str | None, *, with_cents: bool = False) -> str:
    """`Rp 1.500.000` (thousands with dots, cents after a comma only when asked or non-zero)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole, cents = divmod(amount, 1)
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"{sign}Rp {grouped}"
    if with_cents or cents:
        text += "," + f"{cents:.2f}"[2:]
    return text


def long_date(value: dt.date | dt.datetime | None) -> str:
    """`Senin, 4 November 2020` in Indonesian (or the active language)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "l, j F Y")


def short_date(value: dt.date | dt.datetime | None) -> str:
    """`4 Nov 2020`, for tables."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "j M Y")


def date_time(value: dt.datetime | None) -> str:
    """`4 Nov 2020 13.05` in Asia/Jakarta."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(local, "j M Y H.i")


def percent(value: Decimal | float | None, places: int = 2) -> str:
    """`46,66%` with the Indonesian decimal comma."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{number:.{places}f}".replace(".", ",") + "%"

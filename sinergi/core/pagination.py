"""Keyset pagination: stable, index-friendly pages with no COUNT(*) over the table.

A page is asked for with an opaque cursor (the sort key of the last row seen). The queryset must be
ordered by fields that end with a unique one (e.g. ("name", "pk")).
"""

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    has_next: bool
    has_previous: bool


def encode_cursor(values: Sequence[Any], *, backwards: bool = False) -> str:
    payload = json.dumps({"v": [str(v) if v is not None else None for v in values], "b": backwards})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[list[str | None], bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        return list(payload["v"]), bool(payload.get("b", False))
    except (ValueError, KeyError, TypeError) as exc:
        raise ApplicationError(
            _("The page link is invalid or out of date. Open the first page of the list again."),
            code="invalid_cursor",
        ) from exc


def _key_of(obj: Any, field: str) -> Any:
    value = obj
    for part in field.lstrip("-").replace("__", ".").split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def _after(fields: Sequence[str], values: Sequence[Any], *, backwards: bool) -> Q:
    """Row-value comparison `(f1, f2, ...) > (v1, v2, ...)` spelled as OR of ANDs (works everywhere)."""
    condition = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for prev_field, prev_value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{prev_field.lstrip("-"): prev_value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet[Any], *, ordering: Sequence[str], cursor: str | None, size: int = 50
) -> Page:
    """One page of `queryset` after (or before) `cursor`, ordered by `ordering` (last field unique)."""
    size = max(1, min(size, 500))
    backwards = False
    qs = queryset
    if cursor:
        values, backwards = decode_cursor(cursor)
        if len(values) != len(ordering):
            raise ApplicationError(
                _(
                    "The page link is invalid or out of date. Open the first page of the list again."
                ),
                code="invalid_cursor",
            )
        qs = qs.filter(_after(ordering, values, backwards=backwards))
    order = [(f[1:] if f.startswith("-") else f"-{f}") for f in ordering] if backwards else ordering
    rows = list(qs.order_by(*order)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = has_more if not backwards else True
    has_previous = bool(cursor) and (has_more if backwards else True)
    next_cursor = (
        encode_cursor([_key_of(rows[-1], f) for f in ordering]) if rows and has_next else None
    )
    previous_cursor = (
        encode_cursor([_key_of(rows[0], f) for f in ordering], backwards=True)
        if rows and has_previous
        else None
    )
    return Page(rows, next_cursor, previous_cursor, has_next, has_previous)

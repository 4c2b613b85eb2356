"""Keyset pagination for API lists: `?cursor=&limit=` in, `{"items": [...], "next_cursor": ...}` out.

Built on sinergi.core.pagination.keyset_page: no COUNT(*), the same cost for the last page as for
the first. An endpoint takes `filters: Query[UnitQueryIn]` (a subclass of KeysetQueryIn), declares
`response=page_schema(UnitOut)` and returns
`paginate(queryset, ordering=("path", "id"), cursor=filters.cursor, limit=filters.limit)`.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field, create_model

from sinergi.core.pagination import keyset_page

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class KeysetQueryIn(Schema):
    """`?cursor=&limit=`; list endpoints extend it with their filters."""

    cursor: str = Field(
        "",
        max_length=500,
        description="Opaque cursor from the previous page's `next_cursor`; empty for page one.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (1-200).")


_page_schemas: dict[type, type[Schema]] = {}


def page_schema(item: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item`, named after it (UnitOut -> UnitPageOut)."""
    if item not in _page_schemas:
        name = item.__name__.removesuffix("Out") + "PageOut"
        _page_schemas[item] = create_model(
            name,
            __base__=Schema,
            items=(list[item], ...),  # type: ignore[valid-type]
            next_cursor=(
                str | None,
                Field(None, description="Pass as `cursor` for the next page; null on the last."),
            ),
        )
    return _page_schemas[item]


def paginate(
    queryset: QuerySet[Any],
    *,
    ordering: Sequence[str],
    cursor: str | None,
    limit: int = DEFAULT_LIMIT,
    item: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """One page of `queryset` (ordering must end with a unique field) in the API list shape."""
    page = keyset_page(
        queryset, ordering=ordering, cursor=cursor or None, size=max(1, min(limit, MAX_LIMIT))
    )
    items = [item(obj) for obj in page.items] if item else list(page.items)
    return {"items": items, "next_cursor": page.next_cursor}

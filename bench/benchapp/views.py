"""Reference pages the page budgets are measured against (installed by the bench server only).

Both need a signed-in user, so a request pays the same middleware as a real page (session, user,
CSP nonce, idle timeout, 2FA check); what they leave out is the application's own work.

- `small_page` (P6 reference): a small template with the user's name, no query of its own.
- `keyset_list` (P5 reference): 50 rows of any table by keyset pagination, written as one plain SQL
  statement and a minimal template (no shell, no ORM). The table, columns, order, equality filters
  and the cursor come from the query string and are checked against the database's own catalogue:
  `?table=budget_sp2d&columns=id,number,amount&order=paid_on,id&desc=1&eq=unit_id:3&after=...`.
  `after` is given once per order column (the key of the last row seen); `desc=1` sorts every order
  column descending.
"""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 50
DEFAULT_TABLE = "benchapp_syntheticperson"
DEFAULT_COLUMNS = "id,nik,name,sex,birth_on,village_id"


@login_required
def small_page(request: HttpRequest) -> HttpResponse:
    return render(request, "benchapp/small.html", {"name": request.user.get_full_name()})  # type: ignore[union-attr]


@cache
def _columns_of(table: str) -> frozenset[str]:
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            raise Http404("no such table")
        return frozenset(
            column.name for column in connection.introspection.get_table_description(cursor, table)
        )


def _names(text: str, known: frozenset[str]) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names or any(name not in known for name in names):
        raise Http404("unknown column")
    return names


@login_required
def keyset_list(request: HttpRequest) -> HttpResponse:
    table = request.GET.get("table", DEFAULT_TABLE)
    known = _columns_of(table)
    columns = _names(request.GET.get("columns", DEFAULT_COLUMNS), known)
    order = _names(request.GET.get("order", "id"), known)
    descending = request.GET.get("desc") == "1"
    after = request.GET.getlist("after")
    quote = connection.ops.quote_name

    where, params = [], []
    for condition in request.GET.getlist("eq"):
        column, _sep, value = condition.partition(":")
        where.append(f"{quote(_names(column, known)[0])} = %s")
        params.append(value)
    keys = ", ".join(quote(name) for name in order)
    if after:
        if len(after) != len(order):
            raise Http404("one 'after' value per order column")
        marks = ", ".join(["%s"] * len(after))
        where.append(f"({keys}) {'<' if descending else '>'} ({marks})")
        params.extend(after)
    direction = " DESC" if descending else ""
    sql = (
        f"SELECT {', '.join(quote(name) for name in columns)}, {keys} FROM {quote(table)}"
        f"{' WHERE ' + ' AND '.join(where) if where else ''}"
        f" ORDER BY {', '.join(quote(name) + direction for name in order)} LIMIT {PAGE_SIZE + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows = [row[: len(columns)] for row in fetched[:PAGE_SIZE]]
    next_query = ""
    if len(fetched) > PAGE_SIZE:
        query = request.GET.copy()
        query.setlist("after", [str(value) for value in fetched[PAGE_SIZE - 1][len(columns) :]])
        next_query = query.urlencode()
    return render(
        request, "benchapp/list.html", {"columns": columns, "rows": rows, "next_query": next_query}
    )

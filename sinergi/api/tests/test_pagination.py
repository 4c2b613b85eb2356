import pytest
from django.test import Client

from sinergi.api.pagination import MAX_LIMIT, paginate
from sinergi.api.testing import assert_error, bearer_headers
from sinergi.organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_paginate_walks_every_row_once_in_order(units):
    queryset = Unit.objects.all()
    seen, cursor = [], None
    while True:
        page = paginate(queryset, ordering=("path", "id"), cursor=cursor, limit=4, item=str)
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(u) for u in Unit.objects.order_by("path", "id")]
    assert len(seen) == 6


def test_paginate_never_returns_more_than_the_maximum(units):
    page = paginate(Unit.objects.all(), ordering=("path", "id"), cursor=None, limit=10_000)
    assert len(page["items"]) == 6
    assert MAX_LIMIT == 200


def test_api_list_follows_next_cursor_to_the_end(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    codes, params = [], {"limit": 2}
    for _page in range(10):
        body = Client().get("/api/v1/organisation/units", params, **headers).json()
        assert len(body["items"]) <= 2
        codes.extend(item["code"] for item in body["items"])
        if body["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": body["next_cursor"]}
    assert codes == list(Unit.objects.order_by("path").values_list("code", flat=True))


def test_limit_above_200_is_a_validation_error(make_user, units):
    headers = bearer_headers(make_user("auditor", units.office))
    response = Client().get("/api/v1/organisation/units", {"limit": 201}, **headers)
    error = assert_error(response, 400, "validation_error")
    assert error["fields"] == {"limit": ["Masukkan nilai paling besar 200."]}

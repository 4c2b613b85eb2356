"""Speed work of issue 3 (budget P5/P6): the client list's cursor holds an id (never a name) and
opens a page by address, the address filters are codes only, deep keyset pages return exactly the
rows of the plain keyset, and the query counts do not grow."""

import base64
import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import PpksCategory, ServiceEntry, ServiceType, Stage
from sinergi.rehabilitation.selectors import casework
from sinergi.rehabilitation.testing import admit
from sinergi.rehabilitation.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _names(page):
    return [c.name for c in page.items]


@pytest.fixture
def many(units, people):
    """PAGE_SIZE + 5 clients in UPT A (names Klien 00..), 3 in UPT B."""
    cases = [
        admit(units.upt_a, name=f"Klien {i:02d}", birth_on=dt.date(1950, 1, 1) + dt.timedelta(i))
        for i in range(PAGE_SIZE + 5)
    ]
    for i in range(3):
        admit(units.upt_b, name=f"Klien B{i}", birth_on=dt.date(1960, 1, 1 + i))
    return cases


def test_the_cursor_holds_an_id_and_no_name(people, many):
    page = selectors.client_search_page(
        viewer=people.worker_a, filters=selectors.ClientFilters(), cursor=None, size=PAGE_SIZE
    )
    assert page.has_next
    assert page.next_cursor
    decoded = base64.urlsafe_b64decode(page.next_cursor + "=" * (-len(page.next_cursor) % 4))
    assert b"Klien" not in decoded
    assert str(page.items[-1].pk).encode() in decoded


def test_pages_by_address_follow_the_keyset_both_ways(people, many):
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")
    first = client.get(url).context["page"]
    assert _names(first) == [f"Klien {i:02d}" for i in range(PAGE_SIZE)]
    second = client.get(url, {"cursor": first.next_cursor}).context["page"]
    assert _names(second) == [f"Klien {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]
    assert not second.has_next
    assert second.has_previous
    back = client.get(url, {"cursor": second.previous_cursor}).context["page"]
    assert _names(back) == _names(first)


def test_a_cursor_of_a_client_out_of_scope_or_broken_opens_the_first_page(people, units, many):
    other = admit(units.upt_b, name="Klien A00 lain", birth_on=dt.date(1970, 1, 1))
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")
    for cursor in [selectors.client_page_cursor(other.client_id), "rusak", "eyJ2IjogWzFdfQ"]:
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 200
        assert _names(response.context["page"])[0] == "Klien 00"
        assert "Tautan halaman tidak valid" in response.content.decode()


def test_the_address_takes_codes_but_never_a_name_or_nik(people, units, many):
    category = PpksCategory.objects.exclude(code="LUT").order_by("number").first()
    admit(units.upt_a, name="Zaenab", birth_on=dt.date(1955, 5, 5), ppks_category=category)
    client = _http(people.office)
    url = reverse("rehabilitation:client_list")
    assert _names(client.get(url, {"category": category.code}).context["page"]) == ["Zaenab"]
    assert _names(
        client.get(url, {"stage": "pendekatan-awal", "unit": units.upt_b.pk}).context["page"]
    ) == ["Klien B0", "Klien B1", "Klien B2"]
    assert _names(client.get(url, {"stage": "terminasi"}).context["page"]) == []
    # a name or a NIK in the address is ignored (first page, unfiltered)
    assert len(client.get(url, {"name": "zaenab"}).context["page"].items) == PAGE_SIZE
    nik = many[0].client.nik
    assert len(client.get(url, {"nik": nik}).context["page"].items) == PAGE_SIZE


def test_the_stage_filter_keeps_open_cases_of_the_scope_only(people, units, many):
    rencana = Stage.objects.get(code="rencana")
    many[0].__class__.objects.filter(pk=many[0].pk).update(stage=rencana)
    many[1].__class__.objects.filter(pk=many[1].pk).update(stage=rencana, status="closed")
    for viewer, expected in [(people.worker_a, ["Klien 00"]), (people.worker_b, [])]:
        page = selectors.client_search_page(
            viewer=viewer, filters=selectors.ClientFilters(stage="rencana"), cursor=None
        )
        assert _names(page) == expected


def test_the_list_with_a_cursor_costs_one_query_more_whatever_the_rows(people, units, many):
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")
    first = client.get(url).context["page"]

    def count(params):
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    plain = count({})
    paged = count({"cursor": first.next_cursor})
    assert paged == plain + 1  # the name of the cursor's client, read back in scope
    for i in range(5):
        admit(units.upt_a, name=f"Klien X{i}", birth_on=dt.date(1951, 1, 1 + i))
    assert (count({}), count({"cursor": first.next_cursor})) == (plain, paged)


def test_deep_service_pages_return_every_row_once_in_order(people, units):
    case = admit(units.upt_a, social_worker=people.worker_a)
    fisik = ServiceType.objects.get(code="FISIK")
    now = timezone.now()
    ServiceEntry.objects.bulk_create(
        ServiceEntry(
            case=case,
            service_type=fisik,
            given_on=dt.date(2026, 2, 1) + dt.timedelta(days=i // 3),  # three a day: ties
            provider_name="Pendamping",
            duration_minutes=30,
            recorded_at=now,
        )
        for i in range(23)
    )
    expected = list(
        ServiceEntry.objects.filter(case=case).order_by("-given_on", "-id").values_list("pk")
    )
    seen, cursor = [], None
    while True:
        page = casework.service_page(case=case, cursor=cursor, size=4)
        seen += [(e.pk,) for e in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected
    back = casework.service_page(case=case, cursor=page.previous_cursor, size=4)
    assert [(e.pk,) for e in back.items] == expected[-7:-3]


def test_a_broken_service_cursor_opens_the_first_page(people, units):
    case = admit(units.upt_a, social_worker=people.worker_a)
    url = reverse("rehabilitation:service_log", args=[case.pk])
    response = _http(people.worker_a).get(url, {"cursor": "eyJ2IjogWyJ4IiwgMV19"})
    assert response.status_code == 200
    assert "Tautan halaman tidak valid" in response.content.decode()


def test_the_stages_and_categories_are_cached_until_the_reference_data_is_loaded(people):
    selectors.stages()
    selectors.ppks_category_choices()
    with CaptureQueriesContext(connection) as captured:
        stages = selectors.stages()
        categories = selectors.ppks_category_choices()
    assert len(captured) == 0
    assert [s.number for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    assert len(categories) == 26
    assert categories[0] == ("ABT", "ABT – Anak Balita Terlantar")
    Stage.objects.filter(code="rencana").update(name="Diubah di basis data")
    assert selectors.stages()[2].name != "Diubah di basis data"  # still the cached list
    services.reference_load(actor=None)  # loads the data files again, forgets the cache
    with CaptureQueriesContext(connection) as captured:
        assert selectors.stages()[2].name == "Penyusunan rencana pemecahan masalah"
    assert len(captured) == 1

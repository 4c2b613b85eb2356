"""The two staff lists (employees, late and missing): keyset pages named by an employee id, the
rows' links, and the filters kept after a search. Their query counts are pinned in
test_query_counts.py."""

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.staff.models.periods import previous_month
from sinergi.staff.testing import make_employee

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_both_lists_page_by_an_employee_id_and_never_by_a_name(people, units):
    for n in range(55):
        make_employee(units.upt_b, name=f"Tambahan {n:02d}", supervisor=people.e_head_b)
    client = _client(people.hr)
    first = client.get("/pegawai/").context["page"]
    assert first.next_cursor == str(first.items[-1].pk)
    second = client.get(f"/pegawai/?cursor={first.next_cursor}").context["page"]
    assert second.items[0].name > first.items[-1].name
    assert client.post("/pegawai/", {"cursor": first.next_cursor}).context["page"].items == (
        second.items
    )
    back = client.get(f"/pegawai/?cursor={second.previous_cursor}").context["page"]
    assert [e.pk for e in back.items] == [e.pk for e in first.items]
    # an id outside the viewer's scope is an out-of-date link: the first page, with a warning
    own = _client(people.worker_b).get(f"/pegawai/?cursor={people.e_worker_a.pk}")
    assert [e.name for e in own.context["page"].items] == ["Pegawai B"]
    assert "kedaluwarsa" in own.content.decode()
    year, month = previous_month(timezone.localdate())
    late = client.get(f"/pegawai/kepatuhan/terlambat/?tahun={year}&bulan={month}")
    page = late.context["page"]
    assert len(page.items) == 50
    assert page.has_next
    html = late.content.decode()
    assert f"cursor={page.next_cursor}" in html
    nxt = client.get(
        f"/pegawai/kepatuhan/terlambat/?tahun={year}&bulan={month}&cursor={page.next_cursor}"
    )
    assert len(nxt.context["page"].items) == 62 - 50


def test_the_employee_list_links_each_row_and_keeps_the_chosen_filters(people, units):
    from django.urls import reverse

    client = _client(people.hr)
    response = client.post(
        "/pegawai/", {"unit": units.upt_a.pk, "employment_type": "pns", "status": "all"}
    )
    html = response.content.decode()
    names = [e.name for e in response.context["page"].items]
    assert names == ["Kepala UPT A", "Pegawai A"]
    for employee in response.context["page"].items:
        assert f'<a href="{reverse("staff:employee_detail", args=[employee.pk])}">' in html
    assert f'<option value="{units.upt_a.pk}" selected>UPT RSBD Pasuruan</option>' in html
    assert '<option value="pns" selected>' in html
    assert '<option value="all" selected>' in html
    assert html.count(" selected>") == 3
    # an employee's unit filter offers only the units of their scope
    own = _client(people.worker_b).get("/pegawai/").content.decode()
    assert "UPT RSBD Pasuruan" not in own

"""Scoping of the reads: each UPT sees its own clients; the division and the office see all."""

import datetime as dt

import pytest

from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.models import Case
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(units, people):
    a = admit(units.upt_a, social_worker=people.worker_a, name="Ani")
    b = admit(
        units.upt_b,
        social_worker=people.worker_b,
        name="Budi",
        sex="L",
        birth_on=dt.date(1949, 2, 2),
    )
    return a, b


def _names(viewer):
    qs = selectors.client_search(viewer=viewer, filters=selectors.ClientFilters())
    return sorted(qs.values_list("name", flat=True))


def test_clients_are_scoped_by_the_upt_of_their_cases(people, make_user, two_cases):
    assert _names(make_user("social_worker", None)) == []  # no unit: sees nothing
    assert _names(people.worker_a) == ["Ani"]
    assert _names(people.head_b) == ["Budi"]
    assert _names(people.division) == ["Ani", "Budi"]
    assert _names(people.office) == ["Ani", "Budi"]
    # The selector scopes by unit only; the permission check at the edge refuses a user without
    # a rehabilitation role (tested in test_views / test_api).
    assert _names(people.no_role) == ["Ani"]


def test_a_client_readmitted_elsewhere_is_seen_by_both_upt_with_only_their_own_cases(
    people, units, two_cases
):
    a, _b = two_cases
    Case.objects.filter(pk=a.pk).update(status=Case.Status.CLOSED)
    second = admit(units.upt_b, nik=a.client.nik, name="Ani")
    assert second.client_id == a.client_id
    assert [c.pk for c in selectors.client_cases(viewer=people.worker_b, client=a.client)] == [
        second.pk
    ]
    assert [c.pk for c in selectors.client_cases(viewer=people.worker_a, client=a.client)] == [a.pk]
    assert len(selectors.client_cases(viewer=people.office, client=a.client)) == 2


def test_case_get_answers_404_outside_scope(people, two_cases):
    from django.http import Http404

    a, b = two_cases
    assert selectors.case_get(viewer=people.worker_a, pk=a.pk) == a
    with pytest.raises(Http404):
        selectors.case_get(viewer=people.worker_a, pk=b.pk)
    with pytest.raises(Http404):
        selectors.case_get(viewer=people.worker_a, pk="not-a-uuid")
    with pytest.raises(Http404):
        selectors.client_get(viewer=people.worker_a, pk=b.client_id)

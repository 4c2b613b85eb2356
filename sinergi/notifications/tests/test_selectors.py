"""The viewer's own notifications, unread first, and the bell count."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from sinergi.core.pagination import keyset_page
from sinergi.notifications import selectors
from sinergi.notifications.tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(units, make_user):
    return make_user("social_worker", units.upt_a)


def test_list_shows_unread_first_then_newest_first(worker, units, make_user):
    read_new = make_notification(worker, title="dibaca baru", read=True, age_days=0)
    unread_old = make_notification(worker, title="belum lama", age_days=5)
    unread_new = make_notification(worker, title="belum baru", age_days=1)
    read_old = make_notification(worker, title="dibaca lama", read=True, age_days=9)
    make_notification(make_user("social_worker", units.upt_a), title="orang lain")

    qs = selectors.notification_list(viewer=worker)
    page = keyset_page(qs, ordering=selectors.LIST_ORDERING, cursor=None, size=10)

    assert [n.pk for n in page.items] == [unread_new.pk, unread_old.pk, read_new.pk, read_old.pk]


def test_unread_filter_keeps_only_unread(worker):
    make_notification(worker, read=True)
    unread = make_notification(worker)

    assert [n.pk for n in selectors.notification_list(viewer=worker, unread_only=True)] == [
        unread.pk
    ]


def test_keyset_pages_walk_every_notification_once_across_the_read_boundary(worker):
    made = [make_notification(worker, read=i % 3 == 0, age_days=i) for i in range(23)]
    qs = selectors.notification_list(viewer=worker)

    seen, cursor = [], None
    while True:
        page = keyset_page(qs, ordering=selectors.LIST_ORDERING, cursor=cursor, size=5)
        seen += [n.pk for n in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor

    assert sorted(seen) == sorted(n.pk for n in made)
    assert len(seen) == len(set(seen))


def test_get_answers_404_for_someone_elses_or_missing(worker, units, make_user):
    theirs = make_notification(make_user("social_worker", units.upt_a))

    with pytest.raises(Http404):
        selectors.notification_get(viewer=worker, pk=theirs.pk)
    with pytest.raises(Http404):
        selectors.notification_get(viewer=worker, pk="abc")


def test_unread_count_stops_counting_after_the_badge_cap(worker):
    for _ in range(selectors.BADGE_CAP + 5):
        make_notification(worker)

    assert selectors.unread_count(viewer=worker) == selectors.BADGE_CAP + 1


def test_unread_count_of_anonymous_is_zero_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.unread_count(viewer=AnonymousUser()) == 0

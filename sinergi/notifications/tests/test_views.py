"""The notification list, mark read (htmx and plain), open, and the bell."""

import re

import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.notifications.models import Notification
from sinergi.notifications.tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units, make_user):
    return {
        "worker": make_user("social_worker", units.upt_a),
        "other": make_user("social_worker", units.upt_a),
        "no_role": make_user(None, units.upt_b),
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _read_state(notification):
    return lambda: Notification.objects.get(pk=notification.pk).read_at


# --- authorization ------------------------------------------------------------------------------


def test_list_authorization(people):
    assert_authorization(
        url="/notifikasi/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("any signed-in user, even without a role", people["no_role"], 200),
        ],
    )


@pytest.mark.parametrize("action", ["dibaca", "buka"])
def test_mark_read_and_open_authorization(people, action):
    theirs = make_notification(people["other"], url="/bantuan/")
    assert_authorization(
        url=f"/notifikasi/{theirs.pk}/{action}/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("another user's notification", people["worker"], 404),
        ],
        state=_read_state(theirs),
    )
    assert_authorization(
        url=f"/notifikasi/{theirs.pk}/{action}/",
        method="post",
        cases=[Expect("the recipient", people["other"], 302)],
    )


def test_mark_all_read_authorization(people):
    theirs = make_notification(people["other"])
    assert_authorization(
        url="/notifikasi/semua-dibaca/",
        method="post",
        cases=[Expect("anonymous", None, 302)],
        state=_read_state(theirs),
    )


@pytest.mark.parametrize(
    "url", ["/notifikasi/1/dibaca/", "/notifikasi/1/buka/", "/notifikasi/semua-dibaca/"]
)
def test_changing_urls_refuse_get(people, url):
    make_notification(people["worker"])

    assert _client(people["worker"]).get(url).status_code == 405


# --- behaviour ---------------------------------------------------------------------------------


def test_bell_shows_the_unread_count_and_links_to_the_list(people):
    worker = people["worker"]
    make_notification(worker)
    make_notification(worker)
    make_notification(worker, read=True)

    html = _client(worker).get("/").content.decode()

    assert re.search(r'data-testid="notification-count">2</span>', html)
    assert 'href="/notifikasi/"' in html
    assert "Notifikasi: 2 belum dibaca" in html


def test_bell_without_unread_has_no_badge(people):
    html = _client(people["worker"]).get("/").content.decode()

    assert 'data-testid="notification-count"' not in html
    assert "Notifikasi: tidak ada yang belum dibaca" in html


def test_bell_caps_the_count_at_99_plus(people):
    for _ in range(105):
        make_notification(people["worker"])

    html = _client(people["worker"]).get("/").content.decode()

    assert re.search(r'data-testid="notification-count">99\+</span>', html)


def test_list_shows_own_notifications_only_unread_first(people):
    worker = people["worker"]
    make_notification(worker, title="Sudah dibaca", read=True)
    make_notification(worker, title="Belum dibaca")
    make_notification(people["other"], title="Milik orang lain")

    response = _client(worker).get("/notifikasi/")

    assert [n.title for n in response.context["page"].items] == ["Belum dibaca", "Sudah dibaca"]
    assert "Milik orang lain" not in response.content.decode()


def test_unread_filter(people):
    worker = people["worker"]
    make_notification(worker, title="Sudah dibaca", read=True)
    make_notification(worker, title="Belum dibaca")

    response = _client(worker).get("/notifikasi/", {"filter": "unread"})

    assert [n.title for n in response.context["page"].items] == ["Belum dibaca"]


def test_empty_states_explain_what_will_appear(people):
    client = _client(people["worker"])

    assert "Belum ada notifikasi." in client.get("/notifikasi/").content.decode()
    make_notification(people["worker"], read=True)
    assert (
        "Semua notifikasi sudah Anda baca."
        in client.get("/notifikasi/", {"filter": "unread"}).content.decode()
    )


def test_mark_read_by_htmx_returns_the_item_and_the_updated_bell(people):
    worker = people["worker"]
    first = make_notification(worker, title="Satu")
    make_notification(worker, title="Dua")

    response = _client(worker).post(
        f"/notifikasi/{first.pk}/dibaca/", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="notification-{first.pk}"' in html
    assert 'data-testid="unread-badge"' not in html
    assert 'id="notification-bell"' in html
    assert 'hx-swap-oob="true"' in html
    assert re.search(r'data-testid="notification-count">1</span>', html)
    assert Notification.objects.get(pk=first.pk).read_at is not None


def test_mark_read_without_htmx_redirects_back_to_the_list(people):
    notification = make_notification(people["worker"])

    response = _client(people["worker"]).post(
        f"/notifikasi/{notification.pk}/dibaca/", {"filter": "unread"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/notifikasi/?filter=unread"


def test_mark_all_read(people):
    worker = people["worker"]
    make_notification(worker)
    make_notification(worker)

    response = _client(worker).post("/notifikasi/semua-dibaca/")

    assert response["Location"] == "/notifikasi/"
    assert Notification.objects.filter(recipient=worker, read_at__isnull=True).count() == 0


def test_open_marks_read_and_goes_to_the_link(people):
    notification = make_notification(people["worker"], url="/bantuan/masuk/")

    response = _client(people["worker"]).post(f"/notifikasi/{notification.pk}/buka/")

    assert response["Location"] == "/bantuan/masuk/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_open_without_a_link_goes_to_the_list(people):
    notification = make_notification(people["worker"])

    response = _client(people["worker"]).post(f"/notifikasi/{notification.pk}/buka/")

    assert response["Location"] == "/notifikasi/"


def test_list_pages_with_a_cursor_and_ignores_a_broken_one(people):
    worker = people["worker"]
    for index in range(30):
        make_notification(worker, title=f"N{index}")
    client = _client(worker)

    first = client.get("/notifikasi/")
    second = client.get("/notifikasi/", {"cursor": first.context["page"].next_cursor})
    broken = client.get("/notifikasi/", {"cursor": "xx"})

    assert len(first.context["page"].items) == 25
    assert len(second.context["page"].items) == 5
    assert broken.status_code == 302


# --- pinned query counts ----------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_the_rows(people, django_assert_num_queries):
    worker = people["worker"]
    client = _client(worker)
    client.get("/notifikasi/")
    # session, user+unit, 2FA role check, page of notifications, permissions (the menu, one
    # query), unread count
    with django_assert_num_queries(6):
        client.get("/notifikasi/")
    for index in range(40):
        make_notification(worker, read=index % 2 == 0)
    with django_assert_num_queries(6):
        response = client.get("/notifikasi/")
    assert len(response.context["page"].items) == 25


def test_mark_read_query_count_is_pinned(people, django_assert_num_queries):
    worker = people["worker"]
    notification = make_notification(worker)
    client = _client(worker)
    client.get("/notifikasi/")

    # session, user+unit, 2FA role check, the notification, savepoint+update+release, unread
    # count for the refreshed bell (an htmx fragment: no menu, so no permission query)
    with django_assert_num_queries(8):
        client.post(f"/notifikasi/{notification.pk}/dibaca/", headers={"HX-Request": "true"})


def test_pages_that_do_not_show_the_bell_do_not_count(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        Client().get("/akun/masuk/")

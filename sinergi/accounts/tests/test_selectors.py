"""User reads are scoped to the viewer's units."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from sinergi.accounts import selectors

pytestmark = pytest.mark.django_db


def _usernames(qs):
    return [u.username for u in qs]


@pytest.fixture
def people(units, make_user):
    return {
        "office": make_user("head_of_office", units.office, username="kadinsos"),
        "division": make_user("head_of_division", units.rehab_division, username="kabid"),
        "upt_a": make_user("social_worker", units.upt_a, username="peksos.a", full_name="Ani"),
        "upt_b": make_user("social_worker", units.upt_b, username="peksos.b", full_name="Budi"),
    }


def test_office_wide_roles_see_every_user(people):
    assert _usernames(selectors.user_list(viewer=people["office"])) == [
        "kabid",
        "kadinsos",
        "peksos.a",
        "peksos.b",
    ]


def test_a_division_sees_its_upt_users_and_itself(people):
    assert _usernames(selectors.user_list(viewer=people["division"])) == [
        "kabid",
        "peksos.a",
        "peksos.b",
    ]


def test_a_upt_user_sees_only_their_upt(people):
    assert _usernames(selectors.user_list(viewer=people["upt_a"])) == ["peksos.a"]


def test_search_matches_username_or_full_name(people):
    viewer = people["office"]

    assert _usernames(selectors.user_list(viewer=viewer, search="budi")) == ["peksos.b"]
    assert _usernames(selectors.user_list(viewer=viewer, search="PEKSOS")) == [
        "peksos.a",
        "peksos.b",
    ]


def test_unit_filter_keeps_the_units_subtree(people, units):
    viewer = people["office"]

    assert _usernames(selectors.user_list(viewer=viewer, unit=units.rehab_division)) == [
        "kabid",
        "peksos.a",
        "peksos.b",
    ]
    assert _usernames(selectors.user_list(viewer=viewer, unit=units.upt_b)) == ["peksos.b"]


def test_user_get_answers_404_outside_the_scope(people):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.user_get(viewer=people["upt_a"], pk=people["upt_b"].pk)
    with pytest.raises(Http404):
        selectors.user_get(viewer=people["upt_a"], pk=999_999)
    assert selectors.user_get(viewer=people["upt_a"], pk=people["upt_a"].pk) == people["upt_a"]


def test_anonymous_sees_no_user(people):
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.user_list(viewer=AnonymousUser())) == []


def test_lockout_is_reported_only_while_the_cool_off_lasts(people):
    user = people["upt_a"]
    attempt = AccessAttempt.objects.create(
        username=user.username,
        ip_address="127.0.0.1",
        user_agent="t",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    assert selectors.user_is_locked_out(user) is True

    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - dt.timedelta(minutes=16)
    )
    assert selectors.user_is_locked_out(user) is False


def test_four_failures_do_not_count_as_a_lockout(people):
    user = people["upt_a"]
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="127.0.0.1",
        user_agent="t",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=4,
    )

    assert selectors.user_is_locked_out(user) is False

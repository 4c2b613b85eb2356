import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api import services as api_services
from sinergi.api.testing import assert_error, bearer_headers
from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit/events"


def _get(user, url, **params):
    return Client().get(url, params, **bearer_headers(user))


def _scoped_auditor(make_user, unit):
    user = make_user("head_of_division", unit)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    )
    return user


def test_events_endpoints_authorization_matrix(make_user, units):
    outside = audit.record(actor=make_user("social_worker", units.secretariat), action="t.out")
    inside = audit.record(actor=make_user("social_worker", units.upt_a), action="t.in")
    auditor = make_user("auditor", units.office)
    worker = make_user("social_worker", units.upt_a)
    scoped = _scoped_auditor(make_user, units.rehab_division)
    assert_authorization(
        url=EVENTS,
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", worker, 403),
            Expect("auditor", auditor, 200),
        ],
    )
    assert_authorization(
        url=f"{EVENTS}/{outside.pk}",
        cases=[
            Expect("anonymous", None, 401),
            Expect("social worker", worker, 403),
            Expect("scoped holder of the permission, event of another unit", scoped, 404),
            Expect("auditor", auditor, 200),
        ],
    )
    assert_authorization(
        url=f"{EVENTS}/{inside.pk}", cases=[Expect("scoped holder, own subtree", scoped, 200)]
    )


def test_wrong_role_gets_403_in_the_error_format(make_user, units):
    assert_error(_get(make_user("social_worker", units.upt_a), EVENTS), 403, "permission_denied")


def test_events_use_the_same_filters_as_the_page(make_user, units):
    auditor = make_user("auditor", units.office)
    worker = make_user("social_worker", units.upt_a, username="rina")
    audit.record(actor=worker, action="rehabilitation.case_closed", target=units.upt_a)
    audit.record_read(actor=worker, action="rehabilitation.client_viewed", target=units.upt_a)
    audit.record(actor=auditor, action="budget.pagu_set")

    def actions(**params):
        return [e["action"] for e in _get(auditor, EVENTS, **params).json()["items"]]

    assert actions(actor="rina") == ["rehabilitation.client_viewed", "rehabilitation.case_closed"]
    assert actions(action="rehabilitation.case") == ["rehabilitation.case_closed"]
    assert actions(kind="read") == ["rehabilitation.client_viewed"]
    assert actions(
        target_type="organisation.unit", target_id=str(units.upt_a.pk), actor="rina"
    ) == [
        "rehabilitation.client_viewed",
        "rehabilitation.case_closed",
    ]


def test_event_shape(make_user, units):
    auditor = make_user("auditor", units.office)
    event = audit.record(
        actor=auditor, action="t.shape", target=units.upt_a, changes={"name": ["a", "b"]}
    )
    body = _get(auditor, f"{EVENTS}/{event.pk}").json()
    assert set(body) == {
        "id",
        "occurred_at",
        "kind",
        "actor_username",
        "actor_unit_path",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "extra",
        "ip_address",
        "request_id",
    }
    assert (body["id"], body["kind"], body["changes"]) == (event.pk, "change", {"name": ["a", "b"]})


def test_events_are_paged_with_a_cursor(make_user, units):
    auditor = make_user("auditor", units.office)
    created = [audit.record(actor=auditor, action=f"t.page{i}").pk for i in range(7)]
    seen, params = [], {"action": "t.page", "limit": 3}
    while True:
        body = _get(auditor, EVENTS, **params).json()
        seen.extend(e["id"] for e in body["items"])
        if body["next_cursor"] is None:
            break
        params = {**params, "cursor": body["next_cursor"]}
    assert seen == list(reversed(created))


def test_events_query_count_does_not_grow(make_user, units, django_assert_num_queries):
    auditor = make_user("auditor", units.office)
    _token, key = api_services.token_issue(actor=auditor, user=auditor)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Client().get(EVENTS, **headers)
    for i in range(5):
        audit.record(actor=auditor, action=f"t.{i}")
    # token+user+unit, permissions (one query), scope check, the page
    with django_assert_num_queries(4):
        Client().get(EVENTS, **headers)
    for i in range(100):
        audit.record(actor=auditor, action=f"t.more{i}")
    with django_assert_num_queries(4):
        assert len(Client().get(EVENTS, {"limit": 50}, **headers).json()["items"]) == 50
    assert AuditEvent.objects.count() > 100

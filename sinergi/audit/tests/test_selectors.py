import datetime as dt
import zoneinfo
from unittest import mock

import pytest

from sinergi.audit import selectors
from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import EventFilters

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def _event(actor=None, action="test.done", at=None, **fields):
    """An event recorded as if at `at` (occurred_at is set by the database layer on insert)."""
    if at is None:
        return audit.record(actor=actor, action=action, **fields)
    with mock.patch("django.utils.timezone.now", return_value=at):
        return audit.record(actor=actor, action=action, **fields)


def test_date_range_is_inclusive_and_in_jakarta_time(make_user, units):
    viewer = make_user("auditor", units.office)
    # 23:30 WIB on 1 March is 16:30 UTC: it belongs to 1 March in the office.
    late = _event(action="test.late", at=dt.datetime(2025, 3, 1, 23, 30, tzinfo=JAKARTA))
    early = _event(action="test.early", at=dt.datetime(2025, 3, 2, 0, 10, tzinfo=JAKARTA))
    _event(action="test.before", at=dt.datetime(2025, 2, 28, 23, 59, tzinfo=JAKARTA))

    def actions(**kw):
        qs = selectors.event_list(viewer=viewer, filters=EventFilters(**kw))
        return [e.action for e in qs if e.action.startswith("test.")]

    day = dt.date(2025, 3, 1)
    assert actions(date_from=day, date_to=day) == [late.action]
    assert actions(date_from=dt.date(2025, 3, 2)) == [early.action]
    assert actions(date_from=day, date_to=dt.date(2025, 3, 2)) == [early.action, late.action]


def test_filters_by_actor_action_prefix_kind_target_and_request(make_user, units):
    viewer = make_user("auditor", units.office)
    worker = make_user("social_worker", units.upt_a, username="budi")
    unit_event = _event(actor=worker, action="organisation.unit_updated", target=units.upt_a)
    read_event = audit.record_read(
        actor=worker, action="organisation.unit_viewed", target=units.upt_b, purpose="cek"
    )
    other = _event(actor=viewer, action="accounts.password_changed", kind="security")

    def ids(**kw):
        qs = selectors.event_list(viewer=viewer, filters=EventFilters(**kw))
        return {e.pk for e in qs} & {unit_event.pk, read_event.pk, other.pk}

    assert ids(actor="budi") == {unit_event.pk, read_event.pk}
    assert ids(action="organisation.") == {unit_event.pk, read_event.pk}
    assert ids(action="organisation.unit_up") == {unit_event.pk}
    assert ids(kind="read") == {read_event.pk}
    assert ids(kind="security") == {other.pk}
    assert ids(target_type="organisation.unit", target_id=str(units.upt_b.pk)) == {read_event.pk}
    assert ids(target_type="Organisation.Unit", target_id=str(units.upt_a.pk)) == {unit_event.pk}


def test_request_id_filter_finds_the_events_of_one_request(make_user, units):
    from sinergi.core import request_context

    viewer = make_user("auditor", units.office)
    token = request_context.set_current(request_context.RequestContext(request_id="abc123"))
    try:
        first = _event(action="test.one")
        second = _event(action="test.two")
    finally:
        request_context.reset(token)
    _event(action="test.three")
    qs = selectors.event_list(viewer=viewer, filters=EventFilters(request_id="abc123"))
    assert [e.pk for e in qs] == [second.pk, first.pk]


def test_newest_events_come_first_with_id_breaking_ties(make_user, units):
    viewer = make_user("auditor", units.office)
    events = [_event(action=f"test.{i}") for i in range(3)]
    listed = [e.pk for e in selectors.event_list(viewer=viewer) if e.action.startswith("test.")]
    assert listed == [e.pk for e in reversed(events)]


def test_a_unit_scoped_viewer_sees_only_events_of_actors_in_its_subtree(make_user, units):
    head = make_user("head_of_division", units.rehab_division)
    in_scope = _event(actor=make_user("social_worker", units.upt_a), action="test.inside")
    outside = _event(actor=make_user("social_worker", units.secretariat), action="test.outside")
    system = _event(actor=None, action="test.system")
    visible = {e.pk for e in selectors.event_list(viewer=head)}
    assert in_scope.pk in visible
    assert outside.pk not in visible
    assert system.pk not in visible
    office = make_user("auditor", units.upt_b)
    assert {in_scope.pk, outside.pk, system.pk} <= {
        e.pk for e in selectors.event_list(viewer=office)
    }


def test_event_get_answers_404_for_missing_and_out_of_scope_alike(make_user, units):
    from django.http import Http404

    head = make_user("head_of_division", units.rehab_division)
    outside = _event(actor=make_user("social_worker", units.secretariat))
    with pytest.raises(Http404):
        selectors.event_get(viewer=head, event_id=outside.pk)
    with pytest.raises(Http404):
        selectors.event_get(viewer=head, event_id=999_999)


def test_filters_as_dict_keeps_only_what_is_set():
    filters = EventFilters(date_from=dt.date(2025, 1, 2), action="accounts.", kind="")
    assert filters.as_dict() == {"date_from": "2025-01-02", "action": "accounts."}


def test_exceeds_checks_without_counting_everything(make_user, units):
    for i in range(3):
        _event(action=f"test.{i}")
    qs = AuditEvent.objects.filter(action__startswith="test.")
    assert selectors.exceeds(qs, 2) is True
    assert selectors.exceeds(qs, 3) is False

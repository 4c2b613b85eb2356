import pytest
from django.db import IntegrityError, connection, transaction

from sinergi.audit import services as audit
from sinergi.audit.models import AppendOnlyError, AuditEvent
from sinergi.organisation import services as org_services
from sinergi.organisation.models import Unit, UnitType

pytestmark = pytest.mark.django_db


def _unit_type():
    return UnitType.objects.create(code="dinas", name="Dinas")


def test_a_successful_service_call_leaves_exactly_one_audit_event():
    kind = _unit_type()
    unit = org_services.unit_create(actor=None, code="dinsos", name="Dinas Sosial", unit_type=kind)
    events = list(AuditEvent.objects.filter(target_id=str(unit.pk)))
    assert len(events) == 1
    assert events[0].action == "organisation.unit_created"
    assert events[0].changes["name"] == [None, "Dinas Sosial"]


def test_a_failed_transaction_leaves_no_audit_event_and_no_change():
    kind = _unit_type()
    org_services.unit_create(actor=None, code="dinsos", name="Dinas Sosial", unit_type=kind)
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.record(actor=None, action="test.something")
        # the same code again violates the unique constraint inside the same transaction
        Unit.objects.create(code="dinsos", name="Duplikat", unit_type=kind, path="/x/")
    assert AuditEvent.objects.count() == before
    assert Unit.objects.filter(name="Duplikat").count() == 0


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm():
    event = audit.record(actor=None, action="test.created")
    event.action = "test.tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.created"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_trigger_rejects_raw_update_and_delete():
    from django.db import DatabaseError

    event = audit.record(actor=None, action="test.created")
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.created"


def test_changes_between_lists_only_changed_fields():
    assert audit.changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }


# --- Sensitive reads and exports -----------------------------------------------------------------


def test_record_read_logs_a_read_event_with_its_purpose(make_user, units):
    from sinergi.audit.models import AuditEvent

    viewer = make_user("social_worker", units.upt_a)
    event = audit.record_read(
        actor=viewer, action="organisation.unit_viewed", target=units.upt_a, purpose="verifikasi"
    )
    assert (event.kind, event.action, event.extra) == (
        AuditEvent.Kind.READ,
        "organisation.unit_viewed",
        {"purpose": "verifikasi"},
    )
    assert (event.target_type, event.target_id) == ("organisation.unit", str(units.upt_a.pk))


def test_sensitive_read_mixin_logs_one_read_per_get_of_a_detail_view(make_user, units):
    from django.test import RequestFactory
    from django.views.generic import DetailView

    class UnitDetail(audit.SensitiveReadMixin, DetailView):
        model = Unit
        read_action = "organisation.unit_viewed"
        read_purpose = "pemeriksaan"

    viewer = make_user("social_worker", units.upt_a)
    request = RequestFactory().get("/x/")
    request.user = viewer
    view = UnitDetail()
    view.setup(request, pk=units.upt_a.pk)
    assert view.get_object() == units.upt_a
    event = AuditEvent.objects.get(action="organisation.unit_viewed")
    assert (event.kind, event.actor_username, event.extra) == (
        "read",
        viewer.username,
        {"purpose": "pemeriksaan"},
    )
    post = RequestFactory().post("/x/")
    post.user = viewer
    view.setup(post, pk=units.upt_a.pk)
    view.get_object()
    assert AuditEvent.objects.filter(action="organisation.unit_viewed").count() == 1


def test_sensitive_read_mixin_refuses_a_view_without_an_action(make_user, units):
    from django.test import RequestFactory
    from django.views.generic import DetailView

    class Forgotten(audit.SensitiveReadMixin, DetailView):
        model = Unit

    request = RequestFactory().get("/x/")
    request.user = make_user("social_worker", units.upt_a)
    view = Forgotten()
    view.setup(request, pk=units.upt_a.pk)
    with pytest.raises(ValueError, match="read_action"):
        view.get_object()


def test_log_exported_records_the_filter_format_and_row_count(make_user, units):
    auditor = make_user("auditor", units.office)
    event = audit.log_exported(
        actor=auditor, filters={"kind": "read"}, export_format="csv", rows=12
    )
    assert (event.action, event.kind) == ("audit.log_exported", "security")
    assert event.extra == {"filters": {"kind": "read"}, "format": "csv", "rows": 12}

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

"""notify(), mark read, and the cleanup job."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.notifications import services
from sinergi.notifications.models import Notification
from sinergi.notifications.tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(units, make_user):
    return make_user("social_worker", units.upt_a, email="peksos@example.org")


def test_notify_creates_an_unread_notification(worker):
    notification = services.notify(
        recipient=worker,
        title="Rencana menunggu persetujuan",
        body="Rencana layanan klien menunggu persetujuan Anda.",
        url="/rehabilitasi/kasus/12/",
        level="warning",
    )

    assert notification.recipient == worker
    assert notification.read_at is None
    assert (notification.title, notification.url, notification.level) == (
        "Rencana menunggu persetujuan",
        "/rehabilitasi/kasus/12/",
        "warning",
    )


def test_notify_with_the_same_dedupe_key_returns_the_first_and_creates_nothing(worker):
    first = services.notify(recipient=worker, title="Tenggat", dedupe_key="deadline:2026-06")
    second = services.notify(recipient=worker, title="Tenggat lagi", dedupe_key="deadline:2026-06")

    assert second.pk == first.pk
    assert Notification.objects.count() == 1
    assert Notification.objects.get().title == "Tenggat"


def test_the_same_dedupe_key_for_two_recipients_gives_each_one_notification(
    worker, units, make_user
):
    other = make_user("social_worker", units.upt_a)

    services.notify(recipient=worker, title="Tenggat", dedupe_key="deadline:2026-06")
    services.notify(recipient=other, title="Tenggat", dedupe_key="deadline:2026-06")

    assert Notification.objects.count() == 2


def test_notifications_without_dedupe_key_are_never_merged(worker):
    services.notify(recipient=worker, title="A")
    services.notify(recipient=worker, title="A")

    assert Notification.objects.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "relatif/tanpa/garis",
        "/\\evil",
    ],
)
def test_notify_refuses_links_that_leave_sinergi(worker, url):
    with pytest.raises(ApplicationError) as caught:
        services.notify(recipient=worker, title="X", url=url)

    assert "url" in caught.value.field_errors
    assert Notification.objects.count() == 0


def test_notify_with_email_sends_it_only_after_commit(
    worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(
            recipient=worker, title="Rencana disetujui", body="Isi.", url="/x/", email=True
        )
        assert mailoutbox == []
    assert len(callbacks) == 1

    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["peksos@example.org"]
    assert message.subject == "[Sinergi] Rencana disetujui"
    assert "Isi." in message.body
    assert "/x/" in message.body
    assert "Email ini dikirim otomatis oleh Sinergi" in message.body


def test_notify_sends_no_email_when_not_asked_or_without_an_address(
    worker, units, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    no_address = make_user("social_worker", units.upt_a, email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=worker, title="Tanpa email")
        services.notify(recipient=no_address, title="Tanpa alamat", email=True)

    assert mailoutbox == []


def test_a_deduplicated_notify_sends_no_second_email(
    worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=worker, title="Sekali", email=True, dedupe_key="k")
        services.notify(recipient=worker, title="Sekali", email=True, dedupe_key="k")

    assert len(mailoutbox) == 1


def test_no_email_when_the_transaction_rolls_back(
    worker, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(recipient=worker, title="Batal", email=True)
        raise RuntimeError("the caller's change failed")

    assert callbacks == []
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_mark_read_sets_read_at_once(worker):
    notification = make_notification(worker)

    services.notification_mark_read(actor=worker, notification=notification)
    first_read_at = Notification.objects.get().read_at
    services.notification_mark_read(actor=worker, notification=Notification.objects.get())

    assert first_read_at is not None
    assert Notification.objects.get().read_at == first_read_at


def test_mark_read_refuses_someone_elses_notification(worker, units, make_user):
    notification = make_notification(make_user("social_worker", units.upt_a))

    with pytest.raises(ApplicationError):
        services.notification_mark_read(actor=worker, notification=notification)

    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_actors_unread(worker, units, make_user):
    other = make_user("social_worker", units.upt_a)
    make_notification(worker)
    make_notification(worker)
    already = make_notification(worker, read=True, age_days=3)
    make_notification(other)

    changed = services.notification_mark_all_read(actor=worker)

    assert changed == 2
    assert Notification.objects.filter(recipient=worker, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
    assert Notification.objects.get(pk=already.pk).read_at == already.read_at


def test_cleanup_deletes_only_read_notifications_older_than_180_days(worker):
    old_read = make_notification(worker, read=True, age_days=181)
    old_unread = make_notification(worker, age_days=400)
    recent_read = make_notification(worker, read=True, age_days=179)

    message = services.notification_cleanup()

    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {old_unread.pk, recent_read.pk}
    assert old_read.pk not in remaining
    assert message == "deleted 1 read notification(s) older than 180 days"
    event = AuditEvent.objects.get(action="notifications.cleaned_up")
    assert event.extra == {"deleted": 1, "older_than_days": 180}


def test_cleanup_with_nothing_to_delete_writes_no_audit_event(worker):
    make_notification(worker, read=True, age_days=10)

    assert services.notification_cleanup(now=timezone.now() + dt.timedelta(days=1)) == (
        "deleted 0 read notification(s) older than 180 days"
    )
    assert not AuditEvent.objects.filter(action="notifications.cleaned_up").exists()

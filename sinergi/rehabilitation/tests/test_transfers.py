"""Transfers: a request the receiving head of UPT accepts (new case linked, old one closed as
referred, bed freed) or declines with a reason; referral outside the office; notifications; the
explicit scope rule (the sender keeps reading its case, never the new one); the client timeline."""

import datetime as dt

import pytest
from django.http import Http404

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.notifications.models import Notification
from sinergi.rehabilitation import selectors as rehab_selectors
from sinergi.rehabilitation.models import Case, Residence, Transfer
from sinergi.rehabilitation.permissions import access_case
from sinergi.rehabilitation.selectors import transfers as selectors
from sinergi.rehabilitation.services import residential as residential_services
from sinergi.rehabilitation.services import transfers as services
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 10)


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


@pytest.fixture
def bed_a(units):
    room = residential_services.room_create(
        actor=None, unit=units.upt_a, wisma="Wisma A", name="Kamar 1", beds=1
    )
    return room.beds.get()


@pytest.fixture
def bed_b(units):
    room = residential_services.room_create(
        actor=None, unit=units.upt_b, wisma="Wisma B", name="Kamar 1", beds=1
    )
    return room.beds.get()


def _request(case, people, **kwargs):
    return services.transfer_request(
        actor=people.worker_a,
        case=case,
        to_unit=kwargs.pop("to_unit"),
        reason="Perlu layanan lansia",
        requested_on=DAY,
        **kwargs,
    )


def test_a_request_notifies_the_receiving_head_and_is_audited(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    assert (transfer.status, transfer.from_unit, transfer.to_unit) == (
        "pending",
        units.upt_a,
        units.upt_b,
    )
    notes = Notification.objects.filter(dedupe_key=f"rehabilitation.transfer:{transfer.pk}")
    assert [n.recipient for n in notes] == [people.head_b]
    assert AuditEvent.objects.filter(action="rehabilitation.transfer_requested").count() == 1


@pytest.mark.parametrize(
    ("who", "to", "message"),
    [
        ("worker_a2", "upt_b", "Only the social worker assigned"),
        ("worker_b", "upt_b", "Only the social worker assigned"),
        ("worker_a", "upt_a", "already in UPT RSBD Pasuruan"),
    ],
)
def test_bad_requests_are_refused_and_save_nothing(units, people, case_a, who, to, message):
    with pytest.raises(ApplicationError, match=message):
        services.transfer_request(
            actor=getattr(people, who),
            case=case_a,
            to_unit=getattr(units, to),
            reason="x",
            requested_on=DAY,
        )
    assert Transfer.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_reason_is_required_and_only_one_transfer_may_wait(units, people, case_a):
    with pytest.raises(ApplicationError, match="Write the reason"):
        services.transfer_request(
            actor=people.worker_a, case=case_a, to_unit=units.upt_b, reason=" ", requested_on=DAY
        )
    _request(case_a, people, to_unit=units.upt_b)
    with pytest.raises(ApplicationError, match="already waiting"):
        _request(case_a, people, to_unit=units.upt_b)
    assert Transfer.objects.count() == 1


def test_acceptance_closes_the_old_case_opens_a_linked_one_and_moves_the_bed(
    units, people, case_a, bed_a, bed_b
):
    residential_services.resident_admit(actor=None, case=case_a, bed=bed_a, admitted_on=DAY)
    transfer = _request(case_a, people, to_unit=units.upt_b)
    services.transfer_accept(
        actor=people.head_b,
        transfer=transfer,
        accepted_on=DAY + dt.timedelta(days=2),
        social_worker=people.worker_b,
        bed=bed_b,
    )
    transfer.refresh_from_db()
    old = Case.objects.get(pk=case_a.pk)
    new = transfer.new_case
    assert transfer.status == "accepted"
    assert transfer.decided_by == people.head_b
    assert old.status == "closed"
    assert old.termination_reason.code == "dirujuk"
    assert old.destination_address == "UPT PSTW Magetan"
    assert old.version == case_a.version + 1
    assert (new.unit, new.client_id, new.stage, new.social_worker) == (
        units.upt_b,
        old.client_id,
        old.stage,
        people.worker_b,
    )
    assert new.is_open
    assert new.admitted_on == DAY + dt.timedelta(days=2)
    # the sending bed is free, the receiving bed taken
    assert not Residence.objects.filter(unit=units.upt_a, ended_on__isnull=True).exists()
    assert Residence.objects.get(unit=units.upt_b, ended_on__isnull=True).case == new
    assert Residence.objects.get(case=old).end_reason == Residence.EndReason.TRANSFERRED
    actions = list(
        AuditEvent.objects.filter(action__startswith="rehabilitation.").values_list(
            "action", flat=True
        )
    )
    for expected in (
        "rehabilitation.transfer_accepted",
        "rehabilitation.case_opened",
        "rehabilitation.resident_admitted",
    ):
        assert expected in actions
    assert Notification.objects.filter(recipient=people.worker_a).count() == 1


def test_acceptance_into_a_full_upt_is_refused_and_nothing_changes(units, people, case_a, bed_b):
    resident_b = admit(units.upt_b, name="Penghuni B", birth_on=dt.date(1940, 2, 2))
    residential_services.resident_admit(actor=None, case=resident_b, bed=bed_b, admitted_on=DAY)
    transfer = _request(case_a, people, to_unit=units.upt_b)
    with pytest.raises(ApplicationError, match="UPT PSTW Magetan is full: 1 of its 1 beds"):
        services.transfer_accept(actor=people.head_b, transfer=transfer, bed=bed_b)
    transfer.refresh_from_db()
    assert transfer.status == "pending"
    assert transfer.new_case is None
    assert Case.objects.get(pk=case_a.pk).is_open
    assert Case.objects.filter(unit=units.upt_b).count() == 1


def test_only_the_receiving_head_may_answer(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    for outsider in (people.head_a, people.worker_b, people.division):
        with pytest.raises(ApplicationError, match="Only the head of the receiving UPT"):
            services.transfer_accept(actor=outsider, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == "pending"


def test_a_decline_needs_a_reason_and_leaves_the_case_in_place(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    with pytest.raises(ApplicationError, match="Write why"):
        services.transfer_decline(actor=people.head_b, transfer=transfer, reason="")
    services.transfer_decline(actor=people.head_b, transfer=transfer, reason="Kuota penuh")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decline_reason) == ("declined", "Kuota penuh")
    assert Case.objects.get(pk=case_a.pk).is_open
    with pytest.raises(ApplicationError, match="already been answered"):
        services.transfer_accept(actor=people.head_b, transfer=transfer)


def test_the_sender_can_withdraw_a_waiting_transfer(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    with pytest.raises(ApplicationError):
        services.transfer_cancel(actor=people.worker_b, transfer=transfer)
    services.transfer_cancel(actor=people.worker_a, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == "cancelled"


def test_a_referral_outside_closes_the_case_and_only_the_head_may_make_it(
    units, people, case_a, bed_a
):
    residential_services.resident_admit(actor=None, case=case_a, bed=bed_a, admitted_on=DAY)
    with pytest.raises(ApplicationError, match="only the head of UPT"):
        services.transfer_refer_outside(
            actor=people.worker_a,
            case=case_a,
            institution_name="RSJ Menur",
            institution_address="Surabaya",
            reason="Perawatan jiwa",
            referred_on=DAY,
        )
    assert Case.objects.get(pk=case_a.pk).is_open
    assert Transfer.objects.count() == 0
    transfer = services.transfer_refer_outside(
        actor=people.head_a,
        case=case_a,
        institution_name="RSJ Menur",
        institution_address="Surabaya",
        reason="Perawatan jiwa",
        referred_on=DAY + dt.timedelta(days=1),
    )
    case = Case.objects.get(pk=case_a.pk)
    assert transfer.status == "completed"
    assert transfer.kind == "institution"
    assert case.status == "closed"
    assert case.destination_address == "RSJ Menur, Surabaya"
    assert case.termination_on == DAY + dt.timedelta(days=1)
    assert not Residence.objects.filter(ended_on__isnull=True).exists()
    assert AuditEvent.objects.filter(action="rehabilitation.referred_outside").count() == 1


# --- The scope rule --------------------------------------------------------------------------


def test_the_sender_keeps_its_case_and_never_sees_the_new_one(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    # pending: the receiver reads the history through the transfer, not the case itself
    assert selectors.can_read_history(people.head_b, transfer)
    assert selectors.source_history(viewer=people.head_b, transfer=transfer)[0]
    with pytest.raises(Http404):
        access_case(people.head_b, case_a.pk)
    services.transfer_accept(actor=people.head_b, transfer=transfer, accepted_on=DAY)
    transfer.refresh_from_db()
    new = transfer.new_case
    # sender: its own (now closed) case, the transfer, but not the new case
    assert access_case(people.worker_a, case_a.pk) == case_a
    assert selectors.transfer_get(viewer=people.worker_a, pk=transfer.pk) == transfer
    assert selectors.new_case_for(people.worker_a, transfer) is None
    with pytest.raises(Http404):
        access_case(people.worker_a, new.pk)
    # receiver: the new case, and the old history through the transfer
    assert selectors.new_case_for(people.worker_b, transfer) == new
    assert selectors.can_read_history(people.worker_b, transfer)
    # the division sees both
    assert access_case(people.division, new.pk) == new
    assert access_case(people.division, case_a.pk) == case_a


def test_a_declined_transfer_gives_the_receiver_no_history(units, people, case_a):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    services.transfer_decline(actor=people.head_b, transfer=transfer, reason="Tidak sesuai")
    transfer.refresh_from_db()
    assert not selectors.can_read_history(people.head_b, transfer)
    assert selectors.source_history(viewer=people.head_b, transfer=transfer) == ([], [])
    assert selectors.can_read_history(people.worker_a, transfer)


def test_transfers_are_listed_for_sender_and_receiver_only(units, people, case_a, make_user):
    transfer = _request(case_a, people, to_unit=units.upt_b)
    assert list(selectors.transfer_list(viewer=people.worker_a)) == [transfer]
    assert list(selectors.transfer_list(viewer=people.head_b, direction="in")) == [transfer]
    assert list(selectors.transfer_list(viewer=people.head_b, direction="out")) == []
    assert list(selectors.transfer_list(viewer=people.office)) == [transfer]
    third = make_user("social_worker", units.empowerment_division)
    assert list(selectors.transfer_list(viewer=third)) == []
    with pytest.raises(Http404):
        selectors.transfer_get(viewer=third, pk=transfer.pk)


def test_the_client_timeline_shows_the_transfer_and_the_residence_events(
    units, people, case_a, bed_a
):
    residential_services.resident_admit(actor=None, case=case_a, bed=bed_a, admitted_on=DAY)
    transfer = _request(case_a, people, to_unit=units.upt_b)
    services.transfer_accept(actor=people.head_b, transfer=transfer, accepted_on=DAY)
    client = case_a.client
    sender_cases = rehab_selectors.client_cases(viewer=people.worker_a, client=client)
    kinds = {
        e.kind for e in rehab_selectors.client_timeline(viewer=people.worker_a, cases=sender_cases)
    }
    assert {"transfer_sent", "residence_admitted", "residence_ended"} <= kinds
    assert "transfer_received" not in kinds
    receiver_cases = rehab_selectors.client_cases(viewer=people.head_b, client=client)
    kinds = {
        e.kind for e in rehab_selectors.client_timeline(viewer=people.head_b, cases=receiver_cases)
    }
    assert "transfer_received" in kinds
    assert "residence_admitted" not in kinds

import datetime as dt

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import make_nik
from sinergi.organisation.models import Region
from sinergi.pillars import services
from sinergi.pillars.models import Member, MemberStatus
from sinergi.pillars.testing import bank, make_member, pillar_type

pytestmark = pytest.mark.django_db


def _create(units, **overrides):
    fields = {
        "actor": None,
        "pillar_type": pillar_type("tagana"),
        "nik": make_nik("35.78.01", dt.date(1990, 5, 17), "L", 77),
        "name": "Agus Salim",
        "sex": "L",
        "born_on": dt.date(1990, 5, 17),
        "regency": Region.objects.get(code="35.78"),
        "district": Region.objects.get(code="35.78.01"),
        "unit": units.empowerment_division,
        "active_from": dt.date(2024, 1, 1),
    }
    fields.update(overrides)
    return services.member_create(**fields)


def test_a_member_is_registered_with_one_audit_event_without_the_nik(regions, units):
    member = _create(units, bank=bank(), account_number="1234567890", account_holder="AGUS SALIM")
    assert member.account_ready is True
    events = AuditEvent.objects.filter(action="pillars.member_created")
    assert events.count() == 1
    assert member.nik not in str(events.get().changes)


def test_a_nik_that_disagrees_with_the_birth_date_is_refused_and_nothing_saved(regions, units):
    with pytest.raises(ApplicationError) as error:
        _create(units, born_on=dt.date(1991, 5, 17))
    assert "nik" in error.value.field_errors
    assert Member.objects.count() == 0
    assert not AuditEvent.objects.filter(action="pillars.member_created").exists()


def test_a_second_tksk_in_a_kecamatan_is_refused_until_the_first_ends(regions, units):
    first = make_member(unit=units.empowerment_division, type_code="tksk", name="Siti Aminah")
    with pytest.raises(ApplicationError) as error:
        make_member(unit=units.empowerment_division, type_code="tksk", name="Joko Widodo")
    assert error.value.code == "district_taken"
    assert "KARANG PILANG" in error.value.message
    assert Member.objects.count() == 1
    services.member_set_status(
        actor=None, member=first, status=MemberStatus.ENDED, reason="Mengundurkan diri"
    )
    second = make_member(unit=units.empowerment_division, type_code="tksk", name="Joko Widodo")
    assert second.status == MemberStatus.ACTIVE


def test_tagana_may_share_a_kecamatan(regions, units):
    make_member(unit=units.empowerment_division, name="A Satu")
    make_member(unit=units.empowerment_division, name="B Dua")
    assert Member.objects.count() == 2


def test_a_duplicate_account_number_is_refused(regions, units):
    make_member(unit=units.empowerment_division, name="Ani", account=False)
    _create(units, bank=bank(), account_number="1111111111", account_holder="Agus Salim")
    with pytest.raises(ApplicationError) as error:
        _create(
            units,
            nik=make_nik("35.78.01", dt.date(1990, 5, 17), "L", 78),
            bank=bank(),
            account_number="1111111111",
            account_holder="Agus Salim",
        )
    assert error.value.code == "duplicate_account"
    assert Member.objects.count() == 2


def test_an_account_number_of_the_wrong_length_for_the_bank_is_refused(regions, units):
    with pytest.raises(ApplicationError) as error:
        _create(units, bank=bank("002"), account_number="1234567890", account_holder="Agus Salim")
    assert "15" in error.value.message
    assert Member.objects.count() == 0


def test_a_holder_name_that_differs_must_be_confirmed_and_who_confirmed_is_kept(
    regions, units, officer
):
    fields = {"bank": bank(), "account_number": "2222222222", "account_holder": "Sri Rahayu"}
    with pytest.raises(ApplicationError) as error:
        _create(units, actor=officer, **fields)
    assert error.value.code == "holder_mismatch"
    member = _create(units, actor=officer, confirm_holder=True, **fields)
    assert (member.account_ready, member.holder_confirmed_by) == (True, officer)


def test_holder_names_match_ignoring_case_and_punctuation(regions, units):
    member = _create(
        units, name="Moh. Ali", bank=bank(), account_number="3333333333", account_holder="MOH ALI"
    )
    assert member.account_ready is True


def test_an_officer_cannot_register_members_of_another_unit(regions, units, officer):
    with pytest.raises(ApplicationError):
        _create(units, actor=officer, unit=units.upt_a)
    assert Member.objects.count() == 0


def test_a_tksk_needs_a_kecamatan(regions, units):
    with pytest.raises(ApplicationError) as error:
        _create(units, pillar_type=pillar_type("tksk"), district=None)
    assert "district" in error.value.field_errors

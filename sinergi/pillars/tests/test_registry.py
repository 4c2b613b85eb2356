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


# --- Jatim Social Care members come from the UPT staff ------------------------------------------


@pytest.fixture
def upt_employee(units):
    from sinergi.core.identity import make_nip
    from sinergi.staff.testing import make_employee

    nip = make_nip(dt.date(1988, 3, 9), dt.date(2012, 4, 1), "P", 7)
    return make_employee(units.upt_a, name="Rina Marlina", nip=nip)


def _jsc(units, employee_nip, **overrides):
    fields = {
        "pillar_type": pillar_type("jatim-social-care"),
        "nik": make_nik("35.78.01", dt.date(1988, 3, 9), "P", 5),
        "name": "Rina Marlina",
        "sex": "P",
        "born_on": dt.date(1988, 3, 9),
        "employee_nip": employee_nip,
    }
    fields.update(overrides)
    return _create(units, **fields)


def test_a_jatim_social_care_member_links_to_the_upt_employee_record(regions, units, upt_employee):
    member = _jsc(units, upt_employee.nip)
    assert member.employee == upt_employee
    event = AuditEvent.objects.get(action="pillars.member_created")
    assert event.changes["employee"] == [None, upt_employee.pk]


def test_an_employee_is_linked_to_one_member_of_a_type(regions, units, upt_employee):
    _jsc(units, upt_employee.nip)
    with pytest.raises(ApplicationError) as error:
        _jsc(units, upt_employee.nip, nik=make_nik("35.78.01", dt.date(1988, 3, 9), "P", 6))
    assert error.value.code == "duplicate_employee"
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("unknown", "unknown_employee"),
        ("not_upt", "not_upt_staff"),
        ("left", "employee_left"),
        ("other_person", "employee_mismatch"),
        ("not_from_staff", "invalid"),
    ],
)
def test_a_wrong_employee_link_is_refused_with_what_to_fix(
    regions, units, upt_employee, case, code
):
    from sinergi.core.identity import make_nip
    from sinergi.staff.testing import make_employee

    nip, overrides = upt_employee.nip, {}
    if case == "unknown":
        nip = make_nip(dt.date(1988, 3, 9), dt.date(2012, 4, 1), "P", 8)
    elif case == "not_upt":
        nip = make_employee(units.secretariat, nip=make_nip(dt.date(1988, 3, 9),
                            dt.date(2012, 4, 1), "P", 9)).nip  # fmt: skip
    elif case == "left":
        upt_employee.active_until = dt.date(2024, 12, 31)
        upt_employee.save()
    elif case == "other_person":
        overrides = {"born_on": dt.date(1988, 3, 10),
                     "nik": make_nik("35.78.01", dt.date(1988, 3, 10), "P", 5)}  # fmt: skip
    elif case == "not_from_staff":
        overrides = {"pillar_type": pillar_type("tagana")}
    with pytest.raises(ApplicationError) as error:
        _jsc(units, nip, **overrides)
    assert error.value.code == code
    assert list(error.value.field_errors) == ["employee_nip"]
    assert Member.objects.count() == 0


def test_a_rename_that_no_longer_matches_the_holder_leaves_the_account_not_ready(
    regions, units, officer
):
    member = _create(units, bank=bank(), account_number="1234567890", account_holder="AGUS SALIM")
    renamed = services.member_update(actor=officer, member=member, name="Agus Salim Hidayat")
    assert (renamed.account_ready, renamed.holder_needs_confirmation) == (False, True)
    event = AuditEvent.objects.get(action="pillars.member_updated")
    assert event.changes["account_ready"] == [True, False]
    same = services.member_update(actor=officer, member=renamed, name="Agus  Salim")
    assert (same.account_ready, same.holder_needs_confirmation) == (True, False)


def test_a_training_needs_a_course_and_an_organiser_and_a_past_date(regions, units, officer):
    member = make_member(unit=units.empowerment_division)
    with pytest.raises(ApplicationError):
        services.training_add(actor=officer, member=member, course=" ", organiser="BPSDM",
                              held_on=dt.date(2025, 1, 1))  # fmt: skip
    with pytest.raises(ApplicationError) as error:
        services.training_add(actor=officer, member=member, course="Diklat", organiser="BPSDM",
                              held_on=dt.date.today() + dt.timedelta(days=1))  # fmt: skip
    assert "held_on" in error.value.field_errors
    training = services.training_add(actor=officer, member=member, course="Diklat  TKSK",
                                     organiser="BPSDM Jawa Timur", held_on=dt.date(2025, 3, 1),
                                     certificate_number="123/BPSDM/2025")  # fmt: skip
    assert (training.course, training.created_by) == ("Diklat TKSK", officer)
    assert AuditEvent.objects.filter(action="pillars.training_added").count() == 1


def test_an_officer_cannot_change_members_of_another_unit(regions, units, make_user):
    member = make_member(unit=units.empowerment_division)
    other = make_user("pillar_officer", units.upt_b)
    for call in [
        lambda: services.member_update(actor=other, member=member, name="X"),
        lambda: services.member_set_status(actor=other, member=member, status="ended", reason="x"),
        lambda: services.member_set_account(
            actor=other, member=member, bank=None, account_number="", account_holder=""
        ),
    ]:
        with pytest.raises(ApplicationError) as error:
            call()
        assert error.value.code == "forbidden"
    member.refresh_from_db()
    assert (member.name, member.status, member.account_ready) == ("Budi Santoso", "active", True)

import pytest
from django.core.exceptions import ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.organisation import services
from sinergi.organisation.models import Unit, UnitType

pytestmark = pytest.mark.django_db


def _events(unit, action):
    return list(AuditEvent.objects.filter(action=action, target_id=str(unit.pk)).order_by("id"))


def test_a_new_unit_gets_its_path_and_depth_from_its_parent(units):
    assert units.office.path == f"/{units.office.pk}/"
    assert units.office.depth == 0
    assert units.rehab_division.path == f"/{units.office.pk}/{units.rehab_division.pk}/"
    assert units.upt_a.path == (f"/{units.office.pk}/{units.rehab_division.pk}/{units.upt_a.pk}/")
    assert units.upt_a.depth == 2


def test_creating_a_unit_writes_one_audit_event_with_its_fields(units, people):
    unit = services.unit_create(
        actor=people.office_editor,
        code="upt-pstw-jember",
        name="UPT PSTW Jember",
        unit_type=units.upt_a.unit_type,
        upt_type=units.upt_b.upt_type,
        parent=units.rehab_division,
        capacity=80,
    )
    events = _events(unit, "organisation.unit_created")
    assert len(events) == 1
    assert events[0].actor_id == people.office_editor.pk
    assert events[0].changes["name"] == [None, "UPT PSTW Jember"]
    assert events[0].changes["parent"] == [None, units.rehab_division.pk]
    assert events[0].changes["capacity"] == [None, 80]


def test_moving_a_unit_recomputes_the_paths_of_its_whole_subtree(units):
    sub = services.unit_create(
        actor=None,
        code="seksi-a",
        name="Seksi di bawah UPT A",
        unit_type=units.secretariat.unit_type,
        parent=units.upt_a,
    )
    services.unit_update(actor=None, unit=units.upt_a, parent=units.empowerment_division)
    upt_a = Unit.objects.get(pk=units.upt_a.pk)
    sub = Unit.objects.get(pk=sub.pk)
    office, empower = units.office.pk, units.empowerment_division.pk
    assert upt_a.path == f"/{office}/{empower}/{upt_a.pk}/"
    assert upt_a.depth == 2
    assert sub.path == f"/{office}/{empower}/{upt_a.pk}/{sub.pk}/"
    assert sub.depth == 3
    # the units that did not move keep their paths
    assert Unit.objects.get(pk=units.upt_b.pk).path == units.upt_b.path


def test_moving_a_unit_to_the_top_makes_its_subtree_shallower(units):
    services.unit_update(actor=None, unit=units.rehab_division, parent=None)
    rehab = Unit.objects.get(pk=units.rehab_division.pk)
    upt_a = Unit.objects.get(pk=units.upt_a.pk)
    assert rehab.path == f"/{rehab.pk}/"
    assert rehab.depth == 0
    assert upt_a.path == f"/{rehab.pk}/{upt_a.pk}/"
    assert upt_a.depth == 1


def test_a_unit_cannot_be_placed_under_its_own_sub_unit(units):
    with pytest.raises(ApplicationError) as error:
        services.unit_update(actor=None, unit=units.rehab_division, parent=units.upt_a)
    assert "cannot be placed under itself" in error.value.message
    assert list(error.value.field_errors) == ["parent"]
    assert Unit.objects.get(pk=units.rehab_division.pk).parent_id == units.office.pk


def test_a_unit_cannot_be_its_own_parent(units):
    with pytest.raises(ApplicationError):
        services.unit_update(actor=None, unit=units.upt_a, parent=units.upt_a)
    assert Unit.objects.get(pk=units.upt_a.pk).parent_id == units.rehab_division.pk


def test_a_change_is_audited_with_only_the_changed_fields(units, people):
    services.unit_update(
        actor=people.office_editor, unit=units.upt_a, name="UPT RSBD Bangil", capacity=120
    )
    events = _events(units.upt_a, "organisation.unit_updated")
    assert len(events) == 1
    assert events[0].changes == {
        "name": ["UPT RSBD Pasuruan", "UPT RSBD Bangil"],
        "capacity": [None, 120],
    }


def test_an_update_that_changes_nothing_writes_no_audit_event(units):
    services.unit_update(actor=None, unit=units.upt_a, name=units.upt_a.name)
    assert _events(units.upt_a, "organisation.unit_updated") == []


def test_a_duplicate_code_is_refused_with_a_message_naming_the_other_unit(units):
    with pytest.raises(ApplicationError) as error:
        services.unit_create(
            actor=None, code="upt-pstw-magetan", name="Lain", unit_type=units.upt_b.unit_type
        )
    assert "UPT PSTW Magetan" in error.value.message
    assert error.value.code == "duplicate_code"
    assert error.value.field_errors == {"code": ["This code is already used by another unit."]}
    assert Unit.objects.filter(name="Lain").count() == 0


def test_renaming_a_code_to_one_in_use_is_refused(units):
    with pytest.raises(ApplicationError):
        services.unit_update(actor=None, unit=units.upt_a, code="upt-pstw-magetan")
    assert Unit.objects.get(pk=units.upt_a.pk).code == "upt-rsbd-pasuruan"


def test_a_upt_type_on_a_unit_that_is_not_a_service_unit_is_refused(units):
    with pytest.raises(ApplicationError) as error:
        services.unit_update(actor=None, unit=units.secretariat, upt_type=units.upt_a.upt_type)
    assert list(error.value.field_errors) == ["upt_type"]
    assert Unit.objects.get(pk=units.secretariat.pk).upt_type_id is None


def test_the_model_rules_still_apply(units):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=None, code="no spaces allowed", name="X", unit_type=units.office.unit_type
        )
    assert not Unit.objects.filter(name="X").exists()


def test_a_regency_must_be_a_kab_kota_not_a_province(units, regions):
    with pytest.raises(ValidationError):
        services.unit_update(actor=None, unit=units.upt_a, regency=regions["35"])
    services.unit_update(actor=None, unit=units.upt_a, regency=regions["35.14"])
    assert Unit.objects.get(pk=units.upt_a.pk).regency_id == "35.14"


def test_a_division_head_may_create_units_only_inside_the_division(units, people):
    kind = UnitType.objects.get(code="upt")
    with pytest.raises(ApplicationError) as error:
        services.unit_create(
            actor=people.division_editor,
            code="upt-baru",
            name="UPT Baru",
            unit_type=kind,
            parent=units.empowerment_division,
        )
    assert list(error.value.field_errors) == ["parent"]
    with pytest.raises(ApplicationError):
        services.unit_create(
            actor=people.division_editor, code="upt-baru", name="UPT Baru", unit_type=kind
        )
    assert not Unit.objects.filter(code="upt-baru").exists()
    unit = services.unit_create(
        actor=people.division_editor,
        code="upt-baru",
        name="UPT Baru",
        unit_type=kind,
        parent=units.rehab_division,
    )
    assert unit.parent_id == units.rehab_division.pk


def test_a_division_head_may_not_move_a_unit_out_of_the_division(units, people):
    with pytest.raises(ApplicationError):
        services.unit_update(
            actor=people.division_editor, unit=units.upt_a, parent=units.empowerment_division
        )
    assert Unit.objects.get(pk=units.upt_a.pk).parent_id == units.rehab_division.pk


def test_a_division_head_may_edit_the_division_itself_keeping_its_parent(units, people):
    services.unit_update(
        actor=people.division_editor,
        unit=units.rehab_division,
        parent=units.office,
        short_name="Rehsos",
    )
    assert Unit.objects.get(pk=units.rehab_division.pk).short_name == "Rehsos"


def test_deactivating_a_unit_is_audited_and_refused_while_it_has_active_sub_units(units, people):
    with pytest.raises(ApplicationError) as error:
        services.unit_deactivate(actor=people.office_editor, unit=units.rehab_division)
    assert "UPT RSBD Pasuruan" in error.value.message
    assert Unit.objects.get(pk=units.rehab_division.pk).is_active is True

    services.unit_deactivate(actor=people.office_editor, unit=units.upt_a)
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is False
    events = _events(units.upt_a, "organisation.unit_deactivated")
    assert len(events) == 1
    assert events[0].changes == {"is_active": [True, False]}


def test_deactivating_an_inactive_unit_again_changes_nothing(units):
    services.unit_deactivate(actor=None, unit=units.upt_a)
    services.unit_deactivate(actor=None, unit=units.upt_a)
    assert len(_events(units.upt_a, "organisation.unit_deactivated")) == 1


def test_reactivating_needs_an_active_parent(units):
    services.unit_deactivate(actor=None, unit=units.upt_a)
    services.unit_deactivate(actor=None, unit=units.upt_b)
    services.unit_deactivate(actor=None, unit=units.rehab_division)
    with pytest.raises(ApplicationError) as error:
        services.unit_reactivate(actor=None, unit=units.upt_a)
    assert "Bidang Rehabilitasi Sosial" in error.value.message
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is False

    services.unit_reactivate(actor=None, unit=units.rehab_division)
    services.unit_reactivate(actor=None, unit=units.upt_a)
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is True
    assert len(_events(units.upt_a, "organisation.unit_reactivated")) == 1


def test_unknown_fields_are_a_programming_error(units):
    with pytest.raises(TypeError):
        services.unit_update(actor=None, unit=units.upt_a, path="/hack/")

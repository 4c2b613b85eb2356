import pytest
from django.http import Http404

from sinergi.accounts.permissions import sees_everything
from sinergi.organisation import selectors, services
from sinergi.organisation.models import Region, UnitType

pytestmark = pytest.mark.django_db


def _names(units):
    return sorted(u.name for u in units)


def test_a_upt_user_sees_only_its_upt(units, people):
    assert _names(selectors.unit_list(viewer=people.upt_reader)) == ["UPT RSBD Pasuruan"]


def test_a_division_user_sees_the_division_and_its_upts(units, people):
    assert _names(selectors.unit_list(viewer=people.division_editor)) == [
        "Bidang Rehabilitasi Sosial",
        "UPT PSTW Magetan",
        "UPT RSBD Pasuruan",
    ]


def test_office_wide_roles_see_every_unit(units, people):
    assert len(selectors.unit_list(viewer=people.office_reader)) == 6


def test_a_user_without_unit_or_office_wide_role_sees_nothing(units, make_user):
    assert list(selectors.unit_list(viewer=make_user("social_worker", None))) == []


def test_inactive_units_are_hidden_unless_asked_for(units, people):
    services.unit_deactivate(actor=None, unit=units.upt_b)
    viewer = people.office_reader
    assert "UPT PSTW Magetan" not in _names(selectors.unit_list(viewer=viewer))
    assert _names(selectors.unit_list(viewer=viewer, status="inactive")) == ["UPT PSTW Magetan"]
    assert len(selectors.unit_list(viewer=viewer, status="all")) == 6
    assert len(selectors.unit_list(viewer=viewer, include_inactive=True)) == 6


def test_units_can_be_filtered_by_type_and_searched_by_name(units, people):
    viewer = people.office_reader
    assert _names(selectors.unit_list(viewer=viewer, unit_type="bidang")) == [
        "Bidang Pemberdayaan Sosial",
        "Bidang Rehabilitasi Sosial",
    ]
    assert _names(selectors.unit_list(viewer=viewer, search="magetan")) == ["UPT PSTW Magetan"]


def test_the_tree_lists_children_after_their_parent_ordered_by_sort_order_then_name(units, people):
    services.unit_update(actor=None, unit=units.secretariat, sort_order=1)
    rows = selectors.unit_tree(viewer=people.office_reader)
    assert [(row.unit.name, row.indent) for row in rows] == [
        ("Dinas Sosial Provinsi Jawa Timur", 0),
        ("Sekretariat", 1),
        ("Bidang Pemberdayaan Sosial", 1),
        ("Bidang Rehabilitasi Sosial", 1),
        ("UPT PSTW Magetan", 2),
        ("UPT RSBD Pasuruan", 2),
    ]


def test_siblings_with_the_same_sort_order_follow_the_order_of_their_unit_type(units, people):
    UnitType.objects.filter(code="sekretariat").update(sort_order=20)
    UnitType.objects.filter(code="bidang").update(sort_order=30)
    rows = selectors.unit_tree(viewer=people.office_reader, unit_type="")
    assert [row.unit.name for row in rows][:4] == [
        "Dinas Sosial Provinsi Jawa Timur",
        "Sekretariat",
        "Bidang Pemberdayaan Sosial",
        "Bidang Rehabilitasi Sosial",
    ]


def test_the_tree_of_a_division_user_starts_at_the_division(units, people):
    rows = selectors.unit_tree(viewer=people.division_editor)
    assert [(row.unit.name, row.indent) for row in rows] == [
        ("Bidang Rehabilitasi Sosial", 0),
        ("UPT PSTW Magetan", 1),
        ("UPT RSBD Pasuruan", 1),
    ]


def test_a_search_shows_matching_units_as_roots(units, people):
    rows = selectors.unit_tree(viewer=people.office_reader, search="UPT")
    assert [(row.unit.name, row.indent) for row in rows] == [
        ("UPT PSTW Magetan", 0),
        ("UPT RSBD Pasuruan", 0),
    ]


def test_the_tree_is_one_query(units, people, django_assert_num_queries):
    viewer = people.office_reader
    sees_everything(viewer)  # the scope check is cached on the user for the request
    with django_assert_num_queries(1):
        selectors.unit_tree(viewer=viewer)


def test_unit_get_counts_active_users_and_hides_units_outside_the_scope(units, people, make_user):
    make_user("social_worker", units.upt_a)
    make_user("social_worker", units.upt_a, is_active=False)
    unit = selectors.unit_get(viewer=people.division_editor, pk=units.upt_a.pk)
    assert unit.users_count == 2  # the social worker of the fixture and the new active one
    with pytest.raises(Http404):
        selectors.unit_get(viewer=people.upt_reader, pk=units.upt_b.pk)
    with pytest.raises(Http404):
        selectors.unit_get(viewer=people.upt_reader, pk=999999)


def test_parent_choices_exclude_the_unit_subtree_and_stay_in_scope(units, people):
    choices = selectors.unit_parent_choices(viewer=people.office_editor, unit=units.rehab_division)
    assert _names(choices) == [
        "Bidang Pemberdayaan Sosial",
        "Dinas Sosial Provinsi Jawa Timur",
        "Sekretariat",
    ]
    scoped = selectors.unit_parent_choices(viewer=people.division_editor, unit=units.upt_a)
    assert _names(scoped) == ["Bidang Rehabilitasi Sosial", "UPT PSTW Magetan"]
    own = selectors.unit_parent_choices(viewer=people.division_editor, unit=units.rehab_division)
    assert _names(own) == ["Dinas Sosial Provinsi Jawa Timur"]  # its current parent only


def test_region_children_lists_the_regions_below_a_code_by_name(regions):
    assert [r.code for r in selectors.region_children(parent_code=None)] == ["33", "35"]
    assert [r.name for r in selectors.region_children(parent_code="35")] == [
        "Kabupaten Pasuruan",
        "Kabupaten Sidoarjo",
        "Kota Surabaya",
    ]
    assert [r.code for r in selectors.region_children(parent_code="35", q="surabaya")] == ["35.78"]
    assert selectors.region_children(parent_code="35", level=3) == []


def test_region_search_finds_names_anywhere_below_a_region(regions):
    assert [r.code for r in selectors.region_search(q="karang pilang")] == [
        "35.78.01",
        "35.78.01.1001",
    ]
    assert [r.code for r in selectors.region_search(q="karang", level=4)] == ["35.78.01.1001"]
    assert [r.code for r in selectors.region_search(q="kota", within="35")] == ["35.78"]
    assert [r.code for r in selectors.region_search(q="35.78.0")] == [
        "35.78.01",
        "35.78.02",
        "35.78.01.1001",
        "35.78.01.1002",
    ]
    assert selectors.region_search(q="  ") == []


def test_region_get_and_ancestors(regions):
    assert selectors.region_get("35.78").name == "Kota Surabaya"
    assert selectors.region_get("35.99") is None
    assert selectors.region_get("not a code") is None
    assert [r.code for r in selectors.region_ancestors("35.78.01.1001")] == [
        "35",
        "35.78",
        "35.78.01",
        "35.78.01.1001",
    ]


def test_region_browse_pages_count_children_and_page_by_code(regions):
    page = selectors.region_browse_page(parent_code=None, cursor=None, size=1)
    assert [(r.code, r.children_count) for r in page.items] == [("33", 1)]
    second = selectors.region_browse_page(parent_code=None, cursor=page.next_cursor, size=1)
    assert [(r.code, r.children_count) for r in second.items] == [("35", 3)]
    assert second.has_next is False
    villages = selectors.region_browse_page(parent_code="35.78.01", cursor=None)
    assert [r.code for r in villages.items] == ["35.78.01.1001", "35.78.01.1002"]
    assert not hasattr(villages.items[0], "children_count")


def test_region_picker_options_take_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        options = selectors.region_picker_options(["35", "35.78", "35.78.01"], 4)
    assert [r.code for r in options[1]] == ["33", "35"]
    assert [r.code for r in options[2]] == ["35.14", "35.15", "35.78"]
    assert [r.code for r in options[3]] == ["35.78.01", "35.78.02"]
    assert [r.code for r in options[4]] == ["35.78.01.1001", "35.78.01.1002"]


def test_region_list_filters_for_the_api(regions):
    assert sorted(selectors.region_list(parent="35").values_list("code", flat=True)) == [
        "35.14",
        "35.15",
        "35.78",
    ]
    assert selectors.region_list(level=Region.Level.VILLAGE, q="Kebraon").get().code == (
        "35.78.01.1002"
    )

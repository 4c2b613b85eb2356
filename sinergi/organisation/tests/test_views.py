"""Pages of the organisation app: authorization matrix, behaviour, and pinned query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.organisation import services
from sinergi.organisation.models import Unit, UnitType
from sinergi.organisation.testing import grant_permissions

pytestmark = pytest.mark.django_db


def _units_state():
    return list(
        Unit.objects.values_list(
            "code", "name", "parent_id", "regency_id", "is_active", "path"
        ).order_by("code")
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _measure(client, url):
    """(all queries, queries on this app's tables) of one GET of `url`."""
    client.get(url)  # the first request after a login may write the session: not counted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    own = [q["sql"] for q in captured.captured_queries if 'FROM "organisation_' in q["sql"]]
    return len(captured), len(own)


def assert_queries_pinned(client, url, *, own, add_rows):
    """The page reads this app's tables in exactly `own` queries, and neither that number nor the
    total (platform queries included: session, user, permissions, menu) grows with more rows.

    The platform's share is not pinned here: it belongs to the apps that own it."""
    total_before, own_before = _measure(client, url)
    add_rows()
    total_after, own_after = _measure(client, url)
    assert own_before == own, f"{url}: {own_before} queries on organisation tables, expected {own}"
    assert own_after == own
    assert total_after == total_before


def _add_upts(units, count):
    kind = UnitType.objects.get(code="upt")
    for i in range(count):
        services.unit_create(
            actor=None,
            code=f"upt-extra-{Unit.objects.count()}-{i}",
            name=f"UPT Tambahan {i}",
            unit_type=kind,
            parent=units.rehab_division,
            upt_type=units.upt_a.upt_type,
        )


def _unit_post(units, **overrides):
    data = {
        "name": "UPT RSBD Pasuruan",
        "short_name": "",
        "code": "upt-rsbd-pasuruan",
        "unit_type": units.upt_a.unit_type_id,
        "upt_type": units.upt_a.upt_type_id,
        "parent": units.rehab_division.pk,
        "regency_1": "35",
        "regency_2": "",
        "address": "",
        "phone": "",
        "email": "",
        "capacity": "",
        "sort_order": "100",
    }
    data.update(overrides)
    return data


# --- Unit list ---------------------------------------------------------------------------------


def test_unit_list_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("social worker of a UPT", people.upt_reader, 200),
            Expect("head of office", people.office_reader, 200),
        ],
    )


def test_unit_list_shows_only_the_viewers_subtree(units, people):
    response = _client(people.upt_reader).get(reverse("organisation:unit_list"))
    names = [row.unit.name for row in response.context["rows"]]
    assert names == ["UPT RSBD Pasuruan"]
    assert b"UPT PSTW Magetan" not in response.content


def test_unit_list_filters_by_name_type_and_status(units, people):
    services.unit_deactivate(actor=None, unit=units.upt_b)
    client = _client(people.office_reader)
    url = reverse("organisation:unit_list")

    def names(**params):
        return [row.unit.name for row in client.get(url, params).context["rows"]]

    assert names(q="pstw") == []
    assert names(q="pstw", status="inactive") == ["UPT PSTW Magetan"]
    assert names(type="bidang") == ["Bidang Pemberdayaan Sosial", "Bidang Rehabilitasi Sosial"]
    assert len(names(status="all")) == 6
    assert len(names(type="no-such-type")) == 5  # an unknown filter value falls back to all


def test_unit_list_answers_htmx_with_the_results_fragment_only(units, people):
    response = _client(people.office_reader).get(
        reverse("organisation:unit_list"), {"q": "rsbd"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="unit-results">')
    assert "UPT RSBD Pasuruan" in content
    assert "<nav" not in content


def test_unit_list_has_a_helpful_empty_state(units, people):
    response = _client(people.office_reader).get(reverse("organisation:unit_list"), {"q": "zzz"})
    assert b'data-testid="empty-state"' in response.content
    assert reverse("organisation:unit_list").encode() in response.content  # "clear the filters"


def test_unit_list_shows_the_create_button_only_to_who_may_create(units, people):
    url = reverse("organisation:unit_list")
    assert b'data-testid="unit-create"' in _client(people.office_editor).get(url).content
    assert b'data-testid="unit-create"' not in _client(people.office_reader).get(url).content


def test_unit_list_links_to_the_unit_import_only_for_who_may_import(units, people):
    url = reverse("organisation:unit_list")
    importer = grant_permissions(people.office_editor, "organisation.import_unit")
    content = _client(importer).get(url).content.decode()
    assert 'data-testid="unit-import"' in content
    assert reverse("core:import_upload", args=["organisation.units"]) in content
    assert (
        'data-testid="unit-import"' not in _client(people.office_reader).get(url).content.decode()
    )


def test_unit_list_query_count_is_pinned_and_does_not_grow_with_units(units, people):
    # unit types of the filter, units
    assert_queries_pinned(
        _client(people.office_reader),
        reverse("organisation:unit_list"),
        own=2,
        add_rows=lambda: _add_upts(units, 20),
    )


# --- Export ------------------------------------------------------------------------------------


def test_unit_export_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_export"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("social worker of a UPT", people.upt_reader, 200),
        ],
    )


def _csv_rows(response):
    import csv
    import io

    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_export_holds_the_viewers_units_with_the_import_headers(units, people, regions):
    services.unit_update(actor=None, unit=units.upt_a, regency=regions["35.14"], capacity=105)
    response = _client(people.division_editor).get(
        reverse("organisation:unit_export"), {"format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="unit-kerja.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [r["kode"] for r in rows] == ["bidang-rehsos", "upt-pstw-magetan", "upt-rsbd-pasuruan"]
    assert rows[2] == {
        "kode": "upt-rsbd-pasuruan",
        "nama": "UPT RSBD Pasuruan",
        "nama_singkat": "",
        "jenis_unit": "upt",
        "jenis_upt": "RSBD",
        "kode_induk": "bidang-rehsos",
        "kode_kab_kota": "35.14",
        "alamat": "",
        "kapasitas": "105",
        "nama_kab_kota": "Kabupaten Pasuruan",
        "telepon": "",
        "email": "",
        "aktif": "Ya",
    }


def test_the_export_follows_the_list_filters(units, people):
    response = _client(people.office_reader).get(
        reverse("organisation:unit_export"), {"format": "csv", "type": "bidang"}
    )
    assert [r["kode"] for r in _csv_rows(response)] == ["bidang-dayasos", "bidang-rehsos"]


def test_the_xlsx_export_is_a_workbook_with_one_row_per_unit(units, people):
    import io

    from openpyxl import load_workbook

    response = _client(people.office_reader).get(reverse("organisation:unit_export"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("kode", "nama", "nama_singkat")
    assert len(values) == 7  # the header and six units
    assert values[1][0] == "dinsos"


def test_the_export_query_count_does_not_grow_with_units(units, people):
    # unit types of the filter, units
    assert_queries_pinned(
        _client(people.office_reader),
        reverse("organisation:unit_export") + "?format=csv",
        own=2,
        add_rows=lambda: _add_upts(units, 20),
    )


def test_the_list_links_to_the_export_with_its_filters(units, people):
    response = _client(people.office_reader).get(
        reverse("organisation:unit_list"), {"q": "upt", "status": "all"}
    )
    assert (
        reverse("organisation:unit_export") + "?q=upt&amp;status=all&amp;format=csv"
    ) in response.content.decode()


# --- Unit detail -------------------------------------------------------------------------------


def test_unit_detail_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_detail", args=[units.upt_a.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("social worker of another UPT", _other_upt_worker(units), 404),
            Expect("division of another subtree", people.empowerment_editor, 404),
            Expect("social worker of this UPT", people.upt_reader, 200),
            Expect("head of the division above", people.division_editor, 200),
        ],
    )


def _other_upt_worker(units):
    from sinergi.accounts.testing import make_user

    return make_user("social_worker", units.upt_b)


def test_a_missing_unit_is_404_like_a_forbidden_one(units, people):
    response = _client(people.office_reader).get(reverse("organisation:unit_detail", args=[999999]))
    assert response.status_code == 404


def test_unit_detail_shows_the_unit_its_children_and_its_users(units, people, regions):
    services.unit_update(actor=None, unit=units.rehab_division, regency=regions["35.78"])
    response = _client(people.office_reader).get(
        reverse("organisation:unit_detail", args=[units.rehab_division.pk])
    )
    content = response.content.decode()
    assert [c.name for c in response.context["children"]] == [
        "UPT PSTW Magetan",
        "UPT RSBD Pasuruan",
    ]
    assert "Kota Surabaya, Jawa Timur" in content
    assert response.context["unit"].users_count == 1  # the division editor of the fixture
    assert reverse("organisation:unit_detail", args=[units.office.pk]) in content  # parent link


def test_unit_detail_names_a_parent_outside_the_scope_without_linking_it(units, people):
    response = _client(people.upt_reader).get(
        reverse("organisation:unit_detail", args=[units.upt_a.pk])
    )
    content = response.content.decode()
    assert "Bidang Rehabilitasi Sosial" in content
    assert reverse("organisation:unit_detail", args=[units.rehab_division.pk]) not in content


def test_unit_detail_query_count_is_pinned_and_does_not_grow_with_children(units, people):
    # the unit with its relations and users count, its children
    assert_queries_pinned(
        _client(people.office_reader),
        reverse("organisation:unit_detail", args=[units.rehab_division.pk]),
        own=2,
        add_rows=lambda: _add_upts(units, 15),
    )


# --- Create ------------------------------------------------------------------------------------


def test_unit_create_page_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_create"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("division head with add_unit", people.division_editor, 200),
            Expect("office editor", people.office_editor, 200),
        ],
    )


def test_unit_create_post_authorization(units, people):
    data = _unit_post(units, name="UPT Baru", code="upt-baru")
    assert_authorization(
        url=reverse("organisation:unit_create"),
        method="post",
        data=data,
        state=_units_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("social worker", people.upt_reader, 403),
            Expect("office editor", people.office_editor, 302),
        ],
    )
    created = Unit.objects.get(code="upt-baru")
    assert created.parent_id == units.rehab_division.pk
    assert created.regency_id is None


def test_creating_a_unit_with_the_region_picker_stores_the_regency(units, people, regions):
    response = _client(people.office_editor).post(
        reverse("organisation:unit_create"),
        _unit_post(units, name="UPT PSTW Jember", code="upt-pstw-jember", regency_2="35.78"),
    )
    unit = Unit.objects.get(code="upt-pstw-jember")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:unit_detail", args=[unit.pk])
    assert unit.regency_id == "35.78"
    assert (
        AuditEvent.objects.filter(
            action="organisation.unit_created", target_id=str(unit.pk)
        ).count()
        == 1
    )


def test_a_division_head_cannot_create_a_unit_outside_the_division(units, people):
    before = _units_state()
    response = _client(people.division_editor).post(
        reverse("organisation:unit_create"),
        _unit_post(units, name="UPT Baru", code="upt-baru", parent=units.empowerment_division.pk),
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert _units_state() == before


def test_a_division_head_must_choose_a_parent(units, people):
    response = _client(people.division_editor).post(
        reverse("organisation:unit_create"),
        _unit_post(units, name="UPT Baru", code="upt-baru", parent=""),
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Unit.objects.filter(code="upt-baru").exists()


def test_a_duplicate_code_is_shown_on_the_code_field(units, people):
    response = _client(people.office_editor).post(
        reverse("organisation:unit_create"),
        _unit_post(units, name="Lain", code="upt-pstw-magetan"),
    )
    assert response.status_code == 200
    # the page speaks Indonesian (LANGUAGE_CODE "id")
    assert response.context["form"].errors["code"] == ["Kode ini sudah dipakai oleh unit lain."]
    assert b"is-invalid" in response.content


def test_a_upt_type_on_a_division_is_refused_with_the_field_marked(units, people):
    response = _client(people.office_editor).post(
        reverse("organisation:unit_create"),
        _unit_post(
            units,
            name="Bidang Baru",
            code="bidang-baru",
            unit_type=units.rehab_division.unit_type_id,
            parent=units.office.pk,
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["upt_type"] == [
        "Hanya unit layanan (UPT) yang memiliki jenis UPT."
    ]
    assert not Unit.objects.filter(code="bidang-baru").exists()


def test_the_create_form_can_start_under_a_given_parent(units, people):
    response = _client(people.office_editor).get(
        reverse("organisation:unit_create"), {"parent": units.upt_a.pk}
    )
    assert response.context["form"]["parent"].value() == str(units.upt_a.pk)


def test_the_create_form_query_count_is_pinned(units, people, regions):
    # parent choices, unit types, UPT types, the region picker's options
    assert_queries_pinned(
        _client(people.office_editor),
        reverse("organisation:unit_create"),
        own=4,
        add_rows=lambda: _add_upts(units, 10),
    )


# --- Update ------------------------------------------------------------------------------------


def test_unit_update_page_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_update", args=[units.upt_a.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("editor of another division", people.empowerment_editor, 404),
            Expect("editor of this division", people.division_editor, 200),
        ],
    )


def test_unit_update_post_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_update", args=[units.upt_a.pk]),
        method="post",
        data=_unit_post(units, name="UPT RSBD Bangil"),
        state=_units_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("social worker of the UPT", people.upt_reader, 403),
            Expect("editor of another division", people.empowerment_editor, 404),
            Expect("editor of this division", people.division_editor, 302),
        ],
    )
    assert Unit.objects.get(pk=units.upt_a.pk).name == "UPT RSBD Bangil"


def test_editing_moves_a_unit_and_audits_only_the_changes(units, people, regions):
    response = _client(people.office_editor).post(
        reverse("organisation:unit_update", args=[units.upt_a.pk]),
        _unit_post(units, parent=units.empowerment_division.pk, regency_2="35.14"),
    )
    assert response.status_code == 302
    unit = Unit.objects.get(pk=units.upt_a.pk)
    assert unit.parent_id == units.empowerment_division.pk
    assert unit.path == f"{units.empowerment_division.path}{unit.pk}/"
    event = AuditEvent.objects.get(action="organisation.unit_updated", target_id=str(unit.pk))
    assert event.changes == {
        "parent": [units.rehab_division.pk, units.empowerment_division.pk],
        "regency": [None, "35.14"],
    }
    assert event.actor_id == people.office_editor.pk


def test_saving_an_unchanged_form_changes_nothing(units, people, regions):
    services.unit_update(actor=None, unit=units.upt_a, regency=regions["35.14"])
    before = AuditEvent.objects.count()
    response = _client(people.office_editor).post(
        reverse("organisation:unit_update", args=[units.upt_a.pk]),
        _unit_post(units, regency_2="35.14"),
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_a_unit_cannot_be_moved_under_its_own_sub_unit_from_the_form(units, people):
    before = _units_state()
    response = _client(people.office_editor).post(
        reverse("organisation:unit_update", args=[units.rehab_division.pk]),
        _unit_post(
            units,
            name="Bidang Rehabilitasi Sosial",
            code="bidang-rehsos",
            unit_type=units.rehab_division.unit_type_id,
            upt_type="",
            parent=units.upt_a.pk,
        ),
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors  # not even offered as a choice
    assert _units_state() == before


def test_a_division_head_keeps_the_division_parent_when_editing_the_division(units, people):
    response = _client(people.division_editor).post(
        reverse("organisation:unit_update", args=[units.rehab_division.pk]),
        _unit_post(
            units,
            name="Bidang Rehabilitasi Sosial",
            short_name="Rehsos",
            code="bidang-rehsos",
            unit_type=units.rehab_division.unit_type_id,
            upt_type="",
            parent=units.office.pk,
        ),
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=units.rehab_division.pk).short_name == "Rehsos"


def test_the_edit_form_query_count_is_pinned(units, people, regions):
    services.unit_update(actor=None, unit=units.upt_a, regency=regions["35.78"])
    # the unit, parent choices, unit types, UPT types, the region picker's options
    assert_queries_pinned(
        _client(people.office_editor),
        reverse("organisation:unit_update", args=[units.upt_a.pk]),
        own=5,
        add_rows=lambda: _add_upts(units, 10),
    )


# --- Deactivate / reactivate ---------------------------------------------------------------------


def test_unit_deactivate_authorization(units, people):
    assert_authorization(
        url=reverse("organisation:unit_deactivate", args=[units.upt_a.pk]),
        method="post",
        state=_units_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("editor of another division", people.empowerment_editor, 404),
            Expect("editor of this division", people.division_editor, 302),
        ],
    )
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is False


def test_deactivate_needs_post(units, people):
    response = _client(people.office_editor).get(
        reverse("organisation:unit_deactivate", args=[units.upt_a.pk])
    )
    assert response.status_code == 405
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is True


def test_deactivating_a_unit_with_active_sub_units_shows_what_to_do(units, people):
    client = _client(people.office_editor)
    response = client.post(
        reverse("organisation:unit_deactivate", args=[units.rehab_division.pk]), follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0] == (
        "Bidang Rehabilitasi Sosial masih punya sub-unit aktif (UPT PSTW Magetan, "
        "UPT RSBD Pasuruan). Nonaktifkan atau pindahkan sub-unit tersebut terlebih dahulu, "
        "lalu nonaktifkan unit ini."
    )
    assert Unit.objects.get(pk=units.rehab_division.pk).is_active is True


def test_unit_reactivate_authorization(units, people):
    services.unit_deactivate(actor=None, unit=units.upt_a)
    assert_authorization(
        url=reverse("organisation:unit_reactivate", args=[units.upt_a.pk]),
        method="post",
        state=_units_state,
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("head of office (reads only)", people.office_reader, 403),
            Expect("editor of another division", people.empowerment_editor, 404),
            Expect("office editor", people.office_editor, 302),
        ],
    )
    assert Unit.objects.get(pk=units.upt_a.pk).is_active is True
    assert (
        AuditEvent.objects.filter(
            action="organisation.unit_reactivated", target_id=str(units.upt_a.pk)
        ).count()
        == 1
    )


# --- Region browser -----------------------------------------------------------------------------


def test_region_browser_authorization(units, people, regions):
    assert_authorization(
        url=reverse("organisation:region_browser") + "?code=35.78",
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 403),
            Expect("social worker", people.upt_reader, 200),
        ],
    )


def test_region_browser_drills_down_with_counts(units, people, regions):
    client = _client(people.upt_reader)
    url = reverse("organisation:region_browser")
    provinces = client.get(url)
    assert [(r.code, r.children_count) for r in provinces.context["page"].items] == [
        ("33", 1),
        ("35", 3),
    ]
    jatim = client.get(url, {"code": "35"})
    assert [r.code for r in jatim.context["ancestors"]] == ["35"]
    assert [(r.code, r.children_count) for r in jatim.context["page"].items] == [
        ("35.14", 0),
        ("35.15", 0),
        ("35.78", 2),
    ]
    district = client.get(url, {"code": "35.78.01"})
    assert [r.name for r in district.context["page"].items] == ["Karang Pilang", "Kebraon"]
    assert district.context["show_counts"] is False


def test_region_browser_pages_villages_with_a_cursor(units, people, regions):
    from sinergi.organisation.models import Region

    for number in range(1003, 1063):
        Region.objects.create(
            code=f"35.78.01.{number}", name=f"Desa {number}", level=4, parent_id="35.78.01"
        )
    client = _client(people.upt_reader)
    url = reverse("organisation:region_browser")
    first = client.get(url, {"code": "35.78.01"}).context["page"]
    assert len(first.items) == 50
    assert first.has_next
    second = client.get(url, {"code": "35.78.01", "cursor": first.next_cursor}).context["page"]
    assert second.items[0].code == "35.78.01.1051"
    assert len(second.items) == 12
    assert not second.has_next


def test_region_browser_with_a_broken_cursor_falls_back_to_the_first_page(units, people, regions):
    response = _client(people.upt_reader).get(
        reverse("organisation:region_browser"), {"code": "35", "cursor": "!!broken"}
    )
    assert response.status_code == 200
    assert len(response.context["page"].items) == 3


def test_region_browser_searches_below_the_current_region(units, people, regions):
    response = _client(people.upt_reader).get(
        reverse("organisation:region_browser"), {"code": "35.78", "q": "karang"}
    )
    assert [r.code for r in response.context["results"]] == ["35.78.01", "35.78.01.1001"]


def test_region_browser_answers_an_unknown_code_with_404(units, people, regions):
    client = _client(people.upt_reader)
    assert client.get(reverse("organisation:region_browser"), {"code": "35.99"}).status_code == 404
    assert client.get(reverse("organisation:region_browser"), {"code": "<x>"}).status_code == 404


def test_region_browser_query_count_is_pinned(units, people, regions):
    from sinergi.organisation.models import Region

    def add_districts():
        for number in range(3, 30):
            Region.objects.create(
                code=f"35.78.{number:02d}", name=f"Kecamatan {number}", level=3, parent_id="35.78"
            )

    # the breadcrumb (ancestors), one page of children with their counts
    assert_queries_pinned(
        _client(people.upt_reader),
        reverse("organisation:region_browser") + "?code=35.78",
        own=2,
        add_rows=add_districts,
    )


# --- Region options (the picker's endpoint) ------------------------------------------------------


def test_region_options_requires_only_a_login(units, people, regions):
    assert_authorization(
        url=reverse("organisation:region_options") + "?level=2&parent=35",
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in without a role", people.no_role, 200),
            Expect("social worker", people.upt_reader, 200),
        ],
    )


def test_region_options_lists_the_children_of_the_parent_as_options(units, people, regions):
    response = _client(people.no_role).get(
        reverse("organisation:region_options"), {"level": 2, "parent": "35", "selected": "35.78"}
    )
    content = response.content.decode()
    assert content.count("<option") == 4  # the placeholder and three kab/kota
    assert '<option value="35.78" selected>Kota Surabaya</option>' in content
    assert '<option value="35.14">Kabupaten Pasuruan</option>' in content


def test_region_options_filters_by_text(units, people, regions):
    response = _client(people.no_role).get(
        reverse("organisation:region_options"), {"level": 2, "parent": "35", "q": "sidoarjo"}
    )
    assert response.content.decode().count("<option") == 2


def test_region_options_for_a_level_without_a_valid_parent_is_only_the_placeholder(
    units, people, regions
):
    client = _client(people.no_role)
    url = reverse("organisation:region_options")
    for params in (
        {"level": 3, "parent": ""},
        {"level": 3, "parent": "35"},  # a province is not the parent of a kecamatan
        {"level": 2, "parent": "'; drop table"},
        {"level": "x"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        expected = 1 if params.get("level") != "x" else 3  # "x" falls back to the provinces
        assert response.content.decode().count("<option") == expected, params


def test_region_options_query_count_is_pinned(units, people, regions):
    from sinergi.organisation.models import Region

    def add_regencies():
        for number in range(20, 40):
            Region.objects.create(
                code=f"35.{number}", name=f"Kabupaten {number}", level=2, parent_id="35"
            )

    client = _client(people.no_role)
    url = reverse("organisation:region_options") + "?level=2&parent=35"
    assert_queries_pinned(client, url, own=1, add_rows=add_regencies)
    # a fragment is rendered without the layout's context processors (menu, notifications)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "auth_permission" not in sql
    assert "notifications_" not in sql

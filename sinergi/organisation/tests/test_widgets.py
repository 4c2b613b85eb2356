import pytest
from django import forms
from django.test import override_settings

from sinergi.organisation.models import Region
from sinergi.organisation.widgets import RegionField

pytestmark = pytest.mark.django_db


class VillageForm(forms.Form):
    village = RegionField(label="Desa/kelurahan")


class RegencyForm(forms.Form):
    regency = RegionField(max_level=Region.Level.REGENCY, required=False, label="Kab/kota")


class DistrictOrDeeperForm(forms.Form):
    place = RegionField(min_level=Region.Level.DISTRICT)


def test_the_cleaned_value_is_the_deepest_chosen_region(regions):
    form = VillageForm(
        {
            "village_1": "35",
            "village_2": "35.78",
            "village_3": "35.78.01",
            "village_4": "35.78.01.1002",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"] == regions["35.78.01.1002"]


def test_a_choice_that_stops_too_high_says_which_level_is_missing(regions):
    form = VillageForm({"village_1": "35", "village_2": "35.78", "village_3": "", "village_4": ""})
    assert not form.is_valid()
    assert form.errors["village"] == ["Choose the village (desa/kelurahan) as well."]


def test_min_level_accepts_a_district_when_the_picker_goes_down_to_villages(regions):
    form = DistrictOrDeeperForm({"place_1": "35", "place_2": "35.78", "place_3": "35.78.02"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].code == "35.78.02"


def test_a_stale_deeper_choice_from_another_branch_is_ignored(regions):
    # The province was changed to Jawa Tengah but the regency select still holds Surabaya.
    form = RegencyForm({"regency_1": "33", "regency_2": "35.78"})
    assert not form.is_valid()
    assert form.errors["regency"] == ["Choose the regency or city as well."]
    form = RegencyForm({"regency_1": "33", "regency_2": "33.74"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"].name == "Kota Semarang"


def test_a_code_that_is_not_in_the_table_is_refused(regions):
    form = RegencyForm({"regency_1": "35", "regency_2": "35.99"})
    assert not form.is_valid()
    assert form.errors["regency"] == [
        "This region is not in the list of region codes. Choose it again from the lists."
    ]


def test_an_optional_field_left_at_the_default_province_is_empty(regions):
    form = RegencyForm({"regency_1": "35", "regency_2": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"] is None
    form = RegencyForm({"regency_1": "33", "regency_2": ""})
    assert not form.is_valid()  # another province chosen on purpose, regency still missing


def test_a_required_field_with_nothing_chosen_is_required(regions):
    form = VillageForm({})
    assert not form.is_valid()
    assert form.errors["village"] == ["This field is required."]


def test_the_widget_preselects_the_default_province_and_lists_its_regencies(
    regions, django_assert_num_queries
):
    form = RegencyForm()
    with django_assert_num_queries(1):
        html = str(form["regency"])
    assert 'name="regency_1"' in html
    assert 'name="regency_2"' in html
    assert '<option value="35" selected>Jawa Timur</option>' in html
    assert '<option value="35.78">Kota Surabaya</option>' in html
    assert "Kota Semarang" not in html
    assert 'hx-get="/organisasi/wilayah/pilihan/"' in html
    assert 'hx-target="#id_regency_2"' in html
    assert 'name="regency_3"' not in html


@override_settings(SINERGI={"PROVINCE_CODE": "33"})
def test_the_default_province_comes_from_the_settings(regions):
    html = str(RegencyForm()["regency"])
    assert '<option value="33" selected>Jawa Tengah</option>' in html
    assert '<option value="33.74">Kota Semarang</option>' in html


def test_an_initial_region_shows_its_whole_chain_selected(regions, django_assert_num_queries):
    form = VillageForm(initial={"village": regions["35.78.01.1001"]})
    with django_assert_num_queries(1):
        html = str(form["village"])
    for code in ("35", "35.78", "35.78.01", "35.78.01.1001"):
        assert f'value="{code}" selected' in html
    assert '<option value="35.78.02">Wonocolo</option>' in html


def test_a_bound_form_with_an_error_keeps_the_choices_and_fills_the_next_level(regions):
    form = VillageForm({"village_1": "35", "village_2": "35.78", "village_3": "35.78.01"})
    assert not form.is_valid()
    html = str(form["village"])
    assert 'value="35.78.01" selected' in html
    assert '<option value="35.78.01.1002">Kebraon</option>' in html


def test_the_label_points_at_the_deepest_select(regions):
    assert 'for="id_regency_2"' in RegencyForm()["regency"].label_tag()


def test_has_changed_compares_the_chosen_codes(regions):
    field = RegencyForm.base_fields["regency"]
    assert field.has_changed("35.78", ["35", "35.78"]) is False
    assert field.has_changed("35.78", ["35", "35.15"]) is True
    assert field.has_changed(None, ["35", ""]) is False
    assert field.has_changed("35.78", ["35", ""]) is True


def test_the_widget_brings_its_script(regions):
    assert "organisation/region_picker.js" in str(RegencyForm().media)

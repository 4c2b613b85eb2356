"""NIK/KK/NIP form fields and model validators backed by the Region table."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from sinergi.core.identity import Sex
from sinergi.organisation.fields import (
    KkField,
    NikField,
    NipField,
    add_identity_consistency_errors,
    district_code_set,
    district_exists,
    validate_kk_region,
    validate_nik_region,
)
from sinergi.organisation.models import Region

UNKNOWN_DISTRICT = (
    "The kecamatan code 35.78.99 (the first 6 digits of the NIK) is not in the region list. "
    "Check the first 6 digits against the KTP or family card."
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def regions(db):
    def region(code, level, parent=None):
        return Region.objects.create(code=code, name=f"Wilayah {code}", level=level, parent=parent)

    jatim = region("35", 1)
    surabaya = region("35.78", 2, jatim)
    region("35.78.01", 3, surabaya)
    region("35.78.01.1001", 4, Region.objects.get(code="35.78.01"))
    region("35.78.02", 3, surabaya)
    jabar = region("32", 1)
    region("32.73.01", 3, region("32.73", 2, jabar))


def test_nik_field_returns_the_digits_without_typed_separators(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert NikField().clean(" 3578 0144 1180 0001 ") == "3578014411800001"


def test_nik_field_rejects_a_kecamatan_missing_from_the_region_table(regions):
    with pytest.raises(ValidationError) as caught:
        NikField().clean("3578994411800001")
    assert caught.value.messages == [UNKNOWN_DISTRICT]
    assert [error.code for error in caught.value.error_list] == ["district"]


def test_a_village_code_is_not_a_kecamatan(regions):
    assert district_exists("35.78.01") is True
    assert district_exists("35.78.01.1001") is False
    assert district_exists("35.78") is False


def test_nik_field_without_district_check_makes_no_query(regions, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert NikField(check_district=False).clean("3578994411800001") == "3578994411800001"


def test_nik_field_reports_every_problem(regions):
    with pytest.raises(ValidationError) as caught:
        NikField().clean("3578997211800000")
    assert [error.code for error in caught.value.error_list] == ["district", "day", "serial"]


def test_nik_field_reports_a_spreadsheet_number(regions):
    with pytest.raises(ValidationError) as caught:
        NikField().clean("3.57801E+15")
    assert caught.value.messages == [
        "The NIK 3.57801E+15 was stored as a number by a spreadsheet and has lost its last "
        "digits. Format the column as Text, then type all 16 digits again."
    ]


def test_required_and_optional_empty_nik(regions):
    with pytest.raises(ValidationError) as caught:
        NikField().clean("")
    assert caught.value.messages == ["This field is required."]
    assert NikField(required=False).clean("  ") == ""


def test_nik_field_renders_a_numeric_text_input():
    html = NikField().widget.render("nik", "")
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html
    assert "maxlength" not in html


def test_kk_field_checks_the_kecamatan_and_the_registration_date(regions):
    assert KkField().clean("3578-0105-0615-0003") == "3578010506150003"
    with pytest.raises(ValidationError) as caught:
        KkField().clean("3578990506150003")
    assert [error.code for error in caught.value.error_list] == ["district"]


def test_nip_field_needs_no_region(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert NipField().clean("19801104 200501 2 001") == "198011042005012001"
    with pytest.raises(ValidationError) as caught:
        NipField().clean("198011042005013000")
    assert [error.code for error in caught.value.error_list] == ["sex", "serial"]


def test_model_validator_checks_the_region_table(regions, django_assert_num_queries):
    field = models.CharField(max_length=16, validators=[validate_nik_region])
    with django_assert_num_queries(1):
        assert field.clean("3578014411800001", None) == "3578014411800001"
    with pytest.raises(ValidationError) as caught:
        field.clean("3578994411800001", None)
    assert caught.value.messages == [UNKNOWN_DISTRICT]


def test_kk_model_validator(regions):
    validate_kk_region("3578020506150003")
    validate_kk_region("3273010506150003")  # any province's kecamatan in the table
    with pytest.raises(ValidationError) as caught:
        validate_kk_region("3578990506150003")
    assert [error.code for error in caught.value.error_list] == ["district"]


def test_district_code_set_loads_kecamatan_codes_in_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert district_code_set() == {"35.78.01", "35.78.02", "32.73.01"}
    with django_assert_num_queries(1):
        assert district_code_set("35") == {"35.78.01", "35.78.02"}


class PersonForm(forms.Form):
    nik = NikField()
    birth_on = forms.DateField()
    sex = forms.ChoiceField(choices=Sex.choices)

    def clean(self):
        cleaned = super().clean()
        add_identity_consistency_errors(self, "nik", birth_date_field="birth_on", sex_field="sex")
        return cleaned


class EmployeeForm(forms.Form):
    nip = NipField()
    sex = forms.ChoiceField(choices=Sex.choices)

    def clean(self):
        cleaned = super().clean()
        add_identity_consistency_errors(self, "nip", kind="nip", sex_field="sex")
        return cleaned


def test_form_accepts_a_nik_matching_birth_date_and_sex(regions):
    form = PersonForm({"nik": "3578014411800001", "birth_on": "1980-11-04", "sex": "P"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nik"] == "3578014411800001"
    assert form.cleaned_data["birth_on"] == dt.date(1980, 11, 4)


def test_form_puts_birth_date_and_sex_disagreements_on_the_nik(regions):
    form = PersonForm({"nik": "3578014411800001", "birth_on": "1980-11-05", "sex": "L"})
    assert not form.is_valid()
    assert form.errors == {
        "nik": [
            "The birth date in the NIK (04-11-1980) is not the same as the birth date entered "
            "(05-11-1980). Check both against the KTP and correct the wrong one.",
            "This NIK belongs to a woman (day 44 = 4 + 40) but the sex entered is male. Check the "
            "sex, or check digits 7-8 of the NIK against the KTP.",
        ]
    }


def test_form_with_an_invalid_nik_shows_only_the_nik_problem(regions):
    form = PersonForm({"nik": "3578994411800001", "birth_on": "1980-11-05", "sex": "L"})
    assert not form.is_valid()
    assert form.errors == {"nik": [UNKNOWN_DISTRICT]}


def test_form_checks_the_sex_of_a_nip(db):
    form = EmployeeForm({"nip": "198011042005012001", "sex": "L"})
    assert not form.is_valid()
    assert form.errors == {
        "nip": [
            "This NIP belongs to a woman (digit 15 is 2) but the sex entered is male. Check the "
            "sex, or check the NIP against the SK."
        ]
    }
    assert EmployeeForm({"nip": "198011042005012001", "sex": "P"}).is_valid()

"""NIK, KK and NIP validation (DOMAIN.md 9, ARCHITECTURE.md convention 6)."""

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from sinergi.core.identity import (
    PROVINCE_CODES,
    IdentityError,
    KkInfo,
    NikInfo,
    NipInfo,
    Sex,
    coerce_sex,
    make_kk,
    make_nik,
    make_nip,
    normalise_identity,
    parse_kk,
    parse_nik,
    parse_nip,
    validate_kk,
    validate_nik,
    validate_nip,
)

TODAY = dt.date(2026, 11, 22)
CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems(call, *args, **kwargs):
    """(codes, messages) of the IdentityError raised by call(*args, **kwargs)."""
    with pytest.raises(IdentityError) as caught:
        call(*args, **kwargs)
    return caught.value.codes, caught.value.messages


# --- NIK: examples --------------------------------------------------------------------------------


def test_nik_of_a_woman_gives_region_birth_date_sex_and_serial():
    assert parse_nik("3578014411800001", today=TODAY) == NikInfo(
        number="3578014411800001",
        province_code="35",
        regency_code="35.78",
        district_code="35.78.01",
        birth_date=dt.date(1980, 11, 4),
        sex=Sex.FEMALE,
        serial="0001",
    )


def test_nik_of_a_man_keeps_the_day_as_is():
    info = parse_nik("3515140411800123", today=TODAY)
    assert (info.birth_date, info.sex, info.serial) == (dt.date(1980, 11, 4), Sex.MALE, "0123")


@pytest.mark.parametrize(
    "typed",
    ["3578 0144 1180 0001", " 3578.0144.1180.0001 ", "3578-014411-80-0001", "3578014411800001\n"],
)
def test_spaces_dots_and_hyphens_typed_between_digit_groups_are_ignored(typed):
    assert parse_nik(typed, today=TODAY).number == "3578014411800001"
    assert normalise_identity(typed) == "3578014411800001"


def test_nik_with_too_few_digits_says_how_many_were_given():
    assert problems(parse_nik, "357801441180001", today=TODAY) == (
        ["length"],
        [
            "The NIK must have 16 digits, but 15 digits were given. Check the number on the KTP "
            "or family card and type all 16 digits."
        ],
    )


def test_nik_of_one_digit_uses_the_singular():
    assert problems(parse_nik, "3")[1] == [
        "The NIK must have 16 digits, but 1 digit was given. Check the number on the KTP or "
        "family card and type all 16 digits."
    ]


def test_letters_in_a_nik_are_named():
    assert problems(parse_nik, "3578O144118000l1") == (
        ["characters"],
        [
            "The NIK may contain only digits, but it contains “O”, “l”. Type the 16 digits exactly "
            "as written on the KTP or family card (the letter O is not a zero, the letter l is not "
            "a one)."
        ],
    )


@pytest.mark.parametrize(
    ("value", "shown"), [("3.57801E+15", "3.57801E+15"), (3578014411800001.0, "3.57801e+15")]
)
def test_a_nik_a_spreadsheet_turned_into_a_number_is_rejected_as_lost_digits(value, shown):
    assert problems(parse_nik, value) == (
        ["number_cell"],
        [
            f"The NIK {shown} was stored as a number by a spreadsheet and has lost its last digits. "
            "Format the column as Text, then type all 16 digits again."
        ],
    )


def test_an_empty_nik_asks_for_it():
    assert problems(parse_nik, "  ") == (
        ["required"],
        ["Fill in the NIK: the 16-digit number on the KTP or family card."],
    )


def test_an_integer_nik_is_read_as_its_digits():
    assert parse_nik(3578014411800001, today=TODAY).number == "3578014411800001"


def test_nik_outside_the_38_provinces_is_rejected():
    assert problems(parse_nik, "9978014411800001", today=TODAY) == (
        ["province"],
        [
            "The NIK starts with 99, which is not an Indonesian province code. Check the first 2 "
            "digits against the KTP or family card."
        ],
    )


def test_the_province_list_can_be_given():
    assert parse_nik("9978014411800001", province_codes={"99"}, today=TODAY).province_code == "99"
    assert problems(parse_nik, "3578014411800001", province_codes={"99"}, today=TODAY)[0] == [
        "province"
    ]


def test_kecamatan_is_checked_with_the_given_callable_in_dotted_format():
    asked = []

    def district_exists(code):
        asked.append(code)
        return False

    assert problems(
        parse_nik, "3578994411800001", district_exists=district_exists, today=TODAY
    ) == (
        ["district"],
        [
            "The kecamatan code 35.78.99 (the first 6 digits of the NIK) is not in the region list. "
            "Check the first 6 digits against the KTP or family card."
        ],
    )
    assert asked == ["35.78.99"]
    assert parse_nik("3578994411800001", district_exists=lambda code: True, today=TODAY)


def test_kecamatan_is_not_looked_up_when_the_province_is_unknown():
    def district_exists(code):
        raise AssertionError("must not be called")

    assert problems(parse_nik, "9978014411800001", district_exists=district_exists)[0] == [
        "province"
    ]


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_day_outside_1_31_and_41_71_is_rejected(day):
    assert problems(parse_nik, f"357801{day}11800001", today=TODAY) == (
        ["day"],
        [
            f"Digits 7-8 of the NIK ({day}) are not a day of birth: they must be 01-31 for a man, "
            "or 41-71 for a woman (day + 40). Check them against the KTP."
        ],
    )


@pytest.mark.parametrize("month", ["00", "13"])
def test_month_outside_1_12_is_rejected(month):
    assert problems(parse_nik, f"35780104{month}800001", today=TODAY) == (
        ["month"],
        [
            f"Digits 9-10 of the NIK ({month}) are not a month of birth: they must be 01-12. "
            "Check them against the KTP."
        ],
    )


@pytest.mark.parametrize(("digits", "shown"), [("310280", "31-02-80"), ("690201", "29-02-01")])
def test_a_date_that_does_not_exist_is_rejected(digits, shown):
    assert problems(parse_nik, f"357801{digits}0001", today=TODAY) == (
        ["date"],
        [
            f"Digits 7-12 of the NIK give the birth date {shown}, which does not exist. Check "
            "them against the KTP."
        ],
    )


def test_29_february_2000_exists():
    assert parse_nik("3578016902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)


@pytest.mark.parametrize(
    ("digits", "born"),
    [
        ("221126", dt.date(2026, 11, 22)),  # today: this century
        ("231126", dt.date(1926, 11, 23)),  # tomorrow in 2026 would be the future: 1926
        ("010127", dt.date(1927, 1, 1)),
        ("010100", dt.date(2000, 1, 1)),
        ("311299", dt.date(1999, 12, 31)),
    ],
)
def test_the_century_is_the_latest_that_is_not_in_the_future(digits, born):
    assert parse_nik(f"357801{digits}0001", today=TODAY).birth_date == born


def test_a_given_birth_date_chooses_the_century():
    info = parse_nik("3578010101200001", birth_date=dt.date(1920, 1, 1), today=TODAY)
    assert info.birth_date == dt.date(1920, 1, 1)
    assert parse_nik("3578010101200001", today=TODAY).birth_date == dt.date(2020, 1, 1)


def test_serial_0000_is_rejected():
    assert problems(parse_nik, "3578014411800000", today=TODAY) == (
        ["serial"],
        [
            "The last 4 digits of the NIK are 0000, but serial numbers start at 0001. Check them "
            "against the KTP."
        ],
    )


def test_birth_date_different_from_the_nik_is_reported_with_both_dates():
    assert problems(
        parse_nik, "3578014411800001", birth_date=dt.date(1980, 11, 5), sex="P", today=TODAY
    ) == (
        ["birth_date_mismatch"],
        [
            "The birth date in the NIK (04-11-1980) is not the same as the birth date entered "
            "(05-11-1980). Check both against the KTP and correct the wrong one."
        ],
    )


def test_a_woman_s_nik_entered_as_male_is_reported():
    assert problems(parse_nik, "3578014411800001", sex=Sex.MALE, today=TODAY) == (
        ["sex_mismatch"],
        [
            "This NIK belongs to a woman (day 44 = 4 + 40) but the sex entered is male. Check the "
            "sex, or check digits 7-8 of the NIK against the KTP."
        ],
    )


def test_a_man_s_nik_entered_as_female_is_reported():
    assert problems(parse_nik, "3578010411800001", sex=Sex.FEMALE, today=TODAY) == (
        ["sex_mismatch"],
        [
            "This NIK belongs to a man (day 04, without + 40) but the sex entered is female; for a "
            "woman the NIK would show day 44. Check the sex, or check digits 7-8 of the NIK "
            "against the KTP."
        ],
    )


def test_every_problem_of_a_nik_is_reported_at_once():
    codes, _ = problems(
        parse_nik,
        "3578994411800000",
        birth_date=dt.date(1981, 11, 4),
        sex="L",
        district_exists=lambda code: False,
        today=TODAY,
    )
    assert codes == ["district", "serial", "birth_date_mismatch", "sex_mismatch"]


def test_nik_messages_are_indonesian_in_the_indonesian_catalogue():
    """The two examples of the brief, checked against the catalogue that ships the translation."""
    catalogue = polib.pofile(str(CATALOGUE))
    translations = {entry.msgid: entry.msgstr for entry in catalogue if entry.msgstr}
    with translation.override("en"):
        _codes, (date_message,) = problems(
            parse_nik, "3578014411800001", birth_date=dt.date(1980, 11, 5), today=TODAY
        )
        _codes, (sex_message,) = problems(parse_nik, "3578014411800001", sex="L", today=TODAY)
    date_msgid = next(m for m in translations if m.startswith("The birth date in the NIK"))
    sex_msgid = next(m for m in translations if m.startswith("This NIK belongs to a woman"))
    assert date_message == date_msgid % {"nik_date": "04-11-1980", "birth_date": "05-11-1980"}
    assert translations[date_msgid] % {"nik_date": "04-11-1980", "birth_date": "05-11-1980"} == (
        "Tanggal lahir di NIK (04-11-1980) tidak sama dengan tanggal lahir yang diisi "
        "(05-11-1980). Periksa keduanya dengan KTP, lalu perbaiki yang salah."
    )
    assert sex_message == sex_msgid % {"code_day": "44", "day": 4}
    assert translations[sex_msgid] % {"code_day": "44", "day": 4} == (
        "NIK ini milik perempuan (tanggal 44 = 4 + 40) tetapi jenis kelamin diisi laki-laki. "
        "Periksa jenis kelamin, atau periksa digit ke-7 dan ke-8 NIK dengan KTP."
    )


def test_validate_nik_raises_a_validation_error_per_problem():
    with pytest.raises(ValidationError) as caught:
        validate_nik("3578014411800000")
    assert [error.code for error in caught.value.error_list] == ["serial"]
    assert caught.value.messages == [
        "The last 4 digits of the NIK are 0000, but serial numbers start at 0001. Check them "
        "against the KTP."
    ]
    validate_nik("3578014411800001")


@pytest.mark.parametrize(
    ("given", "sex"),
    [
        ("L", Sex.MALE),
        ("m", Sex.MALE),
        ("Laki-laki", Sex.MALE),
        (1, Sex.MALE),
        ("P", Sex.FEMALE),
        ("female", Sex.FEMALE),
        ("PEREMPUAN", Sex.FEMALE),
        ("2", Sex.FEMALE),
        ("", None),
        (None, None),
    ],
)
def test_sex_is_read_from_the_usual_spellings(given, sex):
    assert coerce_sex(given) == sex


def test_an_unknown_sex_value_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown sex value"):
        coerce_sex("x")


def test_make_nik_adds_40_to_the_day_for_women():
    assert make_nik("35.78.01", dt.date(1980, 11, 4), Sex.FEMALE, 1) == "3578014411800001"
    assert make_nik("35.78.01", dt.date(1980, 11, 4), Sex.MALE, 12) == "3578010411800012"


@pytest.mark.parametrize(("district", "serial"), [("35.78", 1), ("35.78.0x", 1), ("35.78.01", 0)])
def test_make_nik_refuses_impossible_input(district, serial):
    with pytest.raises(ValueError):
        make_nik(district, dt.date(1980, 1, 1), Sex.MALE, serial)


# --- KK -------------------------------------------------------------------------------------------


def test_kk_number_gives_region_registration_date_and_serial():
    assert parse_kk("3578010506150003", today=TODAY) == KkInfo(
        number="3578010506150003",
        province_code="35",
        regency_code="35.78",
        district_code="35.78.01",
        registered_on=dt.date(2015, 6, 5),
        serial="0003",
    )


def test_kk_registration_day_has_no_plus_40():
    assert problems(parse_kk, "3578014506150003", today=TODAY) == (
        ["date"],
        [
            "Digits 7-12 of the KK number (450615) are not a registration date (day, month, year: "
            "DDMMYY). Check them against the family card."
        ],
    )


def test_kk_serial_0000_and_unknown_kecamatan_are_reported():
    assert problems(
        parse_kk, "3578990506150000", district_exists=lambda code: False, today=TODAY
    ) == (
        ["district", "serial"],
        [
            "The kecamatan code 35.78.99 (the first 6 digits of the KK number) is not in the "
            "region list. Check the first 6 digits against the family card.",
            "The last 4 digits of the KK number are 0000, but serial numbers start at 0001. Check "
            "them against the family card.",
        ],
    )


def test_kk_length_is_checked():
    assert problems(parse_kk, "35780105061500031")[1] == [
        "The KK number must have 16 digits, but 17 digits were given. Check the number on the "
        "family card and type all 16 digits."
    ]


def test_validate_kk():
    validate_kk(make_kk("35.78.01", dt.date(2015, 6, 5), 3))
    with pytest.raises(ValidationError):
        validate_kk("3578010506150000")


# --- NIP: examples --------------------------------------------------------------------------------


def test_nip_gives_birth_date_appointment_month_sex_and_serial():
    assert parse_nip("19801104 200501 2 001", today=TODAY) == NipInfo(
        number="198011042005012001",
        birth_date=dt.date(1980, 11, 4),
        appointed_year=2005,
        appointed_month=1,
        sex=Sex.FEMALE,
        serial="001",
    )


def test_ni_pppk_with_a_code_in_digits_13_14_is_read_as_year_only():
    info = parse_nip("199009132025242014", today=TODAY)
    assert (info.appointed_year, info.appointed_month, info.pppk_code, info.is_pppk) == (
        2025,
        None,
        "24",
        True,
    )
    assert parse_nip("198011042005012001", today=TODAY).is_pppk is False


def test_nip_with_wrong_length_says_how_many_digits_were_given():
    assert problems(parse_nip, "19801104200501200")[1] == [
        "The NIP must have 18 digits, but 17 digits were given. Check the number on the "
        "appointment decree (SK) or employee card and type all 18 digits."
    ]


@pytest.mark.parametrize("birth", ["19801304", "19800230", "18991231"])
def test_nip_birth_date_must_be_a_real_date(birth):
    assert problems(parse_nip, f"{birth}2005011001", today=TODAY) == (
        ["birth_date"],
        [
            f"Digits 1-8 of the NIP ({birth}) are not a date of birth (year, month, day: "
            "YYYYMMDD). Check them against the SK."
        ],
    )


def test_nip_birth_date_in_the_future_is_rejected():
    assert problems(parse_nip, "202612012005011001", today=TODAY)[0] == ["birth_date_future"]


def test_nip_appointment_month_00_is_rejected():
    assert problems(parse_nip, "198011042005001001", today=TODAY) == (
        ["appointment"],
        [
            "Digits 9-14 of the NIP (200500) are not an appointment month (TMT CPNS, year and "
            "month: YYYYMM). Check them against the SK CPNS."
        ],
    )


def test_nip_appointment_in_the_future_is_rejected():
    assert problems(parse_nip, "198011042026121001", today=TODAY) == (
        ["appointment_future"],
        [
            "The appointment date in the NIP (12-2026) is in the future. Check digits 9-14 "
            "against the SK."
        ],
    )
    assert parse_nip("198011042026111001", today=TODAY).appointed_month == 11


def test_nip_appointment_before_the_18th_birthday_is_rejected():
    assert problems(parse_nip, "199806152016051001", today=TODAY) == (
        ["appointment_age"],
        [
            "The NIP says the employee was appointed in 05-2016, before the age of 18 (born "
            "15-06-1998). Check digits 1-14 against the SK."
        ],
    )
    assert parse_nip("199806152016061001", today=TODAY).appointed_month == 6


def test_pppk_appointment_age_compares_years():
    assert problems(parse_nip, "200006152017211001", today=TODAY)[1] == [
        "The NIP says the employee was appointed in 2017, before the age of 18 (born "
        "15-06-2000). Check digits 1-14 against the SK."
    ]
    assert parse_nip("200006152018211001", today=TODAY).is_pppk


def test_nip_sex_digit_must_be_1_or_2():
    assert problems(parse_nip, "198011042005013001", today=TODAY) == (
        ["sex"],
        [
            "Digit 15 of the NIP is 3, but it must be 1 (male) or 2 (female). Check it against the SK."
        ],
    )


def test_nip_serial_000_is_rejected():
    assert problems(parse_nip, "198011042005011000", today=TODAY)[1] == [
        "The last 3 digits of the NIP are 000, but serial numbers start at 001. Check them "
        "against the SK."
    ]


def test_nip_disagreeing_with_birth_date_and_sex_is_reported():
    assert problems(
        parse_nip,
        "198011042005012001",
        birth_date=dt.date(1980, 11, 5),
        sex="L",
        today=TODAY,
    ) == (
        ["birth_date_mismatch", "sex_mismatch"],
        [
            "The birth date in the NIP (04-11-1980) is not the same as the birth date entered "
            "(05-11-1980). Check both against the SK and correct the wrong one.",
            "This NIP belongs to a woman (digit 15 is 2) but the sex entered is male. Check the "
            "sex, or check the NIP against the SK.",
        ],
    )
    assert problems(parse_nip, "198011042005011001", sex="P", today=TODAY)[1] == [
        "This NIP belongs to a man (digit 15 is 1) but the sex entered is female. Check the sex, "
        "or check the NIP against the SK."
    ]


def test_validate_nip():
    validate_nip("198011042005012001")
    with pytest.raises(ValidationError) as caught:
        validate_nip("1980110420050120")
    assert [error.code for error in caught.value.error_list] == ["length"]


def test_make_nip_writes_the_pppk_code_instead_of_the_month():
    assert make_nip(dt.date(1980, 11, 4), dt.date(2005, 1, 1), Sex.FEMALE, 1) == (
        "198011042005012001"
    )
    assert make_nip(dt.date(1990, 9, 13), dt.date(2025, 1, 1), "P", 14, pppk_code="24") == (
        "199009132025242014"
    )
    with pytest.raises(ValueError):
        make_nip(dt.date(1990, 9, 13), dt.date(2025, 1, 1), "P", 14, pppk_code="07")


# --- properties -----------------------------------------------------------------------------------

district_codes = st.builds(
    lambda province, regency, district: f"{province}.{regency:02d}.{district:02d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(1, 99),
    st.integers(1, 99),
)
sexes = st.sampled_from([Sex.MALE, Sex.FEMALE])
# A NIK keeps two digits of the year: without a birth date it can only mean the last 100 years.
recent_dates = st.dates(min_value=dt.date(1926, 11, 23), max_value=TODAY)
any_birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


def other_sex(sex):
    return Sex.FEMALE if sex == Sex.MALE else Sex.MALE


@given(district_codes, recent_dates, sexes, st.integers(1, 9999))
def test_every_generated_nik_round_trips_to_the_same_facts(district, born, sex, serial):
    info = parse_nik(make_nik(district, born, sex, serial), today=TODAY)
    assert (info.district_code, info.birth_date, info.sex, int(info.serial)) == (
        district,
        born,
        sex,
        serial,
    )
    assert info.province_code == district[:2]
    assert info.regency_code == district[:5]


@given(district_codes, any_birth_dates, sexes, st.integers(1, 9999))
def test_a_nik_agrees_with_the_birth_date_and_sex_it_was_made_from(district, born, sex, serial):
    info = parse_nik(make_nik(district, born, sex, serial), birth_date=born, sex=sex, today=TODAY)
    assert (info.birth_date, info.sex) == (born, sex)


@given(district_codes, any_birth_dates, sexes, st.integers(1, 9999))
def test_flipping_the_sex_is_always_reported(district, born, sex, serial):
    nik = make_nik(district, born, sex, serial)
    codes, _ = problems(parse_nik, nik, birth_date=born, sex=other_sex(sex), today=TODAY)
    assert codes == ["sex_mismatch"]


@given(district_codes, any_birth_dates, any_birth_dates, sexes, st.integers(1, 9999))
def test_a_different_birth_date_is_always_reported(district, born, entered, sex, serial):
    # Dates a whole number of centuries apart have the same NIK digits: no NIK can tell them apart.
    assume(f"{born:%d%m%y}" != f"{entered:%d%m%y}")
    nik = make_nik(district, born, sex, serial)
    codes, _ = problems(parse_nik, nik, birth_date=entered, sex=sex, today=TODAY)
    assert codes == ["birth_date_mismatch"]


@given(st.text())
def test_any_text_that_is_not_16_digits_is_rejected(text):
    digits = normalise_identity(text)
    assume(not (digits.isascii() and digits.isdecimal() and len(digits) == 16))
    codes, messages = problems(parse_nik, text, today=TODAY)
    assert len(codes) == 1
    assert codes[0] in {"required", "characters", "length", "number_cell"}
    assert messages[0]


@given(st.from_regex(r"\A([0-9]{0,15}|[0-9]{17,40})\Z"))
def test_any_digit_string_of_another_length_says_how_many_digits(digits):
    codes, messages = problems(parse_nik, digits, today=TODAY)
    assert codes == (["length"] if digits else ["required"])
    if digits:
        assert f"but {len(digits)} digit" in messages[0]


@given(
    district_codes, st.dates(min_value=dt.date(1926, 11, 23), max_value=TODAY), st.integers(1, 9999)
)
def test_every_generated_kk_round_trips(district, registered, serial):
    info = parse_kk(make_kk(district, registered, serial), today=TODAY)
    assert (info.district_code, info.registered_on, int(info.serial)) == (
        district,
        registered,
        serial,
    )


@st.composite
def nip_facts(draw):
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2008, 11, 22)))
    earliest = dt.date(born.year + 18, born.month, 1)
    appointed = draw(st.dates(min_value=earliest, max_value=TODAY)).replace(day=1)
    return born, appointed, draw(sexes), draw(st.integers(1, 999))


@given(nip_facts())
def test_every_generated_nip_round_trips_to_the_same_facts(facts):
    born, appointed, sex, serial = facts
    info = parse_nip(make_nip(born, appointed, sex, serial), birth_date=born, sex=sex, today=TODAY)
    assert (info.birth_date, info.appointed_year, info.appointed_month, info.sex) == (
        born,
        appointed.year,
        appointed.month,
        sex,
    )
    assert int(info.serial) == serial


@given(nip_facts(), any_birth_dates)
def test_nip_flipped_sex_or_other_birth_date_is_reported(facts, entered):
    born, appointed, sex, serial = facts
    nip = make_nip(born, appointed, sex, serial)
    assert problems(parse_nip, nip, sex=other_sex(sex), today=TODAY)[0] == ["sex_mismatch"]
    assume(entered != born)
    assert problems(parse_nip, nip, birth_date=entered, today=TODAY)[0] == ["birth_date_mismatch"]


@given(st.text())
def test_any_text_that_is_not_18_digits_is_not_a_nip(text):
    digits = normalise_identity(text)
    assume(not (digits.isascii() and digits.isdecimal() and len(digits) == 18))
    codes, _ = problems(parse_nip, text, today=TODAY)
    assert len(codes) == 1
    assert codes[0] in {"required", "characters", "length", "number_cell"}

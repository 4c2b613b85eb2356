"""Capaian per DOMAIN.md 5.4: the formulas, their SQL twin, and the bands."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.performance import achievement, selectors, services
from sinergi.performance.models import Band, Indicator

D = Decimal


@pytest.mark.parametrize(
    ("polarity", "target", "realisation", "low", "high", "expected"),
    [
        # higher is better: r / t (LKjIP Maluku Tengah p. 94)
        ("maximize", "80", "60", None, None, "75.00"),
        ("maximize", "200", "250", None, None, "125.00"),
        # lower is better: (t - (r - t)) / t, the same as (1 + (1 - r/t))
        ("minimize", "10", "12", None, None, "80.00"),
        ("minimize", "10", "5", None, None, "150.00"),
        ("minimize", "10", "25", None, None, "0.00"),  # floored at 0
        # range 60-70: inside 100; below r/low; above (2 high - r)/high
        ("range", None, "65", "60", "70", "100.00"),
        ("range", None, "60", "60", "70", "100.00"),
        ("range", None, "45", "60", "70", "75.00"),
        ("range", None, "77", "60", "70", "90.00"),
        # yes/no
        ("binary", "1", "1", None, None, "100.00"),
        ("binary", "1", "0", None, None, "0.00"),
        ("binary", "0", "0", None, None, "100.00"),
    ],
)
def test_formulas_of_domain_5_4(polarity, target, realisation, low, high, expected):
    result = achievement.compute(
        polarity,
        target=D(target) if target else None,
        realisation=D(realisation),
        low=D(low) if low else None,
        high=D(high) if high else None,
    )
    assert result == D(expected)


@pytest.mark.parametrize("polarity", ["maximize", "minimize"])
def test_no_figure_without_target_or_with_a_zero_target(polarity):
    assert achievement.compute(polarity, target=None, realisation=D(5)) is None
    assert achievement.compute(polarity, target=D(0), realisation=D(5)) is None
    assert achievement.compute(polarity, target=D(5), realisation=None) is None


positive = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
non_negative = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2)


@given(target=positive, realisation=non_negative)
def test_minimize_mirrors_maximize_around_the_target(target, realisation):
    """Lower-is-better at t + x equals higher-is-better at t - x (both floored at 0)."""
    up = achievement.compute("minimize", target=target, realisation=realisation)
    mirrored = 2 * target - realisation
    down = achievement.compute("maximize", target=target, realisation=max(mirrored, D(0)))
    assert up == down


@given(target=positive, a=non_negative, b=non_negative)
def test_maximize_is_monotonic_and_never_negative(target, a, b):
    low, high = sorted([a, b])
    first = achievement.compute("maximize", target=target, realisation=low)
    second = achievement.compute("maximize", target=target, realisation=high)
    assert D(0) <= first <= second


@given(low=non_negative, width=positive, realisation=non_negative)
def test_range_is_100_inside_and_below_100_outside(low, width, realisation):
    high = low + width
    result = achievement.compute("range", target=None, realisation=realisation, low=low, high=high)
    if low <= realisation <= high:
        assert result == D(100)
    elif realisation < low and low == 0:
        assert result is None
    else:
        assert result is not None
        assert D(0) <= result <= D(100)


def _band(label, minimum, inclusive=False):
    return Band(
        scheme="achievement",
        label=label,
        minimum=D(minimum) if minimum is not None else None,
        inclusive=inclusive,
        colour="success",
    )


def test_band_of_uses_the_highest_minimum_reached():
    bands = [
        _band("Sangat Kurang", None),
        _band("Baik", "75"),
        _band("Sangat Baik", "90"),
        _band("Kurang", "50"),
    ]
    assert achievement.band_of(D("90.01"), bands).label == "Sangat Baik"
    assert achievement.band_of(D("90"), bands).label == "Baik"  # > 90 only
    assert achievement.band_of(D("50"), bands).label == "Sangat Kurang"
    assert achievement.band_of(None, bands) is None
    inclusive = [_band("Tuntas Paripurna", "100", inclusive=True), _band("Tidak Tuntas", None)]
    assert achievement.band_of(D("100"), inclusive).label == "Tuntas Paripurna"
    assert achievement.band_of(D("99.99"), inclusive).label == "Tidak Tuntas"


@pytest.mark.django_db
def test_default_bands_are_loaded_with_their_source():
    achievement_bands = Band.objects.filter(scheme="achievement")
    assert sorted(achievement_bands.values_list("label", flat=True)) == [
        "Baik",
        "Cukup",
        "Kurang",
        "Sangat Baik",
        "Sangat Kurang",
    ]
    assert all("Sampang" in b.source for b in achievement_bands)
    assert Band.objects.filter(scheme="spm").count() == 6
    assert all("UNCONFIRMED" in b.source for b in Band.objects.filter(scheme="spm"))


CASES = [
    ("maximize", "80", None, None, "60"),
    ("maximize", "3", None, None, "7"),
    ("minimize", "10", None, None, "12"),
    ("minimize", "10", None, None, "30"),
    ("range", None, "60", "70", "45"),
    ("range", None, "60", "70", "65"),
    ("range", None, "60", "70", "77"),
    ("binary", "1", None, None, "1"),
    ("binary", "1", None, None, "0"),
]


@pytest.mark.django_db
def test_the_sql_expression_agrees_with_the_python_formula(units):
    period = services.period_save(actor=None, name="R", start_year=2025, end_year=2029)
    expected = {}
    for n, (polarity, value, low, high, realisation) in enumerate(CASES):
        indicator = services.indicator_save(
            actor=None,
            period=period,
            unit=units.upt_a,
            code=f"C{n}",
            name=f"Case {n}",
            unit_of_measure="x",
            polarity=polarity,
        )
        services.target_set(
            actor=None, indicator=indicator, year=2026, quarter=1, value=value, low=low, high=high
        )
        services.realisation_enter(
            actor=None,
            indicator=indicator,
            year=2026,
            quarter=1,
            value=realisation,
            evidence_text="x",
        )
        expected[indicator.pk] = achievement.compute(
            polarity,
            target=D(value) if value else None,
            realisation=D(realisation),
            low=D(low) if low else None,
            high=D(high) if high else None,
        )
    rows = selectors.with_figures(Indicator.objects.all(), year=2026, quarter=1).values_list(
        "pk", "achievement"
    )
    found = {pk: D(str(v)).quantize(D("0.01")) if v is not None else None for pk, v in rows}
    assert found == expected

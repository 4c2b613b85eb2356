import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.audit.models import AuditEvent
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.performance import selectors, services
from sinergi.performance.models import (
    Indicator,
    PerformanceAgreement,
    PeriodLock,
    Realisation,
    Target,
)
from sinergi.performance.testing import make_indicator

pytestmark = pytest.mark.django_db


def actions(since=0):
    return list(
        AuditEvent.objects.filter(pk__gt=since).order_by("pk").values_list("action", flat=True)
    )


def last_event_id():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    ("polarity", "fields", "code"),
    [
        ("maximize", {"value": "0"}, "target_not_positive"),
        ("minimize", {"value": "-5"}, "target_not_positive"),
        ("maximize", {}, "target_missing"),
        ("range", {"low": "70", "high": "60"}, "range_invalid"),
        ("range", {"low": "60"}, "range_missing"),
        ("binary", {"value": "2"}, "binary_target"),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_saved(plan, units, polarity, fields, code):
    indicator = make_indicator(plan.period, units.upt_b, "NEW", polarity=polarity)
    before, mark = Target.objects.count(), last_event_id()
    with pytest.raises(ApplicationError) as exc:
        services.target_set(actor=None, indicator=indicator, year=2026, quarter=0, **fields)
    assert exc.value.code == code
    assert Target.objects.count() == before
    assert actions(mark) == []


def test_a_zero_target_message_says_what_to_do(plan):
    with pytest.raises(ApplicationError) as exc:
        services.target_set(actor=None, indicator=plan.upt_a_served, year=2026, value="0")
    assert exc.value.message.startswith("Target 0 tidak dapat dipakai: capaian indikator ini")
    assert "Isi target lebih dari nol" in exc.value.message
    assert (
        not Target.objects.filter(indicator=plan.upt_a_served, year=2026, quarter=0)
        .exclude(value=200)
        .exists()
    )


def test_target_outside_the_plan_years_is_refused(plan):
    with pytest.raises(ApplicationError) as exc:
        services.target_set(actor=None, indicator=plan.iku, year=2030, value="80")
    assert exc.value.code == "year_outside_period"


def test_setting_the_same_target_twice_writes_one_audit_event(plan):
    mark = last_event_id()
    services.target_set(actor=None, indicator=plan.iku, year=2027, value="82.5")
    services.target_set(actor=None, indicator=plan.iku, year=2027, value="82,50")
    assert actions(mark) == ["performance.target_set"]


def test_only_planning_staff_manage_the_plan(plan, make_user, units):
    head = make_user("head_of_upt", units.upt_a)
    with pytest.raises(PermissionDenied):
        services.target_set(actor=head, indicator=plan.upt_a_served, year=2026, value="1")
    with pytest.raises(PermissionDenied):
        services.goal_save(actor=head, period=plan.period, code="T9", statement="x")


def test_unknown_metric_code_is_refused(plan, units):
    with pytest.raises(ApplicationError) as exc:
        make_indicator(plan.period, units.upt_a, "AUTO", metric_code="nothing.here")
    assert exc.value.code == "unknown_metric"
    assert not Indicator.objects.filter(code="AUTO").exists()


def test_overlapping_renstra_is_refused(plan):
    with pytest.raises(ApplicationError) as exc:
        services.period_save(actor=None, name="X", start_year=2028, end_year=2032)
    assert exc.value.code == "overlapping_period"


def test_the_unit_enters_its_own_realisation_with_evidence(plan, make_user, units):
    head_a = make_user("head_of_upt", units.upt_a)
    head_b = make_user("head_of_upt", units.upt_b)
    with pytest.raises(PermissionDenied):
        services.realisation_enter(
            actor=head_b,
            indicator=plan.upt_a_served,
            year=2026,
            quarter=1,
            value="10",
            evidence_text="x",
        )
    mark = last_event_id()
    pdf = SimpleUploadedFile("register.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    realisation = services.realisation_enter(
        actor=head_a,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="48",
        evidence_file=pdf,
    )
    assert realisation.value == Decimal("48")
    assert realisation.entered_by == head_a
    assert realisation.evidence_file.name.endswith(".pdf")
    assert "register" not in realisation.evidence_file.name
    assert actions(mark) == ["performance.realisation_entered"]


def test_evidence_is_required_and_checked(plan):
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=None, indicator=plan.upt_a_served, year=2026, quarter=1, value="4"
        )
    assert exc.value.code == "evidence_missing"
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=None,
            indicator=plan.upt_a_served,
            year=2026,
            quarter=1,
            value="4",
            evidence_file=fake,
        )
    assert exc.value.code == "file_content"
    exe = SimpleUploadedFile("bukti.exe", b"MZ\x90\x00")
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=None,
            indicator=plan.upt_a_served,
            year=2026,
            quarter=1,
            value="4",
            evidence_file=exe,
        )
    assert exc.value.code == "file_type"
    assert not Realisation.objects.exists()


def test_verification_locks_and_unlocking_is_audited_with_the_reason(plan, make_user, units):
    planner = make_user("planning_officer", units.secretariat)
    head_a = make_user("head_of_upt", units.upt_a)
    realisation = services.realisation_enter(
        actor=head_a,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="40",
        evidence_text="Register",
    )
    with pytest.raises(PermissionDenied):
        services.realisation_verify(actor=head_a, realisation=realisation)
    services.realisation_verify(actor=planner, realisation=realisation, note="cocok")
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=head_a,
            indicator=plan.upt_a_served,
            year=2026,
            quarter=1,
            value="44",
            evidence_text="Register",
        )
    assert exc.value.code == "realisation_locked"
    assert Realisation.objects.get().value == Decimal("40")
    with pytest.raises(ApplicationError):
        services.realisation_unlock(actor=planner, realisation=realisation, reason="")
    mark = last_event_id()
    services.realisation_unlock(actor=planner, realisation=realisation, reason="Salah hitung")
    event = AuditEvent.objects.get(pk__gt=mark)
    assert event.action == "performance.realisation_unlocked"
    assert event.extra == {"reason": "Salah hitung"}
    assert event.actor == planner
    services.realisation_enter(
        actor=head_a,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="44",
        evidence_text="Register diperbaiki",
    )
    assert Realisation.objects.get().value == Decimal("44")


def test_a_locked_period_refuses_realisation(plan):
    services.period_lock(actor=None, year=2026, quarter=1, reason="Batas waktu TW I")
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=None,
            indicator=plan.upt_a_served,
            year=2026,
            quarter=1,
            value="4",
            evidence_text="x",
        )
    assert exc.value.code == "period_locked"
    assert not Realisation.objects.exists()
    with pytest.raises(ApplicationError):
        services.period_unlock(actor=None, year=2026, quarter=1, reason="")
    services.period_unlock(actor=None, year=2026, quarter=1, reason="Perpanjangan waktu")
    assert not PeriodLock.objects.exists()


@pytest.fixture
def served_metric():
    calls = []

    @metrics.register(
        code="testperf.clients_served", label="Klien terlayani (uji)", unit_of_measure="orang"
    )
    def clients_served(query):
        calls.append(query)
        return None if query.unit_ids == frozenset() else Decimal(len(query.unit_ids or [0, 0]) * 7)

    yield calls
    metrics.unregister("testperf.clients_served")


def test_automatic_indicator_is_filled_from_the_metric_and_not_by_hand(plan, units, served_metric):
    indicator = make_indicator(
        plan.period, units.rehab_division, "AUTO-1", metric_code="testperf.clients_served"
    )
    services.target_set(actor=None, indicator=indicator, year=2026, quarter=2, value="30")
    with pytest.raises(ApplicationError) as exc:
        services.realisation_enter(
            actor=None, indicator=indicator, year=2026, quarter=2, value="5", evidence_text="x"
        )
    assert exc.value.code == "automatic_indicator"
    mark = last_event_id()
    realisation = services.realisation_fill(actor=None, indicator=indicator, year=2026, quarter=2)
    # the division and its two UPT: 3 units x 7
    assert realisation.value == Decimal("21")
    assert realisation.automatic is True
    query = served_metric[-1]
    assert query.start == dt.date(2026, 1, 1)  # cumulative from January
    assert query.end == dt.date(2026, 6, 30)
    assert query.unit_ids == frozenset({units.rehab_division.pk, units.upt_a.pk, units.upt_b.pk})
    assert actions(mark) == ["performance.realisation_filled"]
    # filling again with the same figure writes nothing
    services.realisation_fill(actor=None, indicator=indicator, year=2026, quarter=2)
    assert actions(mark) == ["performance.realisation_filled"]
    rows = selectors.unit_achievements(
        viewer=None, unit_id=units.rehab_division.pk, year=2026, quarter=2
    )
    assert rows == []  # an anonymous viewer sees nothing
    from sinergi.performance.selectors import SYSTEM

    (row,) = selectors.unit_achievements(
        viewer=SYSTEM, unit_id=units.rehab_division.pk, year=2026, quarter=2
    )
    assert row.automatic is True
    assert row.achievement == Decimal("70.00")


def test_fill_ignores_an_unregistered_metric(plan, units, served_metric):
    indicator = make_indicator(
        plan.period, units.upt_a, "AUTO-2", metric_code="testperf.clients_served"
    )
    metrics.unregister("testperf.clients_served")
    assert services.fill_automatic(year=2026, quarter=1) == 0
    assert not Realisation.objects.filter(indicator=indicator).exists()


def test_agreement_copies_the_targets_and_signing_freezes_it(plan, units):
    agreement = services.agreement_draw(
        actor=None,
        unit=units.upt_a,
        year=2026,
        head_name="Saroni, SST, M.Si",
        head_position="Kepala UPT RSBD Pasuruan",
        superior_name="Dra. Restu Novi Widiani, MM",
        superior_position="Kepala Dinas Sosial",
    )
    items = selectors.agreement_items(agreement)
    assert [(i.indicator.code, i.target_value) for i in items] == [
        ("UPT-A-1", Decimal("200.0000")),
        ("UPT-A-2", Decimal("10.0000")),
    ]
    services.agreement_sign(actor=None, agreement=agreement, signed_on=dt.date(2026, 1, 20))
    with pytest.raises(ApplicationError) as exc:
        services.agreement_draw(
            actor=None, unit=units.upt_a, year=2026, head_name="X", head_position="Y"
        )
    assert exc.value.code == "agreement_signed"
    assert PerformanceAgreement.objects.get().head_name == "Saroni, SST, M.Si"


def test_agreement_without_targets_is_refused(plan, units):
    with pytest.raises(ApplicationError) as exc:
        services.agreement_draw(
            actor=None, unit=units.upt_a, year=2027, head_name="X", head_position="Y"
        )
    assert exc.value.code == "no_targets"
    assert not PerformanceAgreement.objects.exists()


def test_lkjip_notes_indicators_below_expectation(plan, units):
    services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=4,
        value="100",
        evidence_text="Register",
    )
    services.target_set(actor=None, indicator=plan.upt_a_served, year=2025, value="100")
    services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2025,
        quarter=4,
        value="90",
        evidence_text="Register",
    )
    report = selectors.lkjip(viewer=selectors.SYSTEM, year=2026)
    (item,) = report.attention
    assert item.detail.row.code == "UPT-A-1"
    assert item.detail.row.achievement == Decimal("50.00")
    assert item.last_year == Decimal("90.00")
    assert "lebih rendah dari tahun lalu" in item.note
    objective = report.goals[0].objectives[0]
    assert [i.detail.row.code for i in objective.indicators][:1] == ["IKU-1"]


def _live(year, quarter):
    """The dashboard figures computed straight from the indicators (no summaries)."""
    from django.db.models import Count, Q

    from sinergi.performance import achievement
    from sinergi.performance.figures import with_figures
    from sinergi.performance.models import Band

    band_list = list(Band.objects.filter(scheme="achievement"))
    rows = (
        with_figures(Indicator.objects.filter(is_active=True), year=year, quarter=quarter)
        .annotate(band_id=achievement.band_case(band_list, "achievement"))
        .values("unit_id", "band_id")
        .annotate(n=Count("pk"), verified=Count("pk", filter=Q(r_verified=True)))
        .order_by()
    )
    return sorted(
        ((r["unit_id"], r["band_id"], r["n"], r["verified"]) for r in rows), key=_sort_key
    )


def _sort_key(row):
    """Rows sort with "no band" (None) before every band id."""
    return tuple(-1 if value is None else value for value in row)


def _summarised(year, quarter):
    from sinergi.performance.models import AchievementSummary

    return sorted(
        AchievementSummary.objects.filter(year=year, quarter=quarter or 0).values_list(
            "unit_id", "band_id", "indicators", "verified"
        ),
        key=_sort_key,
    )


def test_summaries_follow_every_change(plan, units):
    from sinergi.performance.models import Band

    assert _summarised(2026, None) == _live(2026, None)
    realisation = services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="45",
        evidence_text="x",
    )
    services.realisation_enter(
        actor=None,
        indicator=plan.upt_b_occupancy,
        year=2026,
        quarter=2,
        value="99",
        evidence_text="x",
    )
    services.realisation_verify(actor=None, realisation=realisation)
    services.target_set(actor=None, indicator=plan.upt_a_complaints, year=2026, quarter=1, value=2)
    moved = make_indicator(plan.period, units.upt_a, "MOVE")
    services.indicator_save(
        actor=None,
        period=plan.period,
        unit=units.upt_b,
        code="MOVE",
        name="Pindah unit",
        unit_of_measure="x",
    )
    assert moved.pk
    baik = Band.objects.get(scheme="achievement", label="Baik")
    services.band_save(
        actor=None,
        band=baik,
        label="Baik",
        minimum=Decimal("85"),
        inclusive=False,
        colour="primary",
        needs_attention=False,
        source="uji",
    )
    for quarter in (None, 1, 2, 3, 4):
        assert _summarised(2026, quarter) == _live(2026, quarter), quarter
    # 45 of 50 = 90 %: "Baik" now starts above 85
    upt_a_q1 = [row for row in _summarised(2026, 1) if row[0] == units.upt_a.pk]
    assert (units.upt_a.pk, baik.pk, 1, 1) in upt_a_q1

"""Rules of intake, stage changes and assessments, and what bad input does (nothing saved)."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import make_nik
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    Assessment,
    Case,
    CaseEvent,
    Client,
    InterventionPlan,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.testing import admit, draft_plan, intake_fields

pytestmark = pytest.mark.django_db

BARTHEL_FULL = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}


def _stage(code):
    return Stage.objects.get(code=code)


def _advance(case, actor, **kwargs):
    return services.case_advance(actor=actor, case=case, expected_version=case.version, **kwargs)


def _approve(case, actor):
    return services.case_approve_stage(actor=actor, case=case, expected_version=case.version)


# --- Reference data --------------------------------------------------------------------------


def test_reference_data_follows_the_regulations(reference):
    assert Stage.objects.count() == 7
    assert [s.name for s in selectors.stages()][:3] == [
        "Pendekatan awal",
        "Pengungkapan dan pemahaman masalah",
        "Penyusunan rencana pemecahan masalah",
    ]
    assert [s.code for s in Stage.objects.filter(requires_approval=True)] == [
        "rencana",
        "terminasi",
    ]
    assert selectors.ppks_categories().count() == 26
    assert selectors.ppks_categories().get(number=8).name == "Lanjut Usia Terlantar"
    assert all(s.source for s in Stage.objects.all())


def test_barthel_index_has_ten_items_scoring_0_to_20_with_the_panti_bands(reference):
    barthel = selectors.instrument_current()
    items = list(barthel.items.all())
    assert len(items) == 10
    assert sum(max(o.score for o in item.options.all()) for item in items) == 20
    bands = [(b.min_score, b.max_score, b.label) for b in barthel.bands.all()]
    assert bands == [
        (20, 20, "Mandiri"),
        (12, 19, "Ketergantungan ringan"),
        (9, 11, "Ketergantungan sedang"),
        (5, 8, "Ketergantungan berat"),
        (0, 4, "Ketergantungan total"),
    ]


def test_loading_the_reference_again_changes_nothing(reference):
    before = AuditEvent.objects.count()
    counts = services.reference_load(actor=None)
    assert set(counts.values()) == {0}
    assert AuditEvent.objects.count() == before


# --- Intake ----------------------------------------------------------------------------------


def test_intake_registers_the_client_and_opens_a_case_at_the_first_stage(units, people):
    case = admit(units.upt_a, actor=people.worker_a, social_worker=people.worker_a)
    assert case.stage.code == "pendekatan-awal"
    assert case.version == 1
    assert case.client.regency_id == "35.14"
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["opened"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rehabilitation.client_created", "rehabilitation.case_opened"} <= actions


def test_the_audit_trail_holds_no_name_or_nik(units, people):
    case = admit(units.upt_a, actor=people.worker_a, name="Rahasia Sekali")
    for event in AuditEvent.objects.filter(action__startswith="rehabilitation."):
        text = f"{event.target_label} {event.changes} {event.extra}"
        assert "Rahasia" not in text
        assert case.client.nik not in text


def test_an_invalid_nik_is_refused_and_nothing_is_saved(units, people):
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_a, actor=people.worker_a, nik="3514011403501")
    assert "nik" in error.value.field_errors
    assert Client.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_nik_that_disagrees_with_the_birth_date_is_refused(units, people):
    nik = make_nik("35.14.01", dt.date(1950, 3, 15), "P", 7)
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_a, actor=people.worker_a, nik=nik, birth_on=dt.date(1950, 3, 14))
    assert "birth date" in error.value.message
    assert Client.objects.count() == 0


def test_a_birth_date_in_the_future_is_refused(units, people):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        admit(
            units.upt_a, actor=people.worker_a, nik=None, no_nik_reason="Razia", birth_on=tomorrow
        )
    assert error.value.field_errors == {"birth_on": ["The date of birth cannot be in the future."]}
    assert Client.objects.count() == 0


def test_without_nik_a_reason_is_required(units, people):
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_a, actor=people.worker_a, nik="", no_nik_reason="")
    assert list(error.value.field_errors) == ["no_nik_reason"]
    case = admit(units.upt_a, actor=people.worker_a, nik="", no_nik_reason="Ditemukan saat razia")
    assert case.client.nik is None


def test_the_same_nik_reuses_the_person_in_another_upt(units, people):
    first = admit(units.upt_a, actor=people.worker_a)
    first.status = Case.Status.CLOSED
    first.save()
    second = admit(units.upt_b, actor=people.worker_b, nik=first.client.nik, name="Siti A.")
    assert second.client_id == first.client_id
    assert Client.objects.count() == 1
    assert Client.objects.get().name == "Siti Aminah"


def test_a_person_with_an_open_case_cannot_be_admitted_twice(units, people):
    first = admit(units.upt_a, actor=people.worker_a)
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_b, actor=people.worker_b, nik=first.client.nik)
    assert error.value.code == "open_case_exists"
    assert Case.objects.count() == 1


def test_a_likely_duplicate_is_shown_before_saving_and_saved_when_confirmed(units, people):
    admit(units.upt_a, actor=people.worker_a, nik="", no_nik_reason="Razia")
    fields = intake_fields(nik="", no_nik_reason="Razia", name="siti aminah ")
    with pytest.raises(services.LikelyDuplicate) as error:
        services.client_intake(
            actor=people.worker_b, unit=units.upt_b, admitted_on=dt.date(2026, 2, 1), **fields
        )
    [candidate] = error.value.candidates
    assert candidate.unit_names == ["UPT RSBD Pasuruan"]
    assert Client.objects.count() == 1
    services.client_intake(
        actor=people.worker_b,
        unit=units.upt_b,
        admitted_on=dt.date(2026, 2, 1),
        confirm_not_duplicate=True,
        **fields,
    )
    assert Client.objects.count() == 2


def test_intake_into_a_upt_outside_the_actors_scope_is_refused(units, people):
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_b, actor=people.worker_a)
    assert list(error.value.field_errors) == ["unit"]
    assert Client.objects.count() == 0


def test_a_desil_outside_1_to_10_is_refused(units, people):
    with pytest.raises(ApplicationError) as error:
        admit(units.upt_a, actor=people.worker_a, dtsen_desil=11)
    assert "dtsen_desil" in error.value.field_errors
    assert Client.objects.count() == 0


# --- Stages ----------------------------------------------------------------------------------


def test_the_assigned_worker_advances_to_the_next_stage(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = _advance(case, people.worker_a, notes="Asesmen dimulai")
    assert case.stage.code == "asesmen"
    assert case.version == 2
    event = CaseEvent.objects.filter(case=case).latest("at", "id")
    assert (event.kind, event.from_stage.code, event.notes) == (
        "advanced",
        "pendekatan-awal",
        "Asesmen dimulai",
    )


def test_a_stage_jump_without_reason_is_refused(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a, to_stage=_stage("rencana"))
    assert error.value.code == "skip_without_reason"
    case.refresh_from_db()
    assert (case.stage.code, case.version) == ("pendekatan-awal", 1)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_stage_jump_with_a_reason_is_recorded_as_skipped(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = _advance(
        case, people.worker_a, to_stage=_stage("rencana"), reason="Asesmen dari rujukan RS"
    )
    assert case.stage.code == "rencana"
    event = CaseEvent.objects.filter(case=case).latest("at", "id")
    assert (event.kind, event.reason) == ("skipped", "Asesmen dari rujukan RS")


def test_moving_backwards_is_refused(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = _advance(case, people.worker_a)
    with pytest.raises(ApplicationError):
        _advance(case, people.worker_a, to_stage=_stage("pendekatan-awal"))


def test_the_plan_needs_the_head_of_upt_approval_before_moving_on(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = _advance(case, people.worker_a, to_stage=_stage("rencana"), reason="x")
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a)
    assert error.value.code == "approval_required"
    with pytest.raises(ApplicationError) as error:
        _approve(case, people.worker_a)
    assert error.value.code == "not_approver"
    with pytest.raises(ApplicationError):
        _approve(case, people.head_b)
    draft_plan(case)  # the plan stage's approval approves the plan (casework)
    case = _approve(case, people.head_a)
    assert case.stage_approved_by == people.head_a
    case = _advance(case, people.worker_a)
    assert case.stage.code == "pemecahan-masalah"
    assert case.stage_approved_at is None


def test_termination_needs_a_reason_and_the_approval(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = _advance(case, people.worker_a, to_stage=_stage("resosialisasi"), reason="x")
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a)
    assert error.value.code == "termination_reason_required"
    reason = TerminationReason.objects.get(code="kembali-ke-keluarga")
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a, termination_reason=reason)
    assert set(error.value.field_errors) == {"termination_on", "destination_address"}
    case = _advance(
        case,
        people.worker_a,
        termination_reason=reason,
        termination_on=dt.date(2026, 6, 30),
        destination_address="Rumah anak, Dusun Krajan, Gerbo",
    )
    assert (case.stage.code, case.termination_reason) == ("terminasi", reason)
    assert (case.termination_on, case.destination_address) == (
        dt.date(2026, 6, 30),
        "Rumah anak, Dusun Krajan, Gerbo",
    )
    with pytest.raises(ApplicationError):
        _advance(case, people.worker_a)
    case = _advance(_approve(case, people.head_a), people.worker_a)
    assert case.stage.code == "bimbingan-lanjut"
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a)
    assert error.value.code == "last_stage"


def test_a_worker_not_assigned_to_the_case_cannot_change_it(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    with pytest.raises(ApplicationError) as error:
        _advance(case, people.worker_a2)
    assert error.value.code == "not_assigned"
    case = _advance(case, people.head_a)  # the head of UPT may change any case of the UPT
    assert case.stage.code == "asesmen"


def test_a_stale_version_is_refused_with_reload_message(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    seen_version = case.version
    _advance(case, people.head_a)
    with pytest.raises(services.StaleCase) as error:
        services.case_advance(actor=people.worker_a, case=case, expected_version=seen_version)
    assert "Someone else changed this case" in error.value.message
    case.refresh_from_db()
    assert (case.stage.code, case.version) == ("asesmen", 2)


# --- Assessments -----------------------------------------------------------------------------


def test_an_assessment_stores_every_item_score_and_the_band(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    barthel = selectors.instrument_current()
    scores = {**BARTHEL_FULL, 8: 1, 9: 1, 10: 0}
    assessment = services.assessment_record(
        actor=people.worker_a,
        case=case,
        instrument=barthel,
        assessed_on=dt.date(2026, 1, 10),
        scores=scores,
    )
    assert assessment.total_score == 14
    assert assessment.band_label == "Ketergantungan ringan"
    assert assessment.instrument.version == "0-20"
    stored = dict(assessment.answers.values_list("item__number", "score"))
    assert stored == scores


def test_an_assessment_with_a_missing_item_is_refused(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    scores = dict(BARTHEL_FULL)
    del scores[6]
    with pytest.raises(ApplicationError) as error:
        services.assessment_record(
            actor=people.worker_a,
            case=case,
            instrument=selectors.instrument_current(),
            assessed_on=dt.date(2026, 1, 10),
            scores=scores,
        )
    assert error.value.code == "missing_item"
    assert list(error.value.field_errors) == ["item_6"]
    assert Assessment.objects.count() == 0


def test_a_score_that_is_not_an_option_is_refused(units, people):
    case = admit(units.upt_a, social_worker=people.worker_a)
    with pytest.raises(ApplicationError):
        services.assessment_record(
            actor=people.worker_a,
            case=case,
            instrument=selectors.instrument_current(),
            assessed_on=dt.date(2026, 1, 10),
            scores={**BARTHEL_FULL, 2: 2},
        )
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (20, "Mandiri"),
        (19, "Ketergantungan ringan"),
        (12, "Ketergantungan ringan"),
        (11, "Ketergantungan sedang"),
        (9, "Ketergantungan sedang"),
        (8, "Ketergantungan berat"),
        (5, "Ketergantungan berat"),
        (4, "Ketergantungan total"),
        (0, "Ketergantungan total"),
    ],
)
def test_barthel_bands_follow_domain_4_1(units, people, total, band):
    case = admit(units.upt_a, social_worker=people.worker_a)
    scores = dict.fromkeys(range(1, 11), 0)
    maxima = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}
    left = total
    for number in range(1, 11):
        scores[number] = min(maxima[number], left)
        left -= scores[number]
    assessment = services.assessment_record(
        actor=None,
        case=case,
        instrument=selectors.instrument_current(),
        assessed_on=dt.date(2026, 1, 10),
        scores=scores,
    )
    assert (assessment.total_score, assessment.band_label) == (total, band)


def test_the_reference_command_restores_a_changed_row(reference):
    from io import StringIO

    from django.core.management import call_command

    Stage.objects.filter(code="rencana").update(requires_approval=False)
    out = StringIO()
    call_command("load_rehabilitation_reference", stdout=out)
    assert "stage: 1 created or changed" in out.getvalue()
    assert Stage.objects.get(code="rencana").requires_approval is True


def test_demo_data_fills_the_demo_upts_with_cases_in_every_stage_and_is_idempotent(units, people):
    from io import StringIO

    from sinergi.organisation.models import Unit
    from sinergi.rehabilitation import demo

    Unit.objects.filter(pk=units.upt_a.pk).update(regency_id="35.14")
    Unit.objects.filter(pk=units.upt_b.pk).update(regency_id="35.20")
    out = StringIO()
    demo.load(out)
    cases = Case.objects.filter(unit=units.upt_a)
    assert cases.count() == 15  # 14 residents, one of them back after a closed stay
    assert set(cases.values_list("stage__number", flat=True)) == set(range(1, 8))
    assert Case.objects.filter(unit=units.upt_b).count() == 15
    # the stay that ended: every follow-up recorded, closed; the same person admitted again
    closed = Case.objects.get(unit=units.upt_a, status=Case.Status.CLOSED)
    assert not closed.follow_ups.filter(done_on__isnull=True).exists()
    assert closed.follow_ups.count() == 4
    again = Case.objects.get(client=closed.client, status=Case.Status.OPEN)
    assert (again.unit, again.stage.number) == (closed.unit, 1)
    # plans: a draft waiting for approval in the plan stage, approved after it, none before
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    plans = InterventionPlan.objects.exclude(status="superseded")
    assert set(plans.filter(case__stage__number=3).values_list("status", flat=True)) == {"draft"}
    assert set(plans.filter(case__stage__number__gt=3).values_list("status", flat=True)) == {
        "approved"
    }
    assert not plans.filter(case__stage__number__lt=3).exists()
    assert (
        plans.filter(case__in=open_cases).count() == open_cases.filter(stage__number__gte=3).count()
    )
    approved = plans.filter(status="approved", case__in=open_cases).count()
    assert approved > 0
    assert f"{approved} approved plans" in out.getvalue()
    case = cases.filter(stage__number=7).first()
    totals = list(case.assessments.order_by("assessed_on").values_list("total_score", flat=True))
    assert len(totals) >= 2
    assert totals == sorted(totals)
    assert totals[-1] > totals[0]
    before = (Client.objects.count(), Case.objects.count(), Assessment.objects.count())
    demo.load(StringIO())
    assert (Client.objects.count(), Case.objects.count(), Assessment.objects.count()) == before


def test_likely_duplicates_match_name_birth_date_and_regency_in_every_upt(units, people):
    from sinergi.rehabilitation.services.clients import likely_duplicates

    a = admit(units.upt_a, name="Ani")
    found = likely_duplicates(name=" ANI ", birth_on=a.client.birth_on, regency_code="35.14")
    assert [c.client_id for c in found] == [a.client_id]
    assert likely_duplicates(name="Ani", birth_on=a.client.birth_on, regency_code="35.20") == []

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.sakip import scoring, services
from sinergi.sakip.models import Answer, Component, Criterion, Evaluation, GradeBand, Recommendation
from sinergi.sakip.testing import answer_all, criteria_of, make_evaluation, make_template

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "AA"),
        ("90.01", "AA"),
        ("90", "A"),
        ("80.01", "A"),
        ("80", "BB"),
        ("70", "B"),
        ("60", "CC"),
        ("50", "C"),
        ("30.01", "C"),
        ("30", "D"),
        ("0", "D"),
    ],
)
def test_grade_bands_follow_domain_5_3(score, grade):
    assert scoring.grade_for(Decimal(score)).code == grade


def test_standard_template_weights_add_up_to_100_per_level():
    template = make_template(2025)
    points = scoring.criterion_points(template)
    assert sum(points.values()) == Decimal("100")
    assert [c.weight for c in template.components.all()] == [30, 30, 15, 25]
    assert len(points) == 24


def test_weight_table_not_adding_up_is_refused_with_the_sums_and_nothing_saved(people):
    template = make_template(2025)
    component = Component.objects.get(template=template, code="1")
    before = _actions()
    with pytest.raises(ApplicationError) as error:
        services.template_weights_set(
            actor=people["planner"],
            template=template,
            weights={f"component-{component.pk}": Decimal("35")},
        )
    assert "105" in error.value.message
    component.refresh_from_db()
    assert component.weight == 30
    assert _actions() == before


def test_weights_that_add_up_are_saved_and_audited(people):
    template = make_template(2025)
    c1 = Component.objects.get(template=template, code="1")
    c2 = Component.objects.get(template=template, code="2")
    services.template_weights_set(
        actor=people["planner"],
        template=template,
        weights={f"component-{c1.pk}": Decimal("35"), f"component-{c2.pk}": Decimal("25")},
    )
    assert list(template.components.values_list("weight", flat=True)) == [35, 25, 15, 25]
    assert _actions()[-1] == "sakip.weights_changed"


def test_a_full_yes_and_a_answers_score_100_and_grade_aa(units):
    evaluation = make_evaluation(units.office)
    answer_all(evaluation)
    evaluation = services.evaluation_finalise(actor=None, evaluation=evaluation)
    assert (evaluation.score, evaluation.grade, evaluation.status) == (
        Decimal("100.00"),
        "AA",
        "final",
    )


def test_score_is_the_sum_of_weighted_criteria_with_the_reviewed_answer_counted(units, people):
    evaluation = make_evaluation(units.office)
    answer_all(evaluation, grade="C")  # A-E criteria at 0.5: 20% of each component full, 80% half
    assert scoring.score_of(evaluation) == Decimal("60.00")
    first_ae = next(c for c in criteria_of(evaluation.template) if c.scale.code == "AE")
    answer = Answer.objects.get(evaluation=evaluation, criterion=first_ae)
    # criterion 1.b.1 is worth 30 x 30% x 50% = 4.5 points; the evaluator counts A (1) not C (0.5)
    services.answer_review(
        actor=people["planner"], answer=answer, accepted=True, reviewed_option_code="A"
    )
    assert scoring.score_of(evaluation) == Decimal("62.25")


def test_finalising_with_unreviewed_answers_is_refused(units, people):
    evaluation = make_evaluation(units.office)
    answer_all(evaluation, review=False)
    with pytest.raises(ApplicationError) as error:
        services.evaluation_finalise(actor=people["planner"], evaluation=evaluation)
    assert "24" in error.value.message
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.score) == ("open", None)


def test_a_final_evaluation_is_locked_and_unlocking_is_audited_with_the_reason(units, people):
    evaluation = make_evaluation(units.upt_a)
    answer_all(evaluation)
    evaluation = services.evaluation_finalise(actor=people["planner"], evaluation=evaluation)
    criterion = criteria_of(evaluation.template)[0]
    with pytest.raises(ApplicationError) as error:
        services.answer_save(
            actor=people["head_a"], evaluation=evaluation, criterion=criterion, option_code="T"
        )
    assert error.value.code == "locked"
    assert Answer.objects.get(evaluation=evaluation, criterion=criterion).option.code == "Y"
    with pytest.raises(ApplicationError):
        services.evaluation_unlock(actor=people["planner"], evaluation=evaluation, reason=" ")
    services.evaluation_unlock(actor=people["planner"], evaluation=evaluation, reason="Bukti baru")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "sakip.evaluation_unlocked"
    assert event.extra == {"reason": "Bukti baru"}
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.grade) == ("open", "")


def test_a_unit_answers_only_its_own_evaluation(units, people):
    evaluation = make_evaluation(units.upt_a)
    criterion = criteria_of(evaluation.template)[0]
    with pytest.raises(ApplicationError):
        services.answer_save(
            actor=people["head_b"],
            evaluation=evaluation,
            criterion=criterion,
            option_code="Y",
            evidence_text="x",
        )
    assert not Answer.objects.exists()
    services.answer_save(
        actor=people["head_a"],
        evaluation=evaluation,
        criterion=criterion,
        option_code="Y",
        evidence_text="SK Renstra",
    )
    assert Answer.objects.count() == 1
    assert _actions()[-1] == "sakip.answer_saved"


def test_a_positive_answer_needs_evidence(units, people):
    evaluation = make_evaluation(units.upt_a)
    criterion = criteria_of(evaluation.template)[0]
    with pytest.raises(ApplicationError) as error:
        services.answer_save(
            actor=people["head_a"], evaluation=evaluation, criterion=criterion, option_code="Y"
        )
    assert "evidence_text" in error.value.field_errors
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "field_message"),
    [
        ("bukti.exe", b"MZ......", "Files of this type"),
        ("bukti.pdf", b"not a pdf at all", "not a real"),
    ],
)
def test_evidence_files_are_checked(units, people, name, content, field_message):
    evaluation = make_evaluation(units.upt_a)
    criterion = criteria_of(evaluation.template)[0]
    with pytest.raises(ApplicationError) as error:
        services.answer_save(
            actor=people["head_a"],
            evaluation=evaluation,
            criterion=criterion,
            option_code="Y",
            evidence_file=SimpleUploadedFile(name, content),
        )
    assert "evidence_file" in error.value.field_errors
    assert not Answer.objects.exists()


def test_a_pdf_evidence_is_stored_under_a_neutral_name(units, people):
    evaluation = make_evaluation(units.upt_a)
    criterion = criteria_of(evaluation.template)[0]
    answer = services.answer_save(
        actor=people["head_a"],
        evaluation=evaluation,
        criterion=criterion,
        option_code="Y",
        evidence_file=SimpleUploadedFile("Renstra Budi.pdf", b"%PDF-1.4 test"),
    )
    assert answer.evidence_filename == "Renstra Budi.pdf"
    assert "Budi" not in answer.evidence_file.name
    assert answer.evidence_file.name.endswith(".pdf")


def test_changing_an_answer_resets_its_review(units, people):
    evaluation = make_evaluation(units.upt_a)
    answer_all(evaluation)
    criterion = criteria_of(evaluation.template)[0]
    services.answer_save(
        actor=people["head_a"], evaluation=evaluation, criterion=criterion, option_code="T"
    )
    assert Answer.objects.get(evaluation=evaluation, criterion=criterion).accepted is None


def test_a_rejection_needs_a_note(units, people):
    evaluation = make_evaluation(units.upt_a)
    answer_all(evaluation, review=False)
    answer = Answer.objects.filter(evaluation=evaluation).first()
    with pytest.raises(ApplicationError):
        services.answer_review(actor=people["planner"], answer=answer, accepted=False)
    answer.refresh_from_db()
    assert answer.accepted is None


def test_recommendation_follow_up_by_the_responsible_unit_only(units, people):
    evaluation = make_evaluation(units.office)
    rec = services.recommendation_create(
        actor=people["planner"],
        evaluation=evaluation,
        text="Perbaiki indikator",
        owner_unit=units.upt_a,
        due_on=dt.date(2026, 3, 31),
    )
    with pytest.raises(ApplicationError):
        services.recommendation_follow_up(
            actor=people["head_b"], recommendation=rec, status="done", follow_up="x"
        )
    with pytest.raises(ApplicationError):
        services.recommendation_follow_up(
            actor=people["head_a"], recommendation=rec, status="done", follow_up=""
        )
    services.recommendation_follow_up(
        actor=people["head_a"], recommendation=rec, status="done", follow_up="Sudah direvisi"
    )
    rec.refresh_from_db()
    assert (rec.status, rec.follow_up) == ("done", "Sudah direvisi")
    assert _actions()[-1] == "sakip.recommendation_followed_up"


def test_template_copy_keeps_changed_weights(people):
    template = make_template(2025)
    copy = services.template_create(actor=people["planner"], year=2026, copy_from=template)
    assert Criterion.objects.filter(subcomponent__component__template=copy).count() == 24
    with pytest.raises(ApplicationError):
        services.template_create(actor=people["planner"], year=2026)


def test_evaluations_need_the_planning_officer(units, people):
    with pytest.raises(ApplicationError):
        services.evaluation_create(
            actor=people["head_a"], template=make_template(2025), unit=units.upt_a
        )
    assert not Evaluation.objects.exists()
    assert GradeBand.objects.count() == 7
    assert Recommendation.objects.count() == 0

"""Demo casework, set-based (bulk_create) and idempotent: a case that already has rows of a kind
gets no more of that kind.

- an intervention plan for every open case from the plan stage on: drafted in the plan stage by
  `plan_for` (the demo's stage walk calls it); for the residents the residential demo adds, a
  draft in the plan stage and an approved plan after it;
- Barthel assessments improving over time for those added residents past the first stage;
- a few months of service-log rows per resident, progress notes, and one case conference per case
  in the intervention stage.
"""

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    Assessment,
    AssessmentAnswer,
    Attendance,
    Case,
    CaseConference,
    InterventionPlan,
    PlanGoal,
    PlannedService,
    ProgressNote,
    ServiceEntry,
    ServiceType,
    Stage,
)

GOALS = [
    (
        "Belum mampu mandi dan berpakaian sendiri",
        "Mandiri dalam perawatan diri",
        "Skor Barthel naik 4 poin",
    ),
    ("Menarik diri dari penghuni lain", "Ikut kegiatan kelompok", "Hadir 3 kali seminggu"),
    ("Belum punya keterampilan kerja", "Menguasai satu keterampilan", "Lulus pelatihan vokasional"),
    ("Hubungan dengan keluarga terputus", "Kontak keluarga pulih", "Keluarga berkunjung"),
]
# (service type code, times, period, minutes)
PLANNED = [
    ("FISIK", 3, "week", 45),
    ("MENTAL_SPIRIT", 2, "week", 60),
    ("SOSIAL_KONSELING", 2, "month", 60),
]
NOTES = [
    "Mengikuti senam pagi dengan semangat, mulai berjalan tanpa dibantu.",
    "Masih sulit tidur; dibicarakan dengan perawat dan psikolog.",
    "Aktif di kelas keterampilan, menyelesaikan satu keset.",
    "Dikunjungi keluarga; suasana hati membaik.",
]
SERVICE_WEEKS = 12


def plan_for(case: Case, worker: Any) -> None:
    """Draft the plan of a demo case in the plan stage (before the stage's approval)."""
    if InterventionPlan.objects.filter(case=case).exists():
        return
    rng = random.Random(str(case.pk))
    start = max(case.admitted_on, timezone.localdate() - dt.timedelta(days=7 * SERVICE_WEEKS))
    types = {t.code: t for t in ServiceType.objects.all()}
    services.plan_save(
        actor=worker,
        case=case,
        expected_version=None,
        summary="Rencana intervensi (data demo).",
        client_agreed=True,
        goals=[
            dict(zip(("problem", "goal", "indicator"), g, strict=True))
            for g in rng.sample(GOALS, 2)
        ],
        services=[
            {
                "service_type": types[code],
                "times": times,
                "period": period,
                "responsible": worker if worker and worker.unit_id == case.unit_id else None,
                "start_on": start,
                "target_on": start + dt.timedelta(days=180),
            }
            for code, times, period, _minutes in PLANNED
        ],
    )


def _missing_plans(cases: list[Any], plan_stage: Stage) -> None:
    """Plans, set-based, for the open cases from the plan stage on that have none (residents the
    residential demo added, older demo data): a draft waiting for approval in the plan stage, an
    approved plan after it."""
    missing = [c for c in cases if c.stage.number >= plan_stage.number and not c.has_plan]
    if not missing:
        return
    now = timezone.now()
    plans = InterventionPlan.objects.bulk_create(
        InterventionPlan(
            case=c,
            status=(
                InterventionPlan.Status.DRAFT
                if c.stage.number == plan_stage.number
                else InterventionPlan.Status.APPROVED
            ),
            summary="Rencana intervensi (data demo).",
            client_agreed=True,
            drafted_by=c.social_worker,
            approved_at=None if c.stage.number == plan_stage.number else now,
        )
        for c in missing
    )
    types = {t.code: t for t in ServiceType.objects.all()}
    goals, planned = [], []
    for plan, case in zip(plans, missing, strict=True):
        for number, (problem, goal, indicator) in enumerate(GOALS[:2], start=1):
            goals.append(
                PlanGoal(plan=plan, number=number, problem=problem, goal=goal, indicator=indicator)
            )
        for code, times, period, _minutes in PLANNED:
            planned.append(
                PlannedService(
                    plan=plan,
                    service_type=types[code],
                    times=times,
                    period=period,
                    responsible=case.social_worker,
                    start_on=case.admitted_on,
                    target_on=case.admitted_on + dt.timedelta(days=180),
                )
            )
    PlanGoal.objects.bulk_create(goals)
    PlannedService.objects.bulk_create(planned)


def _missing_assessments(cases: list[Any]) -> int:
    """Barthel assessments, set-based, for the open cases past the first stage that have none
    (residents the residential demo added): monthly from a week after admission, up to three,
    each scoring higher than the one before. Returns how many were written."""
    instrument = selectors.instrument_current()
    if instrument is None:
        return 0
    items = [(item, {o.score: o for o in item.options.all()}) for item in instrument.items.all()]
    bands = list(instrument.bands.all())
    today = timezone.localdate()
    rows: list[tuple[Assessment, list[tuple[Any, Any]]]] = []
    for case in cases:
        if case.stage.number < 2 or case.has_assessment:
            continue
        level = random.Random(f"adl-{case.pk}").uniform(0.2, 0.5)
        for visit in range(min(3, case.stage.number - 1)):
            assessed_on = case.admitted_on + dt.timedelta(days=7 + 30 * visit)
            if assessed_on > today:
                break
            answers = [
                (item, options[min(max(options), round(max(options) * (level + 0.18 * visit)))])
                for item, options in items
            ]
            total = sum(option.score for _item, option in answers)
            band = next((b for b in bands if b.min_score <= total <= b.max_score), None)
            assessment = Assessment(
                case=case,
                instrument=instrument,
                assessed_on=assessed_on,
                assessor=case.social_worker,
                total_score=total,
                band_label=band.label if band else "",
                notes="Data demo.",
            )
            rows.append((assessment, answers))
    Assessment.objects.bulk_create([assessment for assessment, _answers in rows])
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, item=item, option=option, score=option.score)
        for assessment, answers in rows
        for item, option in answers
    )
    return len(rows)


@transaction.atomic
def load(stdout: Any) -> None:
    plan_stage = Stage.objects.in_order().filter(records_plan=True).first()
    if plan_stage is None:
        return
    from django.db.models import Exists, OuterRef

    cases = list(
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("stage", "social_worker")
        .annotate(
            has_plan=Exists(InterventionPlan.objects.filter(case=OuterRef("pk"))),
            has_services=Exists(ServiceEntry.objects.filter(case=OuterRef("pk"))),
            has_notes=Exists(ProgressNote.objects.filter(case=OuterRef("pk"))),
            has_conference=Exists(CaseConference.objects.filter(case=OuterRef("pk"))),
            has_assessment=Exists(Assessment.objects.filter(case=OuterRef("pk"))),
        )
        .order_by("id")
    )
    _missing_plans(cases, plan_stage)
    assessed = _missing_assessments(cases)
    today = timezone.localdate()
    types = {t.code: t for t in ServiceType.objects.all()}
    staff = {u.unit_id: u for u in get_user_model().objects.filter(username__startswith="peksos.")}
    entries: list[ServiceEntry] = []
    notes: list[ProgressNote] = []
    conferences: list[CaseConference] = []
    now = timezone.now()
    for case in cases:
        rng = random.Random(f"casework-{case.pk}")
        worker = case.social_worker or staff.get(case.unit_id)
        residing = case.stage.number >= plan_stage.number and not (
            case.stage.records_termination or case.stage.schedules_aftercare
        )
        if residing and not case.has_services:
            start = max(case.admitted_on, today - dt.timedelta(weeks=SERVICE_WEEKS))
            day = start
            while day < today:
                for code, times, period, minutes in PLANNED:
                    per_week = times if period == "week" else times / 4
                    if rng.random() < per_week / 7:
                        entries.append(
                            ServiceEntry(
                                case=case,
                                service_type=types[code],
                                given_on=day,
                                provider=worker,
                                provider_name="" if worker else "Pendamping UPT",
                                attendance=rng.choices(
                                    [Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED],
                                    weights=[90, 5, 5],
                                )[0],
                                duration_minutes=minutes,
                                notes="Data demo.",
                                recorded_by=worker,
                                recorded_at=now,
                            )
                        )
                day += dt.timedelta(days=1)
        if residing and worker and not case.has_notes:
            for month in range(1, 4):
                written_on = case.admitted_on + dt.timedelta(days=30 * month)
                if written_on <= today:
                    notes.append(
                        ProgressNote(
                            case=case, written_on=written_on, author=worker, text=rng.choice(NOTES)
                        )
                    )
        if case.stage.number == plan_stage.number + 1 and not case.has_conference:
            conferences.append(
                CaseConference(
                    case=case,
                    held_on=max(case.admitted_on, today - dt.timedelta(days=14)),
                    participants="Pekerja sosial, psikolog, perawat, keluarga",
                    discussion="Kemajuan setelah dua bulan intervensi (data demo).",
                    decisions="Lanjutkan bimbingan fisik; tambah konseling keluarga.",
                    next_steps="Kunjungan rumah bulan depan.",
                    recorded_by=worker,
                )
            )
    ServiceEntry.objects.bulk_create(entries, batch_size=2000)
    ProgressNote.objects.bulk_create(notes)
    CaseConference.objects.bulk_create(conferences)
    plans = InterventionPlan.objects.filter(case__status=Case.Status.OPEN)
    approved = plans.filter(status=InterventionPlan.Status.APPROVED).count()
    drafts = plans.filter(status=InterventionPlan.Status.DRAFT).count()
    stdout.write(
        f"  rehabilitation casework: {approved} approved plans, {drafts} drafts waiting for "
        f"approval, {assessed} Barthel assessments, {len(entries)} services, {len(notes)} notes, "
        f"{len(conferences)} case conferences"
    )

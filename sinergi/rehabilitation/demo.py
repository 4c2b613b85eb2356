"""Demo data: residents in every demo UPT (more in RSBD Pasuruan and PSTW Magetan), cases in every
stage (a drafted plan waiting for approval in the plan stage, approved plans after it), Barthel
assessments that improve over time, and in the two main UPT one closed stay whose client came back.
Idempotent: a UPT that already has cases is left alone. NIKs are built with real kecamatan codes
of the UPT's regency."""

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sinergi.core.identity import make_kk, make_nik
from sinergi.organisation.models import Region, Unit
from sinergi.rehabilitation import demo_casework, demo_residential, selectors, services
from sinergi.rehabilitation.models import (
    Case,
    DisabilityType,
    FollowUp,
    PpksCategory,
    ReferralSource,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.services.clients import CLIENT_FIELDS

MEN = [
    "Slamet Riyadi",
    "Suparno",
    "Bambang Sutrisno",
    "Ahmad Fauzi",
    "Sugeng Wahyudi",
    "Mulyono",
    "Joko Santoso",
    "Agus Salim",
    "Hariyanto",
    "Supriyadi",
    "Moch. Rofiq",
    "Sutikno",
    "Kasmuri",
    "Imam Syafii",
    "Sukardi",
    "Wagiman",
    "Rudi Hartono",
    "Eko Prasetyo",
]
WOMEN = [
    "Siti Aminah",
    "Sumarni",
    "Sri Wahyuni",
    "Tumini",
    "Kasiyem",
    "Suminah",
    "Nur Hayati",
    "Dewi Lestari",
    "Painem",
    "Sulastri",
    "Rukmini",
    "Endang Susilowati",
    "Yatini",
    "Musripah",
    "Wartini",
    "Lilik Handayani",
    "Umi Kulsum",
    "Tri Rahayu",
]
# UPT type -> (PPKS category, disability type or "", youngest age, oldest age)
PROFILE = {
    "PSTW": ("LUT", "", 60, 88),
    "RSBD": ("PD", "fisik", 17, 45),
    "RSBN": ("PD", "sensorik-netra", 17, 45),
    "RSBG": ("PD", "intelektual", 15, 40),
    "RSBRW": ("PD", "sensorik-rungu-wicara", 15, 35),
    "RSBL": ("PD", "mental", 20, 55),
    "RSBLK": ("PD", "fisik", 35, 75),
    "RSBK": ("GLD", "", 20, 60),
    "RSBKW": ("TS", "", 18, 40),
    "PPSAA": ("AT", "", 7, 17),
    "PPSAB": ("ABT", "", 1, 5),
    "PPSPA": ("AT", "", 8, 14),
    "PSBR": ("AT", "", 15, 20),
    "PRSMP": ("ABH", "", 12, 17),
    "PMKS": ("GLD", "", 20, 60),
}
MAIN_UPT = {"upt-rsbd-pasuruan": 14, "upt-pstw-magetan": 14}
OTHER_UPT_RESIDENTS = 7
# Barthel item maxima; a resident's scores grow from a low start towards these.
MAXIMA = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}


def _scores(level: float) -> dict[int, int]:
    return {item: min(top, round(top * level)) for item, top in MAXIMA.items()}


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _villages(regency: Region | None, rng: random.Random) -> list[Region]:
    if regency is None:
        return []
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{regency.code}.")
        .order_by("code")
        .only("code", "name")
    )
    rng.shuffle(villages)
    return villages[:40]


def _termination(case: Case, rng: random.Random, reasons: list[Any]) -> dict[str, Any]:
    """Termination fields: a date between admission and today (so follow-ups fall due and
    overdue), a reason and a destination."""
    days = max((timezone.localdate() - case.admitted_on).days, 0)
    # a stay of more than 14 months ago ended after two: its 12-month aftercare is over by now
    stayed = 60 if days > 430 else days * 2 // 3
    return {
        "termination_reason": rng.choice(reasons),
        "termination_on": case.admitted_on + dt.timedelta(days=stayed),
        "destination_address": "Kembali ke keluarga di desa asal (data demo).",
    }


def _walk(case: Case, target: Stage, head: Any, worker: Any, rng: random.Random) -> Case:
    """Advance the case stage by stage to `target`, approving where the stage needs it."""
    reasons = list(
        TerminationReason.objects.filter(
            code__in=["tujuan-tercapai", "kembali-ke-keluarga", "disalurkan-kerja"]
        )
    )
    while case.stage.number < target.number:
        if case.stage.requires_approval and case.stage_approved_at is None:
            demo_casework.plan_for(case, worker) if case.stage.records_plan else None
            case = services.case_approve_stage(
                actor=head, case=case, expected_version=case.version, notes="Disetujui (data demo)."
            )
        next_stage = selectors.stage_after(case.stage)
        assert next_stage is not None
        case = services.case_advance(
            actor=worker,
            case=case,
            expected_version=case.version,
            notes="Data demo.",
            **(_termination(case, rng, reasons) if next_stage.records_termination else {}),
        )
    return case


@transaction.atomic
def load(stdout: Any) -> None:
    services.reference_load(actor=None)
    stages = selectors.stages()
    barthel = selectors.instrument_current()
    referral = list(ReferralSource.objects.order_by("number"))
    today = timezone.localdate()
    created = returned = 0
    upts = Unit.objects.filter(unit_type__is_service_unit=True, is_active=True).select_related(
        "upt_type", "regency"
    )
    for unit in upts.order_by("code"):
        if Case.objects.filter(unit=unit).exists() or unit.upt_type is None:
            continue
        rng = random.Random(unit.code)
        villages = _villages(unit.regency, rng)
        if not villages or unit.regency is None:
            continue
        regency_name = unit.regency.name
        slug = unit.code.removeprefix("upt-")
        worker = _user(f"peksos.{slug}")
        head = _user(f"kepala.{slug}")
        ppks, disability, youngest, oldest = PROFILE.get(unit.upt_type.code, ("PD", "", 18, 60))
        category = PpksCategory.objects.get(code=ppks)
        disability_type = DisabilityType.objects.filter(code=disability).first()
        for i in range(MAIN_UPT.get(unit.code, OTHER_UPT_RESIDENTS)):
            sex = "P" if i % 2 else "L"
            name = rng.choice(WOMEN if sex == "P" else MEN)
            age = rng.randint(youngest, oldest)
            birth_on = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            village = villages[i % len(villages)]
            district = village.code[:8]
            admitted_on = today - dt.timedelta(days=30 + 45 * i + rng.randint(0, 20))
            no_nik = i % 9 == 8
            case = services.client_intake(
                actor=None,
                unit=unit,
                social_worker=worker,
                admitted_on=admitted_on,
                confirm_not_duplicate=True,
                notes="Data demo.",
                nik=None if no_nik else make_nik(district, birth_on, sex, 100 + i),
                no_nik_reason="Ditemukan saat razia, tanpa dokumen" if no_nik else "",
                kk_number=make_kk(district, dt.date(2015, 6, 1 + i % 27), 200 + i),
                name=name,
                sex=sex,
                birth_place=regency_name.removeprefix("Kabupaten ").removeprefix("Kota "),
                birth_on=birth_on,
                address=f"Dusun {rng.choice(['Krajan', 'Kidul', 'Lor', 'Wetan', 'Kulon'])} RT 0{1 + i % 5} RW 0{1 + i % 3}",
                village=village,
                ppks_category=category,
                disability_type=disability_type,
                referral_source=referral[i % len(referral)],
                guardian_name=rng.choice(MEN + WOMEN) if i % 3 else "",
                guardian_relationship="Anak" if i % 3 == 1 else ("Saudara" if i % 3 == 2 else ""),
                guardian_phone=f"08{rng.randint(1100000000, 1399999999)}" if i % 3 else "",
                dtsen_desil=rng.randint(1, 4) if i % 4 else None,
            )
            target = stages[i % len(stages)]
            if target.number >= 2 and barthel is not None:
                start = rng.uniform(0.2, 0.5)
                visits = min(4, 1 + target.number // 2)
                for visit in range(visits):
                    when = admitted_on + dt.timedelta(days=7 + visit * 30)
                    if when > today:
                        break
                    services.assessment_record(
                        actor=worker,
                        case=case,
                        instrument=barthel,
                        assessed_on=when,
                        scores=_scores(min(1.0, start + visit * 0.18)),
                        notes="Data demo.",
                    )
            case = _walk(case, target, head, worker, rng)
            if case.stage.records_plan:  # waiting for the head of UPT: a drafted plan to approve
                demo_casework.plan_for(case, worker)
            created += 1
            if case.stage.schedules_aftercare and i == MAIN_UPT.get(unit.code, 0) - 1:
                returned += _close_and_return(case, worker)
    stdout.write(
        f"  rehabilitation: {created} residents admitted, {returned} closed stays with a return"
    )
    demo_residential.load(stdout)  # may add residents in stages 1-5: their plans come next
    demo_casework.load(stdout)


def _close_and_return(case: Case, worker: Any) -> int:
    """Record every follow-up of a case in aftercare (all due by now), close it, and admit the
    same person again today: the client page then shows two stays (same NIK, same person)."""
    today = timezone.localdate()
    follow_ups = list(case.follow_ups.order_by("number"))
    if not case.client.nik or not follow_ups or any(f.due_on > today for f in follow_ups):
        return 0
    for follow_up in follow_ups:
        services.follow_up_record(
            actor=worker,
            follow_up=follow_up,
            done_on=follow_up.due_on,
            method=FollowUp.Method.VISIT,
            condition="Sehat, tinggal bersama keluarga (data demo).",
            outcome="Mandiri di rumah keluarga (data demo).",
        )
    case = services.case_close(actor=worker, case=case, expected_version=case.version)
    client = case.client
    services.client_intake(
        actor=None,
        unit=case.unit,
        social_worker=worker,
        admitted_on=today - dt.timedelta(days=3),
        confirm_not_duplicate=True,
        notes="Kembali ke UPT setelah bimbingan lanjut selesai (data demo).",
        **{name: getattr(client, name) for name in CLIENT_FIELDS},
    )
    return 1

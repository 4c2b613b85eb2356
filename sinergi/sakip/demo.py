"""Demo data of the SAKIP evaluation: the standard LKE 2025 (PermenPANRB 88/2021 structure,
weights of DOMAIN.md 5.2), the office's evaluation for 2025 answered, reviewed and finalised with
a grade, beside last year's (2024) score, and two recommendations; an open 2025 evaluation of UPT
RSBD Pasuruan partly answered. Scores and answers are invented.

Idempotent: nothing is loaded when the office already has an evaluation for 2025.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from sinergi.organisation import selectors as organisation
from sinergi.sakip import services
from sinergi.sakip.models import Criterion, Evaluation, Template

YEAR = 2025
PREVIOUS_SCORE = Decimal("68.42")  # 2024, evaluated before Sinergi (invented)
# the office's answers: Y/T criteria all "Y" except these; A-E criteria by component
NO = {"3.a.2"}
GRADES = {"1": "B", "2": "B", "3": "C", "4": "C"}


def _criteria(template: Template) -> list[Criterion]:
    return list(
        Criterion.objects.filter(subcomponent__component__template=template)
        .select_related("scale", "subcomponent__component")
        .order_by("subcomponent__component__order", "subcomponent__order", "order")
    )


@transaction.atomic
def load(stdout: Any) -> None:
    office = organisation.unit_by_code("dinsos")
    if office is None or Evaluation.objects.filter(unit=office, year=YEAR).exists():
        return
    template = Template.objects.filter(year=YEAR).first() or services.template_create(
        actor=None, year=YEAR
    )
    evaluation = services.evaluation_create(
        actor=None, template=template, unit=office, previous_score=PREVIOUS_SCORE
    )
    for criterion in _criteria(template):
        if criterion.scale.code == "YT":
            code = "T" if criterion.code in NO else "Y"
        else:
            code = GRADES[criterion.subcomponent.component.code]
        answer = services.answer_save(
            actor=None,
            evaluation=evaluation,
            criterion=criterion,
            option_code=code,
            evidence_text=f"Dokumen pendukung kriteria {criterion.code} (arsip Sekretariat)",
        )
        services.answer_review(actor=None, answer=answer, accepted=True)
    evaluation = services.evaluation_finalise(actor=None, evaluation=evaluation)
    components = {c.code: c for c in template.components.all()}
    services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="Publikasikan LKjIP di laman resmi dinas paling lambat akhir Maret.",
        owner_unit=organisation.unit_by_code("sekretariat") or office,
        due_on=dt.date(YEAR + 1, 3, 31),
        component=components.get("3"),
    )
    services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="Gunakan hasil evaluasi internal triwulanan untuk memperbaiki rencana aksi UPT.",
        owner_unit=organisation.unit_by_code("bidang-rehsos") or office,
        due_on=dt.date(YEAR + 1, 6, 30),
        component=components.get("4"),
    )
    upt = organisation.unit_by_code("upt-rsbd-pasuruan")
    if upt is not None:
        open_evaluation = services.evaluation_create(actor=None, template=template, unit=upt)
        for criterion in _criteria(template)[:6]:
            services.answer_save(
                actor=None,
                evaluation=open_evaluation,
                criterion=criterion,
                option_code="Y" if criterion.scale.code == "YT" else "B",
                evidence_text="Dokumen tersedia di UPT",
            )
    stdout.write(
        f"  LKE {YEAR}: {office.name} {evaluation.score} ({evaluation.grade}), "
        f"{YEAR - 1}: {PREVIOUS_SCORE}"
    )

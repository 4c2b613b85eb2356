"""Writes of the LKE templates: a year's worksheet created from the standard structure (data
file) or another year, and its weights (every level adds up to 100, else nothing is saved)."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.sakip import scoring
from sinergi.sakip.models import (
    AnswerScale,
    AuditAction,
    Component,
    Criterion,
    Evaluation,
    SubComponent,
    Template,
)
from sinergi.sakip.services.common import refuse, require_manager

STANDARD_TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "lke_permenpanrb_88_2021.json"


def _structure_from_template(template: Template) -> dict[str, Any]:
    components = []
    for comp in template.components.prefetch_related("subcomponents__criteria__scale"):
        components.append(
            {
                "code": comp.code,
                "name": comp.name,
                "weight": str(comp.weight),
                "subcomponents": [
                    {
                        "code": sub.code,
                        "name": sub.name,
                        "weight": str(sub.weight),
                        "criteria": [
                            {
                                "code": c.code,
                                "text": c.text,
                                "guidance": c.guidance,
                                "weight": str(c.weight),
                                "scale": c.scale.code,
                            }
                            for c in sub.criteria.all()
                        ],
                    }
                    for sub in comp.subcomponents.all()
                ],
            }
        )
    return {"name": template.name, "source": template.source, "components": components}


def _check_structure(components: list[dict[str, Any]]) -> None:
    problems = scoring.weight_problems(
        [
            (
                c["name"],
                Decimal(c["weight"]),
                [
                    (s["name"], Decimal(s["weight"]), [Decimal(k["weight"]) for k in s["criteria"]])
                    for s in c["subcomponents"]
                ],
            )
            for c in components
        ]
    )
    if problems:
        raise ApplicationError(
            " ".join(problems) + " " + _("Correct the weights so that each level adds up to 100."),
            code="weights",
        )


@transaction.atomic
def template_create(*, actor: Any, year: int, copy_from: Template | None = None) -> Template:
    """The LKE of `year`, copied from another year's or from the standard structure (data file)."""
    require_manager(actor)
    if Template.objects.filter(year=year).exists():
        raise refuse(
            _("The LKE for %(year)s already exists. Open it and change its weights instead.")
            % {"year": year},
            field="year",
        )
    if copy_from is not None:
        structure = _structure_from_template(copy_from)
    else:
        structure = json.loads(STANDARD_TEMPLATE.read_text(encoding="utf-8"))
    _check_structure(structure["components"])
    scales = {s.code: s for s in AnswerScale.objects.all()}
    template = Template(year=year, name=structure["name"], source=structure.get("source", ""))
    template.full_clean()
    template.save()
    criteria = []
    for ci, comp_data in enumerate(structure["components"]):
        comp = Component.objects.create(
            template=template,
            code=comp_data["code"],
            name=comp_data["name"],
            weight=Decimal(comp_data["weight"]),
            order=ci,
        )
        for si, sub_data in enumerate(comp_data["subcomponents"]):
            sub = SubComponent.objects.create(
                component=comp,
                code=sub_data["code"],
                name=sub_data["name"],
                weight=Decimal(sub_data["weight"]),
                order=si,
            )
            for ki, crit in enumerate(sub_data["criteria"]):
                scale = scales.get(crit["scale"])
                if scale is None:
                    raise refuse(
                        _("The answer scale %(code)s is missing from the reference data.")
                        % {"code": crit["scale"]}
                    )
                criteria.append(
                    Criterion(
                        subcomponent=sub,
                        code=crit["code"],
                        text=crit["text"],
                        guidance=crit.get("guidance", ""),
                        weight=Decimal(crit["weight"]),
                        scale=scale,
                        order=ki,
                    )
                )
    Criterion.objects.bulk_create(criteria)
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_CREATED,
        target=template,
        changes={"year": [None, year]},
        extra={
            "copied_from": copy_from.year if copy_from else "standard",
            "criteria": len(criteria),
        },
    )
    return template


@transaction.atomic
def template_weights_set(
    *, actor: Any, template: Template, weights: dict[str, Decimal]
) -> Template:
    """Set the weights (keys "component-<id>", "subcomponent-<id>", "criterion-<id>"); every level
    must add up to 100, else nothing is saved and the message names the sums."""
    require_manager(actor)
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.evaluations.filter(status=Evaluation.Status.FINAL).exists():
        raise refuse(
            _(
                "An evaluation on this LKE is already final, so its weights can no longer change. "
                "Unlock the final evaluations first."
            ),
            code="locked",
        )
    components = list(template.components.prefetch_related("subcomponents__criteria"))
    changes: dict[str, list[Any]] = {}
    objects: list[Any] = []
    for comp in components:
        objects.append(comp)
        for sub in comp.subcomponents.all():
            objects.append(sub)
            objects.extend(sub.criteria.all())
    kinds = {Component: "component", SubComponent: "subcomponent", Criterion: "criterion"}
    for obj in objects:
        key = f"{kinds[type(obj)]}-{obj.pk}"
        if key in weights and weights[key] is not None:
            new = Decimal(weights[key])
            if new < 0 or new > 100:
                raise refuse(
                    _("A weight must lie between 0 and 100 (%(code)s).") % {"code": obj.code}
                )
            if new != obj.weight:
                changes[f"{obj.code} {kinds[type(obj)]}"] = [str(obj.weight), str(new)]
                obj.weight = new
    problems = scoring.weight_problems(
        [
            (
                c.name,
                c.weight,
                [
                    (s.name, s.weight, [k.weight for k in s.criteria.all()])
                    for s in c.subcomponents.all()
                ],
            )
            for c in components
        ]
    )
    if problems:
        raise ApplicationError(
            " ".join(problems)
            + " "
            + _("Nothing was saved. Correct the weights so that each level adds up to 100."),
            code="weights",
        )
    if changes:
        Component.objects.bulk_update([o for o in objects if type(o) is Component], ["weight"])
        SubComponent.objects.bulk_update(
            [o for o in objects if type(o) is SubComponent], ["weight"]
        )
        Criterion.objects.bulk_update([o for o in objects if type(o) is Criterion], ["weight"])
        audit.record(
            actor=actor, action=AuditAction.WEIGHTS_CHANGED, target=template, changes=changes
        )
    return template

"""What the SAKIP writes share: the refusal, the planning officer check, the lock of an
evaluation."""

from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError
from sinergi.sakip.models import (
    Evaluation,
)
from sinergi.sakip.permissions import can_manage


def refuse(message: str, *, code: str = "invalid", field: str | None = None) -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def require_manager(actor: Any) -> None:
    if not can_manage(actor):
        raise refuse(
            _("Only the planning officer may do this. Ask the planning staff."), code="forbidden"
        )


def require_open(evaluation: Evaluation) -> None:
    if evaluation.is_final:
        raise refuse(
            _(
                "The evaluation of %(unit)s for %(year)s is final and locked. Ask the planning "
                "officer to unlock it first."
            )
            % {"unit": evaluation.unit.name, "year": evaluation.year},
            code="locked",
        )


def locked_evaluation(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("unit", "template")
        .get(pk=evaluation.pk)
    )

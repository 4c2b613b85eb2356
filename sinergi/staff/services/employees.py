"""Writes of staff records: create and change employees (NIP checked, supervisor loops refused)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, parse_nip
from sinergi.staff.models import AuditAction, Employee, EmploymentType, Rank
from sinergi.staff.services.summaries import compliance_refresh

EMPLOYEE_FIELDS = [
    "nip",
    "name",
    "employment_type",
    "rank",
    "position",
    "unit",
    "supervisor",
    "user",
    "email",
    "active_from",
    "active_until",
]
# The fields the compliance summaries depend on (who owes which month in which unit).
SUMMARY_FIELDS = {"unit", "employment_type", "active_from", "active_until"}
# A supervisor chain longer than this is certainly a data error (the office has ~5 levels).
MAX_CHAIN = 50


def check_nip(nip: str | None, employment_type: str, *, today: dt.date | None = None) -> str | None:
    """The NIP as 18 digits, or None for a non-ASN without one; ApplicationError when invalid."""
    nip = (nip or "").strip() or None
    if nip is None:
        if employment_type != EmploymentType.NON_ASN:
            raise ApplicationError(
                _("A PNS or PPPK employee needs a NIP. Write the 18 digits from the SK."),
                code="nip_required",
                field_errors={"nip": [_("Required for PNS and PPPK.")]},
            )
        return None
    try:
        info = parse_nip(nip, today=today)
    except IdentityError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="invalid_nip", field_errors={"nip": exc.messages}
        ) from exc
    if employment_type == EmploymentType.PNS and info.is_pppk:
        raise ApplicationError(
            _("This number is an NI PPPK, not a PNS NIP. Choose PPPK as the employment type."),
            code="nip_type_mismatch",
            field_errors={"employment_type": [_("Does not match the NIP.")]},
        )
    if employment_type == EmploymentType.PPPK and not info.is_pppk:
        raise ApplicationError(
            _("This number is a PNS NIP, not an NI PPPK. Choose PNS as the employment type."),
            code="nip_type_mismatch",
            field_errors={"employment_type": [_("Does not match the NIP.")]},
        )
    return info.number


def supervisor_chain(supervisor: Employee | None, employee_id: int | None) -> list[str] | None:
    """The names from `supervisor` up the chain when it comes back to `employee_id` (a loop), else None."""
    if supervisor is None:
        return None
    names: list[str] = []
    current_id: int | None = supervisor.pk
    parents: dict[int, tuple[str, int | None]] = {}
    for _step in range(MAX_CHAIN):
        if current_id is None:
            return None
        if current_id == employee_id:
            return names
        if current_id in parents:  # a loop above that does not pass through this employee
            return None
        else:
            row = Employee.objects.filter(pk=current_id).values_list("name", "supervisor_id")
            found = row.first()
            if found is None:
                return None
            parents[current_id] = found
        name, next_id = parents[current_id]
        names.append(name)
        current_id = next_id
    return None


def _check_supervisor(employee: Employee) -> None:
    if employee.supervisor_id is None:
        return
    if employee.pk is not None and employee.supervisor_id == employee.pk:
        raise ApplicationError(
            _("An employee cannot be their own supervisor. Choose someone else."),
            code="supervisor_loop",
            field_errors={"supervisor": [_("Choose someone else.")]},
        )
    chain = supervisor_chain(employee.supervisor, employee.pk)
    if chain is not None and employee.pk is not None:
        names = " → ".join([employee.name, *chain, employee.name])
        raise ApplicationError(
            _(
                "This supervisor would make a loop: %(chain)s. An employee cannot be supervised, "
                "directly or through others, by someone they supervise. Choose another supervisor."
            )
            % {"chain": names},
            code="supervisor_loop",
            field_errors={"supervisor": [_("Makes a supervisor loop.")]},
        )


def _validate(employee: Employee) -> None:
    employee.nip = check_nip(employee.nip, employee.employment_type)
    if employee.rank_id is not None:
        rank = employee.rank if isinstance(employee.rank, Rank) else None
        rank_type = rank.employment_type if rank else None
        if rank_type != employee.employment_type:
            raise ApplicationError(
                _("The rank %(rank)s is not a rank of this employment type. Choose another.")
                % {"rank": rank},
                code="rank_mismatch",
                field_errors={"rank": [_("Not a rank of this employment type.")]},
            )
    if employee.nip and Employee.objects.filter(nip=employee.nip).exclude(pk=employee.pk).exists():
        raise ApplicationError(
            _("Another employee already has NIP %(nip)s. Search for them instead of adding again.")
            % {"nip": employee.nip},
            code="nip_taken",
            field_errors={"nip": [_("Already used.")]},
        )
    if (
        employee.user_id is not None
        and Employee.objects.filter(user_id=employee.user_id).exclude(pk=employee.pk).exists()
    ):
        raise ApplicationError(
            _("That user account already belongs to another employee. Choose another account."),
            code="user_taken",
            field_errors={"user": [_("Already linked.")]},
        )
    _check_supervisor(employee)
    try:
        employee.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ApplicationError(
            "; ".join(m for msgs in exc.message_dict.values() for m in msgs),
            code="invalid",
            field_errors=exc.message_dict,
        ) from exc
    if employee.active_until and employee.active_until < employee.active_from:
        raise ApplicationError(
            _("The active period ends before it starts. Check the two dates."),
            code="period_order",
            field_errors={"active_until": [_("Must not be before the start.")]},
        )


@transaction.atomic
def employee_create(*, actor: Any, refresh_summaries: bool = True, **fields: Any) -> Employee:
    """A new employee record; every check of `_validate`; audited. `refresh_summaries=False` leaves
    the compliance summaries to the caller (an import refreshes them once at the end)."""
    unknown = set(fields) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise TypeError(f"unknown employee fields: {sorted(unknown)}")
    employee = Employee(**fields)
    _validate(employee)
    employee.save(force_insert=True)
    audit.record(
        actor=actor,
        action=AuditAction.EMPLOYEE_CREATED,
        target=employee,
        changes={k: [None, v] for k, v in audit.snapshot(employee, EMPLOYEE_FIELDS).items()},
    )
    if refresh_summaries:
        compliance_refresh(unit_ids=[employee.unit_id])
    return employee


@transaction.atomic
def employee_update(
    *, actor: Any, employee: Employee, refresh_summaries: bool = True, **fields: Any
) -> Employee:
    """Change an employee; refuses a supervisor loop (naming the chain); audits the changed fields
    and refreshes the compliance summaries of the units concerned (see `employee_create`)."""
    unknown = set(fields) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise TypeError(f"unknown employee fields: {sorted(unknown)}")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    old_unit_id = employee.unit_id
    before = audit.snapshot(employee, EMPLOYEE_FIELDS)
    for name, value in fields.items():
        setattr(employee, name, value)
    _validate(employee)
    changes = audit.changes_between(before, audit.snapshot(employee, EMPLOYEE_FIELDS))
    if changes:
        employee.save()
        audit.record(
            actor=actor, action=AuditAction.EMPLOYEE_UPDATED, target=employee, changes=changes
        )
        if refresh_summaries and changes.keys() & SUMMARY_FIELDS:
            compliance_refresh(unit_ids=[old_unit_id, employee.unit_id])
    return employee

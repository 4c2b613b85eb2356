"""Who may see and change what in staff records and SKP.

Reads: office-wide roles (HR, head of office, auditor) see every employee; anyone else sees their
own record and the employees below them in the supervisor chain (direct and indirect). Writes on an
SKP: its employee drafts it and reports the months; the direct supervisor approves and evaluates it.
Compliance figures are organisational: they follow the viewer's unit scope.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from sinergi.accounts.permissions import sees_everything
from sinergi.staff.models import Employee, Skp

_OWN_EMPLOYEE = "_sinergi_staff_employee"

# Every employee below `root` in the supervisor chain (direct and indirect), in one query.
SUBORDINATES_SQL = (
    "WITH RECURSIVE chain(id) AS ("
    " SELECT id FROM staff_employee WHERE supervisor_id = %s"
    " UNION SELECT e.id FROM staff_employee e JOIN chain c ON e.supervisor_id = c.id"
    ") SELECT id FROM chain"
)


def viewer_employee(viewer: Any) -> Employee | None:
    """The employee record linked to the signed-in user (cached on the user object)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    if not hasattr(viewer, _OWN_EMPLOYEE):
        setattr(viewer, _OWN_EMPLOYEE, Employee.objects.filter(user=viewer).first())
    employee: Employee | None = getattr(viewer, _OWN_EMPLOYEE)
    return employee


def subordinates_of(employee: Employee) -> RawSQL:
    # Constant SQL; the id is a bound parameter.
    return RawSQL(SUBORDINATES_SQL, [employee.pk])  # noqa: S611


def _visible_employees(viewer: Any, field: str) -> Q | None:
    """The condition on `field` (an employee id) for the rows `viewer` may see: None for everything,
    else the viewer's own record and the chain below it; Q(pk__in=[]) for nothing."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Q(pk__in=[])
    if sees_everything(viewer):
        return None
    own = viewer_employee(viewer)
    if own is None:
        return Q(pk__in=[])
    return Q(**{field: own.pk}) | Q(**{f"{field}__in": subordinates_of(own)})


def scope_employees(queryset: QuerySet[Employee], viewer: Any) -> QuerySet[Employee]:
    """The employees `viewer` may see: all for office-wide roles, else self and the chain below."""
    condition = _visible_employees(viewer, "pk")
    return queryset if condition is None else queryset.filter(condition)


def access_employee(viewer: Any, pk: Any, queryset: QuerySet[Employee] | None = None) -> Employee:
    """The employee `pk` if the viewer may see it, else Http404 (missing and forbidden alike)."""
    base = queryset if queryset is not None else Employee.objects.all()
    try:
        return scope_employees(base, viewer).get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scope_skps(queryset: QuerySet[Skp], viewer: Any) -> QuerySet[Skp]:
    """SKP of the employees the viewer may see."""
    condition = _visible_employees(viewer, "employee_id")
    return queryset if condition is None else queryset.filter(condition)


def access_skp(viewer: Any, pk: Any, queryset: QuerySet[Skp] | None = None) -> Skp:
    base = queryset if queryset is not None else Skp.objects.all()
    try:
        return scope_skps(base, viewer).get(pk=pk)
    except (Skp.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_own(actor: Any, employee: Employee) -> bool:
    own = viewer_employee(actor)
    return own is not None and own.pk == employee.pk


def is_direct_supervisor(actor: Any, employee: Employee) -> bool:
    own = viewer_employee(actor)
    return own is not None and employee.supervisor_id == own.pk


def can_edit_skp(actor: Any, skp: Skp) -> bool:
    """The employee themself, while the SKP is a draft or was returned."""
    return bool(actor.has_perm("staff.add_skp") and is_own(actor, skp.employee) and skp.is_editable)


def can_report_month(actor: Any, skp: Skp) -> bool:
    return bool(actor.has_perm("staff.add_monthlysubmission") and is_own(actor, skp.employee))


def can_approve_skp(actor: Any, skp: Skp) -> bool:
    """The direct supervisor; for an employee with no supervisor in Sinergi (the head of office),
    HR records the approval given outside it."""
    if skp.employee.supervisor_id is None:
        return bool(actor.has_perm("staff.change_employee"))
    return bool(actor.has_perm("staff.approve_skp") and is_direct_supervisor(actor, skp.employee))


def can_evaluate_skp(actor: Any, skp: Skp) -> bool:
    if skp.employee.supervisor_id is None:
        return bool(actor.has_perm("staff.change_employee"))
    return bool(actor.has_perm("staff.evaluate_skp") and is_direct_supervisor(actor, skp.employee))

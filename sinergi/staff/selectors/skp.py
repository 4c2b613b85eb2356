"""Reads of the SKP: one SKP with its RHK, a month's realisation, what awaits a supervisor, the
reference tables, and the evidence Sinergi can suggest from other apps' figures."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sinergi.core import metrics
from sinergi.staff.models import (
    BehaviourValue,
    Employee,
    Evaluation,
    MonthClosure,
    MonthlyRealisation,
    MonthlySubmission,
    PredikatRule,
    Rhk,
    RhkIndicator,
    Skp,
)
from sinergi.staff.models.periods import month_bounds
from sinergi.staff.permissions import access_skp, scope_skps, viewer_employee


def skp_get(*, viewer: Any, pk: Any) -> Skp:
    """One SKP the viewer may see (Http404 otherwise), with its employee, unit and supervisor."""
    return access_skp(
        viewer,
        pk,
        Skp.objects.select_related(
            "employee__unit", "employee__supervisor", "employee__rank", "approved_by"
        ),
    )


def skp_rhks(skp: Skp) -> list[Rhk]:
    """The RHK of an SKP in order, each with its indicators and the supervisor's RHK it supports."""
    return list(
        skp.rhks.select_related("parent")
        .prefetch_related(Prefetch("indicators", queryset=RhkIndicator.objects.order_by("id")))
        .order_by("number")
    )


def supervisor_rhks(skp: Skp) -> list[Rhk]:
    """The RHK an employee may cascade from: those of the direct supervisor's SKP of the year."""
    if skp.employee.supervisor_id is None:
        return []
    return list(
        Rhk.objects.filter(
            skp__employee_id=skp.employee.supervisor_id, skp__year=skp.year
        ).order_by("number")
    )


def employee_skps(employee: Employee) -> list[Skp]:
    return list(employee.skps.order_by("-year"))


def evaluations(skp: Skp) -> list[Evaluation]:
    return list(skp.evaluations.select_related("predikat", "evaluated_by").order_by("month_from"))


@dataclass
class MonthDetail:
    year: int
    month: int
    submission: MonthlySubmission | None
    rows: list[tuple[Rhk, MonthlyRealisation | None]]
    closed: bool

    @property
    def submitted(self) -> bool:
        return bool(
            self.submission and self.submission.status == MonthlySubmission.Status.SUBMITTED
        )

    @property
    def complete(self) -> bool:
        return all(real is not None for _rhk, real in self.rows)


def month_detail(skp: Skp, month: int) -> MonthDetail:
    """The month of an SKP: each RHK with its realisation (or None), the submission, closed or not."""
    submission = MonthlySubmission.objects.filter(
        employee_id=skp.employee_id, year=skp.year, month=month
    ).first()
    realisations: dict[int, MonthlyRealisation] = {}
    if submission is not None:
        realisations = {r.rhk_id: r for r in submission.realisations.all()}
    rows = [(rhk, realisations.get(rhk.pk)) for rhk in skp_rhks(skp)]
    closed = MonthClosure.objects.filter(year=skp.year, month=month).exists()
    return MonthDetail(skp.year, month, submission, rows, closed)


def months_of(skp: Skp) -> dict[int, MonthlySubmission]:
    return {
        s.month: s
        for s in MonthlySubmission.objects.filter(employee_id=skp.employee_id, year=skp.year)
    }


def evidence_get(*, viewer: Any, pk: Any) -> MonthlyRealisation:
    """A realisation with an evidence file whose SKP the viewer may see; Http404 otherwise."""
    row = (
        MonthlyRealisation.objects.select_related("submission__skp")
        .filter(pk=pk)
        .exclude(evidence_file="")
        .first()
    )
    if row is None:
        raise Http404
    access_skp(viewer, row.submission.skp_id)
    return row


def approvals_pending(*, viewer: Any) -> list[Skp]:
    """SKP submitted by the viewer's direct subordinates, waiting for the viewer's decision."""
    own = viewer_employee(viewer)
    if own is None:
        return []
    return list(
        scope_skps(Skp.objects.all(), viewer)
        .filter(employee__supervisor=own, status=Skp.Status.SUBMITTED)
        .select_related("employee")
        .order_by("submitted_at", "id")
    )


@dataclass
class SubordinateRow:
    employee: Employee
    skp: Skp | None
    submission: MonthlySubmission | None


def subordinates_overview(*, viewer: Any, year: int, month: int) -> list[SubordinateRow]:
    """The viewer's direct subordinates with their SKP of the year and the month's submission."""
    own = viewer_employee(viewer)
    if own is None:
        return []
    staff = list(own.subordinates.select_related("unit").order_by("name", "id"))
    ids = [e.pk for e in staff]
    skps = {s.employee_id: s for s in Skp.objects.filter(employee_id__in=ids, year=year)}
    subs = {
        s.employee_id: s
        for s in MonthlySubmission.objects.filter(employee_id__in=ids, year=year, month=month)
    }
    return [SubordinateRow(e, skps.get(e.pk), subs.get(e.pk)) for e in staff]


def behaviour_values() -> QuerySet[BehaviourValue]:
    return BehaviourValue.objects.all()


def predikat_matrix(on: dt.date) -> dict[tuple[str, str], Any]:
    """{(results rating, behaviour rating): predikat} of the matrix in force on `on`."""
    cells: dict[tuple[str, str], Any] = {}
    for rule in (
        PredikatRule.objects.filter(effective_from__lte=on)
        .select_related("predikat")
        .order_by("effective_from")
    ):
        cells[(rule.results_rating, rule.behaviour_rating)] = rule.predikat
    return cells


def closed_months(year: int) -> set[int]:
    return set(MonthClosure.objects.filter(year=year).values_list("month", flat=True))


def _figure(value: Decimal) -> str:
    """12 -> "12", 1234.5 -> "1.234,5" (Indonesian grouping and decimal comma)."""
    text = f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@dataclass(frozen=True)
class Suggestion:
    code: str
    label: str
    value: Decimal
    unit_of_measure: str
    text: str


def suggested_evidence(*, user: Any, year: int, month: int) -> list[Suggestion]:
    """The month's figures of the user's own work that other apps compute (USER metrics), as
    evidence text the employee can attach; figures with no basis (None) are left out."""
    start, end = month_bounds(year, month)
    query = metrics.MetricQuery(start=start, end=end, user_id=user.pk)
    found = []
    for metric in metrics.all_metrics(metrics.Scope.USER):
        value = metric.value(query)
        if value is None:
            continue
        value = Decimal(value)
        text = (
            f"{metric.label}: {_figure(value)} {metric.unit_of_measure} "
            f"({start:%d-%m-%Y} s.d. {end:%d-%m-%Y}, Sinergi)"
        )
        found.append(
            Suggestion(metric.code, str(metric.label), value, str(metric.unit_of_measure), text)
        )
    return found

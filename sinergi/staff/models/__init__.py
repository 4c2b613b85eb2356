"""Staff records and SKP (PermenPANRB 6/2022): models split by topic."""

from sinergi.staff.models.actions import AuditAction
from sinergi.staff.models.employees import Employee, EmploymentType, Rank
from sinergi.staff.models.monthly import MonthClosure, MonthlyRealisation, MonthlySubmission
from sinergi.staff.models.skp import (
    BehaviourValue,
    Evaluation,
    Predikat,
    PredikatRule,
    Rating,
    Rhk,
    RhkIndicator,
    Skp,
)
from sinergi.staff.models.summary import ComplianceSummary

__all__ = [
    "AuditAction",
    "BehaviourValue",
    "ComplianceSummary",
    "Employee",
    "EmploymentType",
    "Evaluation",
    "MonthClosure",
    "MonthlyRealisation",
    "MonthlySubmission",
    "Predikat",
    "PredikatRule",
    "Rank",
    "Rating",
    "Rhk",
    "RhkIndicator",
    "Skp",
]

"""Budget absorption: the DPA per fiscal year, its cash plan, SP2D realisations and the milestones."""

from sinergi.budget.models.dpa import (
    AuditAction,
    BudgetLine,
    BudgetRevision,
    CashPlan,
    FiscalYear,
    Kegiatan,
    Program,
    SubKegiatan,
)
from sinergi.budget.models.monitoring import Milestone, PhysicalProgress, ProvincialOffice
from sinergi.budget.models.realisation import Realisation, RealisationAllocation
from sinergi.budget.models.summary import AbsorptionSummary

__all__ = [
    "AbsorptionSummary",
    "AuditAction",
    "BudgetLine",
    "BudgetRevision",
    "CashPlan",
    "FiscalYear",
    "Kegiatan",
    "Milestone",
    "PhysicalProgress",
    "Program",
    "ProvincialOffice",
    "Realisation",
    "RealisationAllocation",
    "SubKegiatan",
]

"""Performance accountability: the Renstra as data (tujuan > sasaran > indicators), targets,
the Perjanjian Kinerja, realisation with evidence and verification, achievement bands and SPM."""

from sinergi.performance.models.plan import (
    AuditAction,
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    PerformanceAgreementItem,
    Polarity,
    QuarterMode,
    RenstraPeriod,
    Target,
)
from sinergi.performance.models.realisation import PeriodLock, Realisation
from sinergi.performance.models.reference import Band, SpmFigure, SpmService
from sinergi.performance.models.summary import AchievementSummary

__all__ = [
    "AchievementSummary",
    "AuditAction",
    "Band",
    "Goal",
    "Indicator",
    "Objective",
    "PerformanceAgreement",
    "PerformanceAgreementItem",
    "PeriodLock",
    "Polarity",
    "QuarterMode",
    "Realisation",
    "RenstraPeriod",
    "SpmFigure",
    "SpmService",
    "Target",
]

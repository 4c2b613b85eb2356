"""Models of social rehabilitation, split by topic: reference data, clients and cases, assessments."""

from sinergi.rehabilitation.models.assessments import (
    Assessment,
    AssessmentAnswer,
    Instrument,
    InstrumentBand,
    InstrumentItem,
    InstrumentOption,
)
from sinergi.rehabilitation.models.cases import AuditAction, Case, CaseEvent, Client
from sinergi.rehabilitation.models.reference import (
    DisabilityType,
    PpksCategory,
    ReferralSource,
    ServiceType,
    Stage,
    TerminationReason,
)

__all__ = [
    "Assessment",
    "AssessmentAnswer",
    "AuditAction",
    "Case",
    "CaseEvent",
    "Client",
    "DisabilityType",
    "Instrument",
    "InstrumentBand",
    "InstrumentItem",
    "InstrumentOption",
    "PpksCategory",
    "ReferralSource",
    "ServiceType",
    "Stage",
    "TerminationReason",
]

"""Models of social rehabilitation, split by topic: reference data, clients and cases, assessments."""

from sinergi.rehabilitation.models.aftercare import AftercareInterval, FollowUp
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
    "AftercareInterval",
    "Assessment",
    "AssessmentAnswer",
    "AuditAction",
    "Case",
    "CaseEvent",
    "Client",
    "DisabilityType",
    "FollowUp",
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

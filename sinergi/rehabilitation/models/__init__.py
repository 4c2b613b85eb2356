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
from sinergi.rehabilitation.models.casework import *  # noqa: F403  (casework: plan, service log)
from sinergi.rehabilitation.models.consent import *  # noqa: F403  (consent records)
from sinergi.rehabilitation.models.documents import *  # noqa: F403  (client documents)
from sinergi.rehabilitation.models.reference import (
    DisabilityType,
    PpksCategory,
    ReferralSource,
    ServiceType,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.models.residential import *  # noqa: F403  (residential: beds, movements)
from sinergi.rehabilitation.models.transfers import *  # noqa: F403  (transfers between UPT)

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

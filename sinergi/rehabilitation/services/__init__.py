"""Writes of social rehabilitation, split by topic (re-exported here)."""

from sinergi.rehabilitation.services.aftercare import (
    case_close,
    follow_up_record,
    follow_ups_notify_due,
)
from sinergi.rehabilitation.services.assessments import assessment_record
from sinergi.rehabilitation.services.cases import StaleCase, case_advance, case_approve_stage
from sinergi.rehabilitation.services.casework import *  # noqa: F403  (plan, service log, notes)
from sinergi.rehabilitation.services.clients import (
    LikelyDuplicate,
    StaleClient,
    client_intake,
    client_update,
)
from sinergi.rehabilitation.services.reference import reference_load

__all__ = [
    "LikelyDuplicate",
    "StaleCase",
    "StaleClient",
    "assessment_record",
    "case_advance",
    "case_approve_stage",
    "case_close",
    "client_intake",
    "client_update",
    "follow_up_record",
    "follow_ups_notify_due",
    "reference_load",
]

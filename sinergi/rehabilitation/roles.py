"""Rehabilitation permissions per role (collected by accounts.services.roles_sync)."""

from sinergi.rehabilitation.models.casework import CASEWORK_GRANTS
from sinergi.rehabilitation.models.documents import IO_GRANTS

READ = [
    "rehabilitation.view_client",
    "rehabilitation.view_case",
    "rehabilitation.view_assessment",
    "rehabilitation.view_residence",  # residential: occupancy, beds, roster, waiting list
    "rehabilitation.view_transfer",  # transfers between UPT
]
WORK = [
    *READ,
    "rehabilitation.add_client",
    "rehabilitation.change_client",
    "rehabilitation.add_case",
    "rehabilitation.change_case",
    "rehabilitation.add_assessment",
    "rehabilitation.add_residence",  # admissions, bed moves, movements, waiting list
    "rehabilitation.add_transfer",  # transfer requests
]

GRANTS = {
    "social_worker": WORK,
    "head_of_upt": [*WORK, "rehabilitation.change_any_case", "rehabilitation.approve_case"],
    "head_of_division": READ,
    "head_of_office": READ,
    "auditor": READ,
}
# The head of UPT also sets up rooms and beds and answers transfers into the UPT (residential).
GRANTS["head_of_upt"] += ["rehabilitation.manage_beds", "rehabilitation.acknowledge_transfer"]
# Consent records, client documents, import and export (rehab-io): see models/documents.py.
GRANTS = {r: [*GRANTS.get(r, []), *IO_GRANTS.get(r, [])] for r in {*GRANTS, *IO_GRANTS}}
# Plan, service log, group sessions, progress notes, case conferences: see models/casework.py.
GRANTS = {r: [*GRANTS.get(r, []), *CASEWORK_GRANTS.get(r, [])] for r in {*GRANTS, *CASEWORK_GRANTS}}

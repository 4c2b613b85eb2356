"""Permissions of the coordination meetings granted to roles (collected by `roles_sync`).

Heads of Bidang and UPT write their unit's report and follow up the actions given to it; the
planning officer (secretariat) creates meetings, writes the secretariat's report, compiles and
sets follow-up actions; the head of office and the auditor read everything.
"""

_READ = ["meetings.view_rakortek"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": [*_READ, "meetings.submit_rakortek"],
    "head_of_upt": [*_READ, "meetings.submit_rakortek"],
    "planning_officer": [*_READ, "meetings.submit_rakortek", "meetings.manage_rakortek"],
    "auditor": _READ,
}

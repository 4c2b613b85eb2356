"""Permissions of the performance app granted to roles (collected by `accounts.services.roles_sync`).

Units (heads of a UPT or Bidang) enter the realisation of their own indicators; the planning staff
maintain the plan and targets and verify; the head of office and the auditor read everything.
"""

_READ = ["performance.view_performance"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": [*_READ, "performance.enter_realisation"],
    "head_of_upt": [*_READ, "performance.enter_realisation"],
    "planning_officer": [
        *_READ,
        "performance.manage_plan",
        "performance.verify_realisation",
    ],
    "auditor": _READ,
}

"""Permissions of the budget app granted to roles (collected by `accounts.services.roles_sync`).

Everyone who steers money reads absorption within their scope. Finance staff maintain the DPA,
import, enter and cancel SP2D and report physical progress for every unit; heads of a Bidang or UPT
(the KPA) enter SP2D and physical progress for their own unit (checked in services).
"""

_READ = ["budget.view_budgetline"]
# what the KPA enters for their own unit (finance staff for every unit)
_KPA = ["budget.add_realisation", "budget.add_physicalprogress"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": [*_READ, *_KPA],
    "head_of_upt": [*_READ, *_KPA],
    "finance_officer": [
        *_READ,
        *_KPA,
        "budget.delete_realisation",
        "budget.manage_budget",
        "budget.import_budget",
    ],
    "auditor": _READ,
}

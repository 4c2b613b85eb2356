"""Permissions of the budget app granted to roles (collected by `accounts.services.roles_sync`).

Everyone who steers money reads absorption within their scope. Finance staff maintain the DPA,
import and enter SP2D for every unit; heads of a Bidang or UPT (the KPA) enter SP2D for the lines of
their own unit (checked in services).
"""

_READ = ["budget.view_budgetline"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": [*_READ, "budget.add_realisation"],
    "head_of_upt": [*_READ, "budget.add_realisation"],
    "finance_officer": [
        *_READ,
        "budget.add_realisation",
        "budget.manage_budget",
        "budget.import_budget",
    ],
    "auditor": _READ,
}

"""Permissions of the organisation app granted to roles (collected by `accounts.services.roles_sync`).

Everyone reads the unit tree (scoped to their own subtree unless their role sees the whole office)
and the region codes; only the system administrator changes units.
"""

_READ = ["organisation.view_unit", "organisation.view_region"]

GRANTS = {
    "system_admin": [
        *_READ,
        "organisation.add_unit",
        "organisation.change_unit",
        "organisation.import_unit",
    ],
    "head_of_office": _READ,
    "head_of_division": _READ,
    "head_of_upt": _READ,
    "social_worker": _READ,
    "finance_officer": _READ,
    "hr_officer": _READ,
    "pillar_officer": _READ,
    "auditor": _READ,
}

"""The roles of the office, as data synced into the Role table by `manage.py sync_roles`.

Each app grants permissions to roles in its own `roles.py` (a GRANTS dict of role code -> list of
"app_label.codename"); `sync_roles` collects them. Roles are read-only in the Django admin: change a
grant here (reviewed in version control), then run `manage.py sync_roles`.
"""

from django.utils.translation import gettext_lazy as _

ROLES = [
    # code, name, scope, requires_two_factor, description
    (
        "system_admin",
        _("System administrator"),
        "all",
        True,
        _("Manages users, roles, units and reference data."),
    ),
    ("head_of_office", _("Head of office"), "all", False, _("Reads everything in the office.")),
    (
        "head_of_division",
        _("Head of division"),
        "unit",
        False,
        _("Leads a Bidang and the UPT under it."),
    ),
    (
        "head_of_upt",
        _("Head of UPT"),
        "unit",
        False,
        _("Leads a UPT; approves plans and terminations."),
    ),
    (
        "social_worker",
        _("Social worker"),
        "unit",
        False,
        _("Handles the cases assigned to them in their UPT."),
    ),
    (
        "finance_officer",
        _("Finance officer"),
        "all",
        False,
        _("Budget, cash plan, realisation and payments."),
    ),
    (
        "hr_officer",
        _("HR officer"),
        "all",
        False,
        _("Employees and their monthly performance targets."),
    ),
    (
        "pillar_officer",
        _("Social-pillar officer"),
        "unit",
        False,
        _("Registry of social pillars and their quarterly aid."),
    ),
    (
        "planning_officer",
        _("Planning officer"),
        "all",
        False,
        _("Strategic plan, indicator targets, verification of realisation and SAKIP evaluation."),
    ),
    (
        "employee",
        _("Employee"),
        "unit",
        False,
        _("Every member of staff: their own SKP and monthly realisation."),
    ),
    (
        "auditor",
        _("Internal auditor"),
        "all",
        False,
        _("Reads everything and the audit log; changes nothing."),
    ),
]

# Platform grants; domain apps add theirs in their own roles.py.
GRANTS = {
    "system_admin": [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_role",
        "organisation.view_unit",
        "organisation.add_unit",
        "organisation.change_unit",
        "organisation.import_unit",
        "organisation.view_region",
        "audit.view_auditevent",
    ],
    "head_of_office": ["accounts.view_user", "organisation.view_unit", "organisation.view_region"],
    "head_of_division": ["organisation.view_unit", "organisation.view_region"],
    "head_of_upt": ["organisation.view_unit", "organisation.view_region"],
    "social_worker": ["organisation.view_unit", "organisation.view_region"],
    "finance_officer": ["organisation.view_unit", "organisation.view_region"],
    "hr_officer": ["accounts.view_user", "organisation.view_unit", "organisation.view_region"],
    "pillar_officer": ["organisation.view_unit", "organisation.view_region"],
    "auditor": [
        "accounts.view_user",
        "accounts.view_role",
        "organisation.view_unit",
        "organisation.view_region",
        "audit.view_auditevent",
    ],
}

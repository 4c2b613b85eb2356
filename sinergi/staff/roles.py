"""Permissions of the staff app granted to roles (collected by `accounts.services.roles_sync`).

Every member of staff keeps their own SKP and monthly realisation (the employee role; heads and HR
are employees too). Supervision follows the Employee.supervisor chain, not the unit: a head approves
and evaluates the SKP of the employees whose direct supervisor they are, and reads those of the
whole chain below them. HR and the head of office read everything; HR keeps the staff records and
closes months; the auditor reads.
"""

_OWN_SKP = [
    "staff.view_employee",
    "staff.view_skp",
    "staff.add_skp",
    "staff.add_monthlysubmission",
]
_SUPERVISE = ["staff.approve_skp", "staff.evaluate_skp", "staff.view_compliance"]

GRANTS = {
    "employee": _OWN_SKP,
    "head_of_upt": [*_OWN_SKP, *_SUPERVISE],
    "head_of_division": [*_OWN_SKP, *_SUPERVISE],
    "head_of_office": [*_OWN_SKP, *_SUPERVISE],
    "hr_officer": [
        *_OWN_SKP,
        "staff.add_employee",
        "staff.change_employee",
        "staff.import_employee",
        "staff.view_compliance",
        "staff.close_month",
    ],
    "auditor": ["staff.view_employee", "staff.view_skp", "staff.view_compliance"],
}

"""Permissions of the innovation registry granted to roles (collected by `roles_sync`).

Staff of a unit register and update their unit's innovations; the planning officer sees all and
publishes them on the public page; the head of office and the auditor read all.
"""

_READ = ["innovations.view_innovation"]
_REGISTER = [*_READ, "innovations.register_innovation"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": _REGISTER,
    "head_of_upt": _REGISTER,
    "social_worker": _REGISTER,
    "employee": _REGISTER,
    "planning_officer": [*_REGISTER, "innovations.publish_innovation"],
    "auditor": _READ,
}

"""Permissions of the SAKIP evaluation granted to roles (collected by `accounts.services.roles_sync`).

Heads of units answer the LKE of their unit and follow up the recommendations made to it; the
planning officer manages the LKE templates, reviews answers, finalises and answers the office's
own LKE; the head of office and the auditor read everything.
"""

_READ = ["sakip.view_sakip"]

GRANTS = {
    "system_admin": _READ,
    "head_of_office": _READ,
    "head_of_division": [*_READ, "sakip.answer_sakip"],
    "head_of_upt": [*_READ, "sakip.answer_sakip"],
    "planning_officer": [*_READ, "sakip.answer_sakip", "sakip.manage_sakip"],
    "auditor": _READ,
}

"""Rehabilitation permissions per role (collected by accounts.services.roles_sync)."""

READ = [
    "rehabilitation.view_client",
    "rehabilitation.view_case",
    "rehabilitation.view_assessment",
]
WORK = [
    *READ,
    "rehabilitation.add_client",
    "rehabilitation.change_client",
    "rehabilitation.add_case",
    "rehabilitation.change_case",
    "rehabilitation.add_assessment",
]

GRANTS = {
    "social_worker": WORK,
    "head_of_upt": [*WORK, "rehabilitation.change_any_case", "rehabilitation.approve_case"],
    "head_of_division": READ,
    "head_of_office": READ,
    "auditor": READ,
}

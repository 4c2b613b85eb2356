"""Grants of the audit app (collected by accounts.services.roles_sync)."""

GRANTS = {
    "auditor": ["audit.view_auditevent"],
    "system_admin": ["audit.view_auditevent"],
}

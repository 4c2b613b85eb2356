"""Who may see the scheduled jobs page."""

GRANTS = {
    "system_admin": ["scheduling.view_jobrun"],
    "auditor": ["scheduling.view_jobrun"],
}

"""Permissions of the pillars app granted to roles (collected by `accounts.services.roles_sync`).

Pillar officers keep the registry, the rates and generate cycles (within their unit's subtree);
finance approves batches (never one they made), applies the bank's result files and keeps the
banks' bulk-transfer file layouts; the head of office and the auditor read everything.
"""

_READ = ["pillars.view_member", "pillars.view_aidscheme", "pillars.view_cycle"]

GRANTS = {
    "system_admin": [*_READ, "pillars.change_bankfilelayout"],
    "head_of_office": _READ,
    "auditor": _READ,
    "pillar_officer": [
        *_READ,
        "pillars.add_member",
        "pillars.change_member",
        "pillars.import_member",
        "pillars.change_aidscheme",
        "pillars.add_cycle",
    ],
    "finance_officer": [
        *_READ,
        "pillars.approve_batch",
        "pillars.reconcile_batch",
        "pillars.change_bankfilelayout",
    ],
}

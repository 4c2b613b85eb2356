"""API schemas of the audit trail."""

import datetime as dt
from typing import Any

from ninja import Schema


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    kind: str
    actor_username: str
    actor_unit_path: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict[str, Any]
    extra: dict[str, Any]
    ip_address: str | None
    request_id: str

"""audit.record(): one event per change, written in the caller's transaction.

Logging reads of sensitive personal records (UU 27/2022), for domain apps
--------------------------------------------------------------------------
Every page or endpoint that SHOWS one person's record (a client's case file, an employee's data, a
pillar's identity) logs who opened it, with a READ event. Lists are not logged (they are scoped and
show little); detail pages, downloads and prints are. Pick the form that fits the view:

1. Function views and API endpoints: right after the access check, call

       client = selectors.client_get(viewer=request.user, client_id=client_id)  # 404 if not in scope
       audit.record_read(actor=request.user, action="rehabilitation.client_viewed", target=client,
                         purpose=request.GET.get("purpose", ""))

2. Class-based detail views: add `audit.SensitiveReadMixin` before DetailView and set
   `read_action = "rehabilitation.client_viewed"` (one READ event per GET of the object).

Keep the selector free of the logging (selectors only read); the view/endpoint decides that a
person's data was shown. Auditors find these events on the audit page with the "Personal data
reads" preset (kind = read) and can filter by record type and id.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from sinergi.audit.models import AuditAction, AuditEvent
from sinergi.core import request_context

_MISSING = object()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` (FKs by id) for a later `changes_between`."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _jsonable(getattr(instance, attname))
    return values


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if before.get(k, _MISSING) != after.get(k, _MISSING)
    }


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_username": "", "actor_unit_path": ""}
    unit = getattr(actor, "unit", None)
    return {
        "actor": actor,
        "actor_username": actor.get_username(),
        "actor_unit_path": getattr(unit, "path", "") or "",
    }


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    kind: str = AuditEvent.Kind.CHANGE,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction, after the change."""
    context = request_context.current()
    event = AuditEvent(
        kind=kind,
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        changes=_jsonable(dict(changes or {})),
        extra=_jsonable(dict(extra or {})),
        ip_address=context.ip_address,
        request_id=context.request_id,
        **_actor_fields(actor),
    )
    event.save(force_insert=True)
    return event


def record_read(*, actor: Any, action: str, target: models.Model, purpose: str = "") -> AuditEvent:
    """Log that `actor` opened a sensitive personal record (UU 27/2022 access log)."""
    return record(
        actor=actor,
        action=action,
        target=target,
        extra={"purpose": purpose} if purpose else None,
        kind=AuditEvent.Kind.READ,
    )


class SensitiveReadMixin:
    """For class-based detail views of personal records: log a READ event when the object is shown.

    Put it before the view class (`class ClientDetail(SensitiveReadMixin, DetailView)`) and set
    `read_action`; `read_purpose` (or `?purpose=` in the URL) is stored with the event.
    """

    read_action: str = ""
    read_purpose: str = ""
    request: Any

    def get_object(self, queryset: Any = None) -> Any:
        obj = super().get_object(queryset)  # type: ignore[misc]
        if not self.read_action:
            raise ValueError(f"{type(self).__name__} must set read_action")
        if self.request.method == "GET":
            purpose = self.read_purpose or self.request.GET.get("purpose", "")[:200]
            record_read(
                actor=self.request.user, action=self.read_action, target=obj, purpose=purpose
            )
        return obj


@transaction.atomic
def log_exported(
    *, actor: Any, filters: Mapping[str, Any], export_format: str, rows: int
) -> AuditEvent:
    """Record that `actor` downloaded the audit log with these filters (exports are audited too)."""
    return record(
        actor=actor,
        action=AuditAction.LOG_EXPORTED,
        extra={"filters": dict(filters), "format": export_format, "rows": rows},
        kind=AuditEvent.Kind.SECURITY,
    )

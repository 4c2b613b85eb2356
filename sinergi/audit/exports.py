"""The audit log export (xlsx/CSV of the filtered log): written at once when small, as a background
job when big (sinergi.core.export_views.export_or_enqueue); audited as "audit.log_exported"."""

import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.audit import selectors, services
from sinergi.audit.forms import EventFilterForm
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import (
    ExportColumn,
    ExportSource,
    count_up_to,
    register_source,
    sync_limit,
)

SOURCE = "audit.events"


def _json_text(value: Any) -> str:
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


EXPORT_COLUMNS = [
    ExportColumn("occurred_at", gettext_lazy("Time"), kind="datetime"),
    ExportColumn("get_kind_display", gettext_lazy("Kind")),
    ExportColumn("actor_username", gettext_lazy("Username")),
    ExportColumn("actor_unit_path", gettext_lazy("Actor unit path"), kind="identity"),
    ExportColumn("action", gettext_lazy("Action")),
    ExportColumn("target_type", gettext_lazy("Record type")),
    ExportColumn("target_id", gettext_lazy("Record id"), kind="identity"),
    ExportColumn("target_label", gettext_lazy("Record")),
    ExportColumn(lambda e: _json_text(e.changes), gettext_lazy("Changes")),
    ExportColumn(lambda e: _json_text(e.extra), gettext_lazy("Details")),
    ExportColumn("ip_address", gettext_lazy("IP address"), kind="identity"),
    ExportColumn("request_id", gettext_lazy("Request id"), kind="identity"),
    ExportColumn("id", gettext_lazy("Event id"), kind="int"),
]


def _events(viewer: Any, params: dict[str, Any]) -> Any:
    """The viewer's events matching the filters (as EventFilters.as_dict() wrote them)."""
    form = EventFilterForm(params)
    if not form.is_valid():
        raise ApplicationError(_("The filter is not valid. Correct it, then export again."))
    return selectors.event_list(viewer=viewer, filters=form.filters())


def _rows(viewer: Any, params: dict[str, Any]) -> Iterable[Any]:
    return _events(viewer, params).iterator(chunk_size=2000)


def _count_hint(viewer: Any, params: dict[str, Any]) -> int:
    return count_up_to(_events(viewer, params), sync_limit())


def _record_export(*, actor: Any, params: dict[str, Any], file_format: str, rows: int) -> None:
    services.log_exported(actor=actor, filters=params, export_format=file_format, rows=rows)


register_source(
    ExportSource(
        code=SOURCE,
        title=gettext_lazy("Audit log"),
        permission="audit.view_auditevent",
        columns=EXPORT_COLUMNS,
        rows=_rows,
        count_hint=_count_hint,
        filename="log-audit",
        timestamped=True,
        record_export=_record_export,
    )
)

"""The auditor's pages: the filtered audit log, one event, and the export of the filtered log."""

import json
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.permissions import require_permission
from sinergi.audit import exports as audit_exports
from sinergi.audit import selectors
from sinergi.audit.exports import EXPORT_COLUMNS  # noqa: F401 (the export's columns, for tests)
from sinergi.audit.forms import EventFilterForm
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.htmx import render_page_or_partial
from sinergi.core.pagination import keyset_page

PAGE_SIZE = 50
PERMISSION = "audit.view_auditevent"

PRESETS = [
    # label, query string
    (gettext_lazy("All events"), ""),
    (gettext_lazy("Personal data reads"), "kind=read"),
    (gettext_lazy("Security"), "kind=security"),
    (gettext_lazy("Changes"), "kind=change"),
]


def _json_text(value: Any) -> str:
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@require_permission(PERMISSION)
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit log with filters, keyset pages and (for htmx) just the results partial."""
    form = EventFilterForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        filters = form.filters() if form.is_bound else selectors.EventFilters()
        queryset = selectors.event_list(viewer=request.user, filters=filters)
        try:
            page = keyset_page(
                queryset,
                ordering=selectors.ORDERING,
                cursor=request.GET.get("cursor") or None,
                size=PAGE_SIZE,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            page = keyset_page(queryset, ordering=selectors.ORDERING, cursor=None, size=PAGE_SIZE)
    active_query = request.GET.urlencode()
    context = {
        "form": form,
        "page": page,
        "presets": [
            {"label": label, "query": query, "active": query == active_query}
            for label, query in PRESETS
        ],
        "filtered": any(v for k, v in request.GET.items() if k != "cursor"),
    }
    return render_page_or_partial(request, "audit/event_list.html", context, partial="results")


def _field_label(target_type: str, name: str) -> str:
    """The verbose name of a changed field, when the record's model is known."""
    try:
        model = apps.get_model(target_type)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def _change_rows(event: AuditEvent) -> list[dict[str, Any]]:
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    rows = []
    for name, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            old, new = value
        else:
            old, new = None, value
        rows.append(
            {
                "field": name,
                "label": _field_label(event.target_type, name) if event.target_type else name,
                "old": old if isinstance(old, str) else _json_text(old),
                "new": new if isinstance(new, str) else _json_text(new),
            }
        )
    return rows


@require_permission(PERMISSION)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event: who, when, from where, what changed (field | old | new) and the details."""
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    context = {
        "event": event,
        "change_rows": _change_rows(event),
        "extra_json": json.dumps(event.extra, ensure_ascii=False, indent=2, sort_keys=True)
        if event.extra
        else "",
    }
    return render(request, "audit/event_detail.html", context)


@require_permission(PERMISSION)
def event_export(request: HttpRequest, export_format: str) -> HttpResponse:
    """The filtered log as xlsx or CSV (at most EXPORT_MAX_ROWS rows), written at once when small,
    else as a background job with a progress page (core export_or_enqueue); audited either way."""
    if export_format not in {"xlsx", "csv"}:
        raise Http404
    form = EventFilterForm(request.GET)
    back = reverse("audit:event_list") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        messages.error(request, _("The filter is not valid. Correct it, then export again."))
        return redirect(back)
    filters = form.filters()
    queryset = selectors.event_list(viewer=request.user, filters=filters)
    if selectors.exceeds(queryset, selectors.EXPORT_MAX_ROWS):
        messages.error(
            request,
            _(
                "More than %(limit)s events match the filter, too many for one file. Narrow the "
                "filter (for example a shorter date range), then export again."
            )
            % {"limit": f"{selectors.EXPORT_MAX_ROWS:,}".replace(",", ".")},
        )
        return redirect(back)
    return export_or_enqueue(
        request, audit_exports.SOURCE, filters.as_dict(), export_format, back_url=back
    )

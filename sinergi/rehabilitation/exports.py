"""The client list export ("rehabilitation.clients"): the clients of the viewer's scope with the
search filters of the client list, as xlsx or CSV. Small exports are written at once, big ones run as
a background job (core.export_views.export_or_enqueue); every export is audited as a read of
personal data. NIK and KK are text cells (never 3.5E+15); the UPT and stage are those of the
client's latest case visible to the viewer, read with subqueries (no query per row)."""

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from sinergi.audit import services as audit
from sinergi.core.exports import (
    ExportColumn,
    ExportSource,
    count_up_to,
    register_source,
    sync_limit,
)
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.models import Case, Client, RecordsAuditAction
from sinergi.rehabilitation.permissions import scope_cases

SOURCE = "rehabilitation.clients"
FILTERS = ("nik", "name", "unit", "category", "stage")


def filters_from_params(params: dict[str, Any]) -> selectors.ClientFilters:
    unit = params.get("unit")
    return selectors.ClientFilters(
        nik=str(params.get("nik") or ""),
        name=str(params.get("name") or ""),
        unit=int(unit) if unit else None,
        category=str(params.get("category") or ""),
        stage=str(params.get("stage") or ""),
    )


def params_from_filters(filters: selectors.ClientFilters) -> dict[str, Any]:
    return {key: getattr(filters, key) for key in FILTERS if getattr(filters, key)}


def client_export_queryset(viewer: Any, params: dict[str, Any]) -> QuerySet[Client]:
    """The clients to export, ordered by name, each with its latest visible case's UPT, stage,
    admission date and status annotated."""
    latest = scope_cases(Case.objects.filter(client=OuterRef("pk")), viewer).order_by(
        "-admitted_on", "-created_at"
    )
    return (
        selectors.client_search(viewer=viewer, filters=filters_from_params(params))
        .select_related("ppks_category", "disability_type", "referral_source", "village")
        .annotate(
            case_unit=Subquery(latest.values("unit__name")[:1]),
            case_stage=Subquery(latest.values("stage__name")[:1]),
            case_status=Subquery(latest.values("status")[:1]),
            case_admitted_on=Subquery(latest.values("admitted_on")[:1]),
        )
        .order_by("name", "id")
    )


def _status(client: Any) -> str:
    return str(Case.Status(client.case_status).label) if client.case_status else ""


COLUMNS = [
    ExportColumn("nik", gettext_lazy("NIK"), kind="identity"),
    ExportColumn("kk_number", gettext_lazy("KK number"), kind="identity"),
    ExportColumn("name", gettext_lazy("Full name")),
    ExportColumn("sex", gettext_lazy("Sex")),
    ExportColumn("birth_place", gettext_lazy("Place of birth")),
    ExportColumn("birth_on", gettext_lazy("Date of birth"), kind="date"),
    ExportColumn("address", gettext_lazy("Address")),
    ExportColumn("village_id", gettext_lazy("Village code"), kind="identity"),
    ExportColumn("village.name", gettext_lazy("Village")),
    ExportColumn("ppks_category.code", gettext_lazy("PPKS category")),
    ExportColumn("disability_type.name", gettext_lazy("Disability type")),
    ExportColumn("referral_source.name", gettext_lazy("Referral source")),
    ExportColumn("dtsen_desil", gettext_lazy("DTSEN decile"), kind="int"),
    ExportColumn("case_unit", gettext_lazy("UPT")),
    ExportColumn("case_admitted_on", gettext_lazy("Admitted on"), kind="date"),
    ExportColumn("case_stage", gettext_lazy("Stage")),
    ExportColumn(_status, gettext_lazy("Status")),
]


def _rows(viewer: Any, params: dict[str, Any]) -> Iterable[Any]:
    return client_export_queryset(viewer, params).iterator(chunk_size=2000)


def _count_hint(viewer: Any, params: dict[str, Any]) -> int:
    qs = selectors.client_search(viewer=viewer, filters=filters_from_params(params))
    return count_up_to(qs, sync_limit())


def _record_export(*, actor: Any, params: dict[str, Any], file_format: str, rows: int) -> None:
    # A read of personal data (UU 27/2022): who exported which filter, how many rows. A NIK
    # searched for stays out of the audit trail (only that there was one).
    filters = {key: ("•" if key == "nik" else value) for key, value in params.items()}
    audit.record(
        actor=actor,
        action=RecordsAuditAction.CLIENTS_EXPORTED,
        extra={"filters": filters, "format": file_format, "rows": rows},
        kind="read",
    )


register_source(
    ExportSource(
        code=SOURCE,
        title=gettext_lazy("Rehabilitation clients"),
        permission="rehabilitation.export_client",
        columns=COLUMNS,
        rows=_rows,
        count_hint=_count_hint,
        filename="penerima-manfaat",
        timestamped=True,
        personal_data=True,
        record_export=_record_export,
    )
)

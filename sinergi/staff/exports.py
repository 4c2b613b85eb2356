"""Exports of the staff app: the employee list and the late list (the basis for sanctions).

Both are about people, so every export is audited as a read of personal data; the late list's own
event records the month and unit it was taken for.
"""

from typing import Any

from django.db import transaction
from django.db.models import CharField, DateField, Value
from django.utils.translation import gettext_lazy

from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.core.exports import (
    ExportColumn,
    ExportSource,
    count_up_to,
    register_source,
    sync_limit,
)
from sinergi.organisation.models import Unit
from sinergi.staff import selectors
from sinergi.staff.models import AuditAction, Employee
from sinergi.staff.models.periods import due_on, month_label

# Headers are the import template's column keys, so an exported file can be imported again.
EMPLOYEE_COLUMNS = [
    ExportColumn("nip", "nip", kind="identity"),
    ExportColumn("name", "nama"),
    ExportColumn("employment_type", "jenis_kepegawaian"),
    ExportColumn("rank.code", "golongan"),
    ExportColumn("position", "jabatan"),
    ExportColumn("unit.code", "kode_unit"),
    ExportColumn("supervisor.nip", "nip_atasan", kind="identity"),
    ExportColumn("email", "email"),
    ExportColumn("active_from", "aktif_sejak", kind="date"),
    ExportColumn("active_until", "aktif_sampai", kind="date"),
    ExportColumn("unit.name", "nama_unit"),
    ExportColumn("supervisor.name", "nama_atasan"),
]


def _employees(viewer: Any, params: dict[str, Any]) -> Any:
    return (
        selectors.employee_search(viewer=viewer, filters=selectors.EmployeeFilters(status="all"))
        .select_related("unit", "rank", "supervisor")
        .order_by(*selectors.EMPLOYEE_ORDERING)
    )


register_source(
    ExportSource(
        code="staff.employees",
        title=gettext_lazy("Employees"),
        permission="staff.view_employee",
        columns=EMPLOYEE_COLUMNS,
        rows=lambda viewer, params: _employees(viewer, params).iterator(2000),
        count_hint=lambda viewer, params: count_up_to(_employees(viewer, params), sync_limit()),
        filename="pegawai",
        timestamped=True,
        personal_data=True,
    )
)


def _status(row: Employee) -> str:
    if getattr(row, "submitted_at", None) is None:
        return str(gettext_lazy("Missing"))
    return str(gettext_lazy("Late"))


LATE_COLUMNS = [
    ExportColumn("nip", gettext_lazy("NIP"), kind="identity"),
    ExportColumn("name", gettext_lazy("Name")),
    ExportColumn("position", gettext_lazy("Position")),
    ExportColumn("unit.name", gettext_lazy("Unit")),
    ExportColumn("supervisor.name", gettext_lazy("Direct supervisor")),
    ExportColumn(_status, gettext_lazy("Status")),
    ExportColumn("submitted_at", gettext_lazy("Submitted at"), kind="datetime"),
    # the month the file is about, on every row: HR keeps the files of many months side by side
    ExportColumn("report_month", gettext_lazy("Month")),
    ExportColumn("report_due_on", gettext_lazy("Due by"), kind="date"),
]


def _late(viewer: Any, params: dict[str, Any]) -> Any:
    unit = None
    if params.get("unit"):
        unit = Unit.objects.filter(pk=params["unit"]).first()
    year, month = int(params["year"]), int(params["month"])
    return (
        selectors.late_list(
            viewer=viewer, year=year, month=month, unit=unit, kind=str(params.get("kind") or "")
        )
        .annotate(
            report_month=Value(str(month_label(year, month)), output_field=CharField()),
            report_due_on=Value(due_on(year, month), output_field=DateField()),
        )
        .order_by(*selectors.LATE_ORDERING)
    )


@transaction.atomic
def record_late_export(
    *, actor: Any, params: dict[str, Any], file_format: str, rows: int
) -> AuditEvent:
    """One READ event per export of the late list, with its month, unit, kind and row count."""
    return audit.record(
        actor=actor,
        action=AuditAction.LATE_LIST_EXPORTED,
        extra={"filters": dict(params), "format": file_format, "rows": rows},
        kind=AuditEvent.Kind.READ,
    )


register_source(
    ExportSource(
        code="staff.late_list",
        title=gettext_lazy("SKP reported late or missing"),
        permission="staff.view_compliance",
        columns=LATE_COLUMNS,
        rows=lambda viewer, params: _late(viewer, params).iterator(2000),
        count_hint=lambda viewer, params: count_up_to(_late(viewer, params), sync_limit()),
        filename="skp-terlambat",
        timestamped=True,
        personal_data=True,
        record_export=record_late_export,
    )
)

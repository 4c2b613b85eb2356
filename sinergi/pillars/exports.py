"""Export source of the registry (members in the viewer's scope and filter)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.core.exports import (
    ExportColumn,
    ExportSource,
    count_up_to,
    register_source,
    sync_limit,
)
from sinergi.pillars import selectors

COLUMNS = [
    ExportColumn("pillar_type.code", _("Pillar type code")),
    ExportColumn("role", _("Role")),
    ExportColumn("nik", _("NIK"), kind="identity"),
    ExportColumn("name", _("Name")),
    ExportColumn("sex", _("Sex")),
    ExportColumn("born_on", _("Birth date"), kind="date"),
    ExportColumn("phone", _("Phone")),
    ExportColumn("regency_id", _("Regency/city code"), kind="identity"),
    ExportColumn("district_id", _("Kecamatan code"), kind="identity"),
    ExportColumn("decree_number", _("SK number")),
    ExportColumn("decree_on", _("SK date"), kind="date"),
    ExportColumn("active_from", _("Active from"), kind="date"),
    ExportColumn("active_until", _("Active until"), kind="date"),
    ExportColumn("status", _("Status")),
    ExportColumn("bank.code", _("Bank code"), kind="identity"),
    ExportColumn("account_number", _("Account number"), kind="identity"),
    ExportColumn("account_holder", _("Account holder")),
    ExportColumn("employee.nip", _("NIP of the employee record"), kind="identity"),
]


def _queryset(viewer: Any, params: dict[str, Any]) -> Any:
    filters = selectors.MemberFilters(
        pillar_type=params.get("pillar_type") or None,
        regency=params.get("regency") or "",
        district=params.get("district") or "",
        status=params.get("status") or "",
    )
    return selectors.member_list(viewer=viewer, filters=filters)


register_source(
    ExportSource(
        code="pillars.members",
        title=_("Social pillar members"),
        permission="pillars.view_member",
        columns=COLUMNS,
        rows=lambda viewer, params: (
            _queryset(viewer, params)
            .select_related("pillar_type", "bank", "employee")
            .order_by("name", "id")
            .iterator(2000)
        ),
        count_hint=lambda viewer, params: count_up_to(_queryset(viewer, params), sync_limit()),
        filename="pilar-sosial",
        timestamped=True,
        personal_data=True,
    )
)

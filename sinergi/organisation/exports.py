"""The unit export (the unit list with its filters, as xlsx/CSV). A province has a bounded number of
units, so it is always written at once; it goes through the export registry to be audited like
every export."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from sinergi.core.exports import ExportColumn, ExportSource, register_source
from sinergi.organisation import selectors

SOURCE = "organisation.units"
FILTERS = ("search", "unit_type", "status")

# Export headers are the import template's column keys, so an exported file can be imported again.
UNIT_EXPORT_COLUMNS = [
    ExportColumn("code", "kode", kind="identity"),
    ExportColumn("name", "nama"),
    ExportColumn("short_name", "nama_singkat"),
    ExportColumn("unit_type.code", "jenis_unit"),
    ExportColumn("upt_type.code", "jenis_upt"),
    ExportColumn("parent.code", "kode_induk", kind="identity"),
    ExportColumn("regency_id", "kode_kab_kota", kind="identity"),
    ExportColumn("address", "alamat"),
    ExportColumn("capacity", "kapasitas", kind="int"),
    ExportColumn("regency.name", "nama_kab_kota"),
    ExportColumn("phone", "telepon"),
    ExportColumn("email", "email"),
    ExportColumn("is_active", "aktif", kind="bool"),
]


def _rows(viewer: Any, params: dict[str, Any]) -> Iterable[Any]:
    filters = {key: str(params.get(key) or "") for key in FILTERS}
    filters["status"] = filters["status"] or "active"
    return [row.unit for row in selectors.unit_tree(viewer=viewer, **filters)]


register_source(
    ExportSource(
        code=SOURCE,
        title=gettext_lazy("Units"),
        permission="organisation.view_unit",
        columns=UNIT_EXPORT_COLUMNS,
        rows=_rows,
        filename="unit-kerja",
    )
)

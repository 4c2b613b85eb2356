"""Spreadsheet import of the unit tree ("organisation.units"): any province can load its own tree.

Few rows, so each row goes through `services.unit_create` / `unit_update` (paths, audit) inside the
batch's one transaction; unchanged rows are skipped; a parent must come before its children in the
file or already exist.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.permissions import sees_everything, viewer_unit_path
from sinergi.core.errors import ApplicationError
from sinergi.core.models import ImportBatch
from sinergi.core.tabular import (
    ApplyResult,
    Column,
    ImportSpec,
    RowError,
    RowErrors,
    StagedRows,
    register,
)
from sinergi.organisation import services
from sinergi.organisation.models import Region, Unit, UnitType, UptType

# Spreadsheet column -> Unit field, for the columns that map one to one.
_PLAIN_FIELDS = {
    "nama": "name",
    "nama_singkat": "short_name",
    "alamat": "address",
    "kapasitas": "capacity",
}


class UnitImport(ImportSpec):
    code = "organisation.units"
    title = gettext_lazy("Units of the office")
    permission = "organisation.import_unit"
    description = gettext_lazy(
        "The office's unit tree: Dinas, Sekretariat, Bidang and UPT with their parent, type and "
        "regency. Units are matched by their code; importing the same file again changes nothing."
    )
    natural_key = ("kode",)
    columns = (
        Column(
            "kode",
            gettext_lazy("Code"),
            aliases=("code", "kode unit"),
            max_length=50,
            help_text=gettext_lazy(
                "Short code of letters, digits and dashes, e.g. upt-pstw-jember."
            ),
        ),
        Column("nama", gettext_lazy("Name"), aliases=("name", "nama unit"), max_length=200),
        Column(
            "nama_singkat",
            gettext_lazy("Short name"),
            required=False,
            aliases=("short_name",),
            max_length=80,
        ),
        Column(
            "jenis_unit",
            gettext_lazy("Unit type"),
            aliases=("unit_type", "jenis"),
            help_text=gettext_lazy("Code of the unit type: dinas, sekretariat, bidang or upt."),
        ),
        Column(
            "jenis_upt",
            gettext_lazy("UPT type"),
            required=False,
            aliases=("upt_type",),
            help_text=gettext_lazy("For a UPT only: the UPT type code, e.g. PSTW."),
        ),
        Column(
            "kode_induk",
            gettext_lazy("Parent code"),
            required=False,
            aliases=("parent_code", "induk"),
            max_length=50,
            help_text=gettext_lazy(
                "Code of the parent unit: an existing unit or one in an earlier row of this file. "
                "Empty for the office itself."
            ),
        ),
        Column(
            "kode_kab_kota",
            gettext_lazy("Regency/city code"),
            kind="identity",
            required=False,
            aliases=("regency_code", "kab_kota"),
            max_length=13,
            help_text=gettext_lazy("Kemendagri code of the regency or city, e.g. 35.78."),
        ),
        Column(
            "alamat", gettext_lazy("Address"), required=False, aliases=("address",), max_length=255
        ),
        Column(
            "kapasitas",
            gettext_lazy("Capacity (clients)"),
            kind="int",
            required=False,
            aliases=("capacity",),
        ),
    )
    sample_rows = (
        {
            "kode": "dinsos",
            "nama": "Dinas Sosial Provinsi Jawa Timur",
            "nama_singkat": "Dinas Sosial",
            "jenis_unit": "dinas",
            "kode_kab_kota": "35.78",
            "alamat": "Jl. Gayung Kebonsari 56B, Surabaya",
        },
        {
            "kode": "bidang-rehsos",
            "nama": "Bidang Rehabilitasi Sosial",
            "nama_singkat": "Bidang Rehsos",
            "jenis_unit": "bidang",
            "kode_induk": "dinsos",
            "kode_kab_kota": "35.78",
        },
        {
            "kode": "upt-pstw-jember",
            "nama": "UPT PSTW Jember",
            "nama_singkat": "PSTW Jember",
            "jenis_unit": "upt",
            "jenis_upt": "PSTW",
            "kode_induk": "bidang-rehsos",
            "kode_kab_kota": "35.09",
            "kapasitas": 110,
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.sees_everything = sees_everything(actor)
        self.scope_path = viewer_unit_path(actor) or ""
        self.unit_paths = dict(Unit.objects.values_list("code", "path"))
        self.unit_types = {t.code.casefold(): t.code for t in UnitType.objects.only("code")}
        self.upt_types = {t.code.casefold(): t.code for t in UptType.objects.only("code")}
        self.regencies = set(
            Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True)
        )
        self.codes_in_file: set[str] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = []
        code = row["kode"]
        unit_type = self.unit_types.get(row["jenis_unit"].casefold())
        if unit_type is None:
            errors.append(
                RowError(
                    _("Unknown unit type “%(value)s”. Use one of: %(allowed)s.")
                    % {
                        "value": row["jenis_unit"],
                        "allowed": ", ".join(sorted(self.unit_types.values())),
                    },
                    column="jenis_unit",
                )
            )
        row["jenis_unit"] = unit_type
        if row["jenis_upt"]:
            upt_type = self.upt_types.get(row["jenis_upt"].casefold())
            if upt_type is None:
                errors.append(
                    RowError(
                        _("Unknown UPT type “%(value)s”. Use one of: %(allowed)s.")
                        % {
                            "value": row["jenis_upt"],
                            "allowed": ", ".join(sorted(self.upt_types.values())),
                        },
                        column="jenis_upt",
                    )
                )
            row["jenis_upt"] = upt_type
        parent = row["kode_induk"]
        if parent:
            if parent == code:
                errors.append(
                    RowError(
                        _("A unit cannot be its own parent. Fix the parent code."),
                        column="kode_induk",
                    )
                )
            elif parent not in self.codes_in_file and parent not in self.unit_paths:
                errors.append(
                    RowError(
                        _(
                            "Parent unit “%(code)s” does not exist and is not in an earlier row of "
                            "this file. Check the code, or move the parent's row above this one."
                        )
                        % {"code": parent},
                        column="kode_induk",
                    )
                )
        if not self.sees_everything:
            errors.extend(self._scope_errors(code, parent))
        regency = row["kode_kab_kota"]
        if regency and regency not in self.regencies:
            errors.append(
                RowError(
                    _(
                        "“%(code)s” is not a regency/city code. Write the Kemendagri code of the "
                        "regency or city, e.g. 35.78 for Kota Surabaya."
                    )
                    % {"code": regency},
                    column="kode_kab_kota",
                )
            )
        if row["kapasitas"] is not None and row["kapasitas"] < 0:
            errors.append(
                RowError(_("Capacity cannot be negative. Write 0 or more."), column="kapasitas")
            )
        if errors:
            raise RowErrors(errors)
        self.codes_in_file.add(code)
        return row

    def _in_scope(self, path: str) -> bool:
        return bool(self.scope_path) and path.startswith(self.scope_path)

    def _scope_errors(self, code: str, parent: str | None) -> list[RowError]:
        """A user who sees only a subtree may import units only inside that subtree."""
        errors = []
        existing = self.unit_paths.get(code)
        if existing is not None and not self._in_scope(existing):
            errors.append(
                RowError(
                    _(
                        "Unit “%(code)s” lies outside your part of the tree, so you cannot change "
                        "it. Remove the row or ask an office-wide administrator."
                    )
                    % {"code": code},
                    column="kode",
                )
            )
        parent_path = self.unit_paths.get(parent) if parent else None
        if not parent or (
            parent not in self.codes_in_file
            and parent_path is not None
            and not self._in_scope(parent_path)
        ):
            errors.append(
                RowError(
                    _(
                        "You can only place units under your own unit or one of its sub-units. "
                        "Write the code of such a parent unit."
                    ),
                    column="kode_induk",
                )
            )
        return errors

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        self._units = {u.code: u for u in Unit.objects.select_related("parent")}
        self._unit_types = {t.code: t for t in UnitType.objects.all()}
        self._upt_types = {t.code: t for t in UptType.objects.all()}
        numbered = list(rows.with_row_numbers())
        regency_codes = {r["kode_kab_kota"] for _n, r in numbered if r.get("kode_kab_kota")}
        self._regencies = Region.objects.in_bulk(regency_codes)
        for number, row in numbered:  # parents come first: clean_row made sure of it
            try:
                outcome = self._apply_row(row, actor=actor)
            except ApplicationError as exc:
                raise ApplicationError(
                    _("row %(row)d (%(code)s): %(problem)s")
                    % {"row": number, "code": row["kode"], "problem": exc.message}
                ) from exc
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _apply_row(self, row: dict[str, Any], *, actor: Any) -> str:
        """Create, update or skip one unit; say which ("created", "updated" or "unchanged")."""
        present = self.present_columns
        fields: dict[str, Any] = {"unit_type": self._unit_types[row["jenis_unit"]]}
        for column, name in _PLAIN_FIELDS.items():
            if column in present:
                value = row[column]
                fields[name] = value if value is not None or name == "capacity" else ""
        if "jenis_upt" in present:
            fields["upt_type"] = self._upt_types[row["jenis_upt"]] if row["jenis_upt"] else None
        if "kode_induk" in present:
            fields["parent"] = self._units[row["kode_induk"]] if row["kode_induk"] else None
        if "kode_kab_kota" in present:
            code = row["kode_kab_kota"]
            fields["regency"] = self._regencies[code] if code else None
        unit = self._units.get(row["kode"])
        if unit is None:
            self._units[row["kode"]] = services.unit_create(actor=actor, code=row["kode"], **fields)
            return "created"
        changed = {name: value for name, value in fields.items() if _differs(unit, name, value)}
        if not changed:
            return "unchanged"
        self._units[row["kode"]] = services.unit_update(actor=actor, unit=unit, **changed)
        if "parent" in changed:  # the subtree moved: reload the paths later rows build on
            self._units = {u.code: u for u in Unit.objects.select_related("parent")}
        return "updated"


_RELATIONS = {"unit_type", "upt_type", "parent", "regency"}


def _differs(unit: Unit, name: str, value: Any) -> bool:
    if name in _RELATIONS:
        current_id = getattr(unit, f"{name}_id")
        return bool(current_id != (value.pk if value is not None else None))
    return bool(getattr(unit, name) != value)


register(UnitImport())

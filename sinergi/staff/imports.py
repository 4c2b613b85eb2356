"""Spreadsheet import of the staff list ("staff.employees"): HR loads the employees from xlsx.

Employees are matched by NIP (a non-ASN row without a NIP by its name within the unit); importing
the same file again changes nothing. A supervisor is named by NIP and must already exist or come in
an earlier row of the file, so a file can never create a supervisor loop among new rows; changes to
existing employees go through `services.employee_update`, which refuses a loop and names the chain.
Each row is written through the services (the NIP, rank and loop checks are the same as on the
form), inside the batch's one transaction.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from sinergi.organisation.models import Unit
from sinergi.staff import services
from sinergi.staff.models import Employee, EmploymentType, Rank

TYPES = {
    "pns": EmploymentType.PNS,
    "pppk": EmploymentType.PPPK,
    "non-asn": EmploymentType.NON_ASN,
    "non asn": EmploymentType.NON_ASN,
    "non_asn": EmploymentType.NON_ASN,
    "honorer": EmploymentType.NON_ASN,
}


class EmployeeImport(ImportSpec):
    code = "staff.employees"
    title = gettext_lazy("Employees")
    permission = "staff.import_employee"
    description = gettext_lazy(
        "The staff list: NIP, name, employment type, rank, position, unit, the direct "
        "supervisor's NIP and the active period. Employees are matched by NIP; importing the "
        "same file again changes nothing. A supervisor must exist already or come in an earlier row."
    )
    natural_key = ("nip",)
    columns = (
        Column(
            "nip",
            gettext_lazy("NIP"),
            kind="identity",
            required=False,
            max_length=18,
            help_text=gettext_lazy("18 digits (NIP or NI PPPK). Empty only for non-ASN staff."),
        ),
        Column("nama", gettext_lazy("Name"), aliases=("name",), max_length=150),
        Column(
            "jenis_kepegawaian",
            gettext_lazy("Employment type"),
            aliases=("employment_type", "jenis"),
            choices={
                "PNS": "PNS",
                "PPPK": "PPPK",
                "Non-ASN": "Non-ASN",
                "non asn": "Non-ASN",
                "non_asn": "Non-ASN",
                "honorer": "Non-ASN",
            },
            help_text=gettext_lazy("PNS, PPPK or Non-ASN."),
        ),
        Column(
            "golongan",
            gettext_lazy("Rank/golongan"),
            required=False,
            aliases=("rank", "pangkat"),
            max_length=10,
            help_text=gettext_lazy("PNS: III/a ... IV/e; PPPK: I ... XVII. Empty for non-ASN."),
        ),
        Column(
            "jabatan",
            gettext_lazy("Position"),
            required=False,
            aliases=("position",),
            max_length=200,
        ),
        Column(
            "kode_unit",
            gettext_lazy("Unit code"),
            aliases=("unit", "unit_code"),
            max_length=50,
            help_text=gettext_lazy(
                "Code of the unit, as in the unit list, e.g. upt-rsbd-pasuruan."
            ),
        ),
        Column(
            "nip_atasan",
            gettext_lazy("Supervisor's NIP"),
            kind="identity",
            required=False,
            aliases=("supervisor_nip",),
            max_length=18,
            help_text=gettext_lazy(
                "NIP of the direct supervisor: an existing employee or an earlier row. Empty for "
                "the head of office."
            ),
        ),
        Column("email", gettext_lazy("Email"), required=False, max_length=254),
        Column("aktif_sejak", gettext_lazy("Active from"), kind="date", aliases=("active_from",)),
        Column(
            "aktif_sampai",
            gettext_lazy("Active until"),
            kind="date",
            required=False,
            aliases=("active_until",),
        ),
    )
    sample_rows = (
        {
            "nip": "197003151995031002",
            "nama": "Drs. Bambang Wicaksono, M.Si.",
            "jenis_kepegawaian": "PNS",
            "golongan": "IV/b",
            "jabatan": "Kepala UPT",
            "kode_unit": "upt-rsbd-pasuruan",
            "nip_atasan": "",
            "aktif_sejak": "01-01-2020",
        },
        {
            "nip": "198507222010012015",
            "nama": "Siti Rahmawati, S.Sos.",
            "jenis_kepegawaian": "PNS",
            "golongan": "III/c",
            "jabatan": "Pekerja Sosial Ahli Muda",
            "kode_unit": "upt-rsbd-pasuruan",
            "nip_atasan": "197003151995031002",
            "email": "siti.rahmawati@example.go.id",
            "aktif_sejak": "01-01-2020",
        },
    )

    def prepare(self, *, actor: Any) -> None:
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.ranks = {
            (r.employment_type, key.casefold()): r.pk
            for r in Rank.objects.all()
            for key in {r.code, r.grade}
        }
        self.known_nips = set(
            Employee.objects.exclude(nip__isnull=True).values_list("nip", flat=True)
        )
        self.nips_in_file: set[str] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = []
        kind = TYPES.get(str(row["jenis_kepegawaian"]).casefold())
        if kind is None:
            errors.append(RowError(_("Write PNS, PPPK or Non-ASN."), column="jenis_kepegawaian"))
        row["jenis_kepegawaian"] = str(kind) if kind else None
        nip = row["nip"]
        if kind is not None:
            try:
                nip = services.check_nip(nip, kind)
            except ApplicationError as exc:
                errors.append(RowError(exc.message, column="nip"))
        row["nip"] = nip
        if nip and nip in self.nips_in_file:
            errors.append(
                RowError(
                    _("NIP %(nip)s appears twice in this file. Keep one row.") % {"nip": nip},
                    column="nip",
                )
            )
        if row["kode_unit"] not in self.units:
            errors.append(
                RowError(
                    _("There is no unit with code “%(code)s”. Use a code from the unit list.")
                    % {"code": row["kode_unit"]},
                    column="kode_unit",
                )
            )
        if row["golongan"]:
            rank_id = self.ranks.get((str(kind), str(row["golongan"]).casefold()))
            if rank_id is None:
                errors.append(
                    RowError(
                        _("“%(rank)s” is not a rank of this employment type.")
                        % {"rank": row["golongan"]},
                        column="golongan",
                    )
                )
            row["golongan"] = str(rank_id) if rank_id else None
        supervisor = row["nip_atasan"]
        if supervisor:
            if supervisor == nip:
                errors.append(
                    RowError(_("An employee cannot be their own supervisor."), column="nip_atasan")
                )
            elif supervisor not in self.known_nips and supervisor not in self.nips_in_file:
                errors.append(
                    RowError(
                        _(
                            "No employee has NIP %(nip)s, and it is not in an earlier row. Check "
                            "the supervisor's NIP, or move the supervisor's row above this one."
                        )
                        % {"nip": supervisor},
                        column="nip_atasan",
                    )
                )
        if row["aktif_sampai"] and row["aktif_sampai"] < row["aktif_sejak"]:
            errors.append(
                RowError(_("The active period ends before it starts."), column="aktif_sampai")
            )
        if errors:
            raise RowErrors(errors)
        if nip:
            self.nips_in_file.add(nip)
        return row

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        units = {u.code: u for u in Unit.objects.all()}
        by_nip: dict[str, Any] = {
            e.nip: e for e in Employee.objects.exclude(nip__isnull=True) if e.nip
        }
        for number, row in rows.with_row_numbers():
            try:
                outcome = self._apply_row(row, actor=actor, units=units, by_nip=by_nip)
            except ApplicationError as exc:
                raise ApplicationError(
                    _("row %(row)d (%(name)s): %(problem)s")
                    % {"row": number, "name": row["nama"], "problem": exc.message}
                ) from exc
            setattr(result, outcome, getattr(result, outcome) + 1)
        if result.created or result.updated:
            services.compliance_refresh()
        return result

    def _apply_row(
        self, row: dict[str, Any], *, actor: Any, units: dict[str, Unit], by_nip: dict[str, Any]
    ) -> str:
        present = self.present_columns
        unit = units[row["kode_unit"]]
        fields: dict[str, Any] = {
            "name": row["nama"],
            "employment_type": row["jenis_kepegawaian"],
            "unit": unit,
            "active_from": row["aktif_sejak"],
        }
        if "golongan" in present:
            fields["rank"] = Rank.objects.get(pk=int(row["golongan"])) if row["golongan"] else None
        if "jabatan" in present:
            fields["position"] = row["jabatan"] or ""
        if "nip_atasan" in present:
            fields["supervisor"] = by_nip[row["nip_atasan"]] if row["nip_atasan"] else None
        if "email" in present:
            fields["email"] = row["email"] or ""
        if "aktif_sampai" in present:
            fields["active_until"] = row["aktif_sampai"]
        nip = row["nip"]
        if nip:
            employee = by_nip.get(nip)
        else:
            employee = Employee.objects.filter(
                nip__isnull=True, name=row["nama"], unit=unit
            ).first()
        if employee is None:
            employee = services.employee_create(
                actor=actor, nip=nip, refresh_summaries=False, **fields
            )
            if nip:
                by_nip[nip] = employee
            return "created"
        changed = {k: v for k, v in fields.items() if _differs(employee, k, v)}
        if not changed:
            return "unchanged"
        employee = services.employee_update(
            actor=actor, employee=employee, refresh_summaries=False, **changed
        )
        if nip:
            by_nip[nip] = employee
        return "updated"


_RELATIONS = {"unit", "rank", "supervisor"}


def _differs(employee: Employee, name: str, value: Any) -> bool:
    if name in _RELATIONS:
        return bool(getattr(employee, f"{name}_id") != (value.pk if value is not None else None))
    return bool(getattr(employee, name) != value)


register(EmployeeImport())

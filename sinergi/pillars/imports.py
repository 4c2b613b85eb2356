"""Spreadsheet import of pillar members ("pillars.members"): new members are registered through the
same service as the form (NIK, TKSK per kecamatan, account rules); a member already registered
for the type (same NIK) is left unchanged, so importing a file again changes nothing."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, Sex, parse_nik
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
from sinergi.organisation.fields import district_code_set
from sinergi.organisation.models import Region
from sinergi.pillars import services
from sinergi.pillars.models import (
    Bank,
    Member,
    MemberRole,
    MemberStatus,
    PillarType,
    normalise_name,
)

ROLES = {label.casefold(): value for value, label in MemberRole.choices} | {
    "anggota": "member",
    "koordinator provinsi": "provincial_coordinator",
    "koordinator kabupaten": "regency_coordinator",
    "koordinator kabupaten/kota": "regency_coordinator",
    "koordinator kecamatan": "district_coordinator",
}


class MemberImport(ImportSpec):
    code = "pillars.members"
    title = gettext_lazy("Social pillar members")
    permission = "pillars.import_member"
    description = gettext_lazy(
        "Members of every pillar type with NIK, area of duty, SK and bank account. Members are "
        "matched by pillar type and NIK; a member already registered is left unchanged."
    )
    natural_key = ("jenis_pilar", "nik")
    columns = (
        Column(
            "jenis_pilar",
            gettext_lazy("Pillar type code"),
            help_text=gettext_lazy("tksk, tagana, pendamping-pkh-plus, psm, ..."),
        ),
        Column("peran", gettext_lazy("Role"), required=False, choices=ROLES),
        Column("nik", gettext_lazy("NIK"), kind="identity", max_length=16),
        Column("nama", gettext_lazy("Name"), max_length=150),
        Column(
            "jenis_kelamin",
            gettext_lazy("Sex"),
            choices={"l": "L", "p": "P", "laki-laki": "L", "perempuan": "P"},
        ),
        Column("tanggal_lahir", gettext_lazy("Birth date"), kind="date"),
        Column("telepon", gettext_lazy("Phone"), required=False, max_length=30),
        Column("kode_kabupaten", gettext_lazy("Regency/city code"), kind="identity", max_length=5),
        Column(
            "kode_kecamatan",
            gettext_lazy("Kecamatan code"),
            kind="identity",
            required=False,
            max_length=8,
        ),
        Column("nomor_sk", gettext_lazy("SK number"), required=False, max_length=100),
        Column("tanggal_sk", gettext_lazy("SK date"), kind="date", required=False),
        Column("aktif_mulai", gettext_lazy("Active from"), kind="date"),
        Column("aktif_sampai", gettext_lazy("Active until"), kind="date", required=False),
        Column(
            "kode_bank", gettext_lazy("Bank code"), kind="identity", required=False, max_length=10
        ),
        Column(
            "nomor_rekening",
            gettext_lazy("Account number"),
            kind="identity",
            required=False,
            max_length=30,
        ),
        Column(
            "nama_pemilik_rekening", gettext_lazy("Account holder"), required=False, max_length=150
        ),
        Column(
            "nip_pegawai",
            gettext_lazy("NIP of the employee record (Jatim Social Care)"),
            kind="identity",
            required=False,
            max_length=18,
        ),
    )
    sample_rows = (
        {
            "jenis_pilar": "tksk", "peran": "anggota", "nik": "3578011705900001",
            "nama": "Budi Santoso", "jenis_kelamin": "L", "tanggal_lahir": "17-05-1990",
            "kode_kabupaten": "35.78", "kode_kecamatan": "35.78.01", "nomor_sk": "188/123/KPTS/013/2025",
            "tanggal_sk": "02-01-2025", "aktif_mulai": "01-01-2025", "kode_bank": "114",
            "nomor_rekening": "0012345678", "nama_pemilik_rekening": "BUDI SANTOSO",
        },
    )  # fmt: skip

    def prepare(self, *, actor: Any) -> None:
        self.type_objects = {t.code: t for t in PillarType.objects.all()}
        self.types = {code: t.pk for code, t in self.type_objects.items()}
        self.exclusive = set(
            PillarType.objects.filter(one_per_district=True).values_list("code", flat=True)
        )
        self.banks = {b.code: b for b in Bank.objects.all()}
        self.districts = district_code_set()
        self.regencies = set(Region.objects.filter(level=2).values_list("code", flat=True))
        self.existing = set(Member.objects.values_list("pillar_type__code", "nik"))
        self.accounts = set(
            Member.objects.exclude(account_number="").values_list("bank__code", "account_number")
        )
        self.taken = set(
            Member.objects.filter(district_exclusive=True)
            .exclude(status=MemberStatus.ENDED)
            .values_list("district_id", flat=True)
        )
        self.seen: set[tuple[str, str]] = set()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors: list[RowError] = []
        type_code = row["jenis_pilar"].strip().lower()
        if type_code not in self.types:
            errors.append(
                RowError(
                    _("Unknown pillar type %(code)s. Use one of: %(allowed)s.")
                    % {"code": row["jenis_pilar"], "allowed": ", ".join(sorted(self.types))},
                    column="jenis_pilar",
                )
            )
        row["jenis_pilar"] = type_code
        row["peran"] = row.get("peran") or "member"
        try:
            parse_nik(
                row["nik"],
                birth_date=row["tanggal_lahir"],
                sex=row["jenis_kelamin"],
                district_exists=self.districts.__contains__,
            )
        except IdentityError as error:
            errors += [RowError(p.message, column="nik") for p in error.problems]
        key = (type_code, row["nik"])
        if key in self.seen:
            errors.append(
                RowError(
                    _("This NIK appears twice for the same pillar type in the file."), column="nik"
                )
            )
        self.seen.add(key)
        if row["kode_kabupaten"] not in self.regencies:
            errors.append(
                RowError(
                    _("%(code)s is not a regency/city code (e.g. 35.78).")
                    % {"code": row["kode_kabupaten"]},
                    column="kode_kabupaten",
                )
            )
        district = row.get("kode_kecamatan")
        if district and (
            district not in self.districts or not district.startswith(f"{row['kode_kabupaten']}.")
        ):
            errors.append(
                RowError(
                    _("%(code)s is not a kecamatan of the regency/city.") % {"code": district},
                    column="kode_kecamatan",
                )
            )
        if type_code in self.exclusive and key not in self.existing:
            if not district:
                errors.append(
                    RowError(_("A TKSK needs the kecamatan code."), column="kode_kecamatan")
                )
            elif district in self.taken:
                errors.append(
                    RowError(
                        _("Kecamatan %(code)s already has a TKSK whose service has not ended.")
                        % {"code": district},
                        column="kode_kecamatan",
                    )
                )
            else:
                self.taken.add(district)
        bank = self.banks.get(row.get("kode_bank") or "") if row.get("kode_bank") else None
        if row.get("kode_bank") and bank is None:
            errors.append(
                RowError(
                    _("Unknown bank code %(code)s.") % {"code": row.get("kode_bank")},
                    column="kode_bank",
                )
            )
        elif bank is not None or row.get("nomor_rekening"):
            try:
                number, holder = services.check_account(
                    bank, row.get("nomor_rekening") or "", row.get("nama_pemilik_rekening") or ""
                )
            except ApplicationError as error:
                errors.append(RowError(error.message, column="nomor_rekening"))
            else:
                if normalise_name(holder) != normalise_name(row["nama"]):
                    errors.append(
                        RowError(
                            _(
                                "The account holder is not the member's name: register this member in the form, where an officer can confirm the account."
                            ),
                            column="nama_pemilik_rekening",
                        )
                    )
                account = (row.get("kode_bank") or "", number)
                if key not in self.existing and account in self.accounts:
                    errors.append(
                        RowError(
                            _("This account number is already registered for another member."),
                            column="nomor_rekening",
                        )
                    )
                self.accounts.add(account)
        if row.get("nip_pegawai") and type_code in self.types:
            try:
                services.check_employee(
                    self.type_objects[type_code],
                    row.get("nip_pegawai") or "",
                    born_on=row["tanggal_lahir"],
                    sex=row["jenis_kelamin"],
                )
            except ApplicationError as error:
                errors.append(RowError(error.message, column="nip_pegawai"))
        if errors:
            raise RowErrors(errors)
        return row

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        types = {t.code: t for t in PillarType.objects.all()}
        banks = {b.code: b for b in Bank.objects.all()}
        regions = Region.objects.in_bulk(field_name="code")  # small table: 38 + 666 codes in Jatim
        existing = set(Member.objects.values_list("pillar_type__code", "nik"))
        for number, row in rows.with_row_numbers():
            if (row["jenis_pilar"], row["nik"]) in existing:
                result.unchanged += 1
                continue
            district = row.get("kode_kecamatan")
            bank = row.get("kode_bank")
            try:
                services.member_create(
                    actor=actor,
                    unit=actor.unit,
                    pillar_type=types[row["jenis_pilar"]],
                    role=row.get("peran") or "member",
                    nik=row["nik"],
                    name=row["nama"],
                    sex=row["jenis_kelamin"] or Sex.MALE,
                    born_on=row["tanggal_lahir"],
                    phone=row.get("telepon") or "",
                    regency=regions[row["kode_kabupaten"]],
                    district=regions.get(district) if district else None,
                    decree_number=row.get("nomor_sk") or "",
                    decree_on=row.get("tanggal_sk"),
                    active_from=row["aktif_mulai"],
                    active_until=row.get("aktif_sampai"),
                    bank=banks.get(bank) if bank else None,
                    account_number=row.get("nomor_rekening") or "",
                    account_holder=row.get("nama_pemilik_rekening") or "",
                    employee_nip=row.get("nip_pegawai") or "",
                )
            except ApplicationError as exc:
                raise ApplicationError(
                    _("row %(row)d: %(problem)s") % {"row": number, "problem": exc.message}
                ) from exc
            result.created += 1
        return result


register(MemberImport())

"""Import of existing client lists ("rehabilitation.clients") through the core import engine.

One row is one client admitted into a UPT: the person is registered (or, when the NIK is already
known, the existing person is reused: one NIK is one person in every UPT) and a case is opened at
the first stage. Every row is checked first (NIK/KK with the core identity parsers against the real
kecamatan codes, village codes, PPKS category by code or name, dates, likely duplicates) with no
query per row; the file is then applied set-based in the batch's one transaction, or not at all.
Importing the same file again changes nothing: a row whose person already has the same open case
(same UPT, same admission date) is counted as unchanged.

Columns: docs/guide/10-rehabilitasi.md ("Impor daftar penerima manfaat"); sample file:
rehabilitation/data/contoh-impor-penerima-manfaat.xlsx (made by `write_sample()` below).
"""

import datetime as dt
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.permissions import scope_queryset
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, Sex, parse_kk, parse_nik
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
from sinergi.organisation.models import Region, Unit
from sinergi.rehabilitation.models import (
    Case,
    CaseEvent,
    Client,
    DisabilityType,
    PpksCategory,
    ReferralSource,
    Stage,
)

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "contoh-impor-penerima-manfaat.xlsx"
WORKER_ROLES = ("social_worker", "head_of_upt")

SEX_CHOICES = {
    "l": Sex.MALE.value,
    "laki-laki": Sex.MALE.value,
    "laki laki": Sex.MALE.value,
    "p": Sex.FEMALE.value,
    "perempuan": Sex.FEMALE.value,
}


def _by_code_or_name(model: Any) -> dict[str, int]:
    """{code or name, case-folded: id} of the active entries of a reference list."""
    lookup: dict[str, int] = {}
    for pk, code, name in model.objects.filter(is_active=True).values_list("pk", "code", "name"):
        lookup[code.casefold()] = pk
        lookup[name.strip().casefold()] = pk
    return lookup


class ClientImport(ImportSpec):
    code = "rehabilitation.clients"
    title = gettext_lazy("Rehabilitation clients")
    permission = "rehabilitation.import_client"
    description = gettext_lazy(
        "Existing client lists of a UPT: one row per client with identity, address (village "
        "code), PPKS category and admission date. Each row opens a case at the first stage in the "
        "UPT; a NIK already registered reuses that person. Importing the same file again changes "
        "nothing."
    )
    natural_key = ()  # NIK may be empty; duplicates are checked in clean_row
    columns = (
        Column(
            "nik",
            gettext_lazy("NIK"),
            kind="identity",
            required=False,
            max_length=16,
            help_text=gettext_lazy(
                "16 digits (format the cell as Text). Empty only with a reason."
            ),
        ),
        Column(
            "alasan_tanpa_nik",
            gettext_lazy("Reason there is no NIK yet"),
            required=False,
            max_length=255,
            help_text=gettext_lazy("Only when the NIK is empty, e.g. “found in a street raid”."),
        ),
        Column(
            "no_kk",
            gettext_lazy("KK number"),
            kind="identity",
            required=False,
            max_length=16,
            aliases=("kk", "nomor_kk"),
        ),
        Column("nama", gettext_lazy("Full name"), max_length=150, aliases=("nama_lengkap",)),
        Column(
            "jenis_kelamin",
            gettext_lazy("Sex"),
            choices=SEX_CHOICES,
            help_text=gettext_lazy("L or P."),
        ),
        Column("tempat_lahir", gettext_lazy("Place of birth"), required=False, max_length=100),
        Column("tanggal_lahir", gettext_lazy("Date of birth"), kind="date"),
        Column("alamat", gettext_lazy("Address"), required=False, max_length=255),
        Column(
            "kode_desa",
            gettext_lazy("Village code"),
            max_length=13,
            help_text=gettext_lazy("Kemendagri code of the desa/kelurahan, e.g. 35.14.01.2001."),
        ),
        Column(
            "kategori_ppks",
            gettext_lazy("PPKS category"),
            max_length=200,
            help_text=gettext_lazy("Code (e.g. LUT) or name (e.g. Lanjut Usia Terlantar)."),
        ),
        Column(
            "jenis_disabilitas",
            gettext_lazy("Disability type"),
            required=False,
            max_length=200,
            help_text=gettext_lazy("Code or name, when the client has a disability."),
        ),
        Column(
            "sumber_rujukan",
            gettext_lazy("Referral source"),
            max_length=200,
            help_text=gettext_lazy("Code (e.g. keluarga) or name of the referral source."),
        ),
        Column(
            "nama_wali", gettext_lazy("Guardian or family contact"), required=False, max_length=150
        ),
        Column("hubungan_wali", gettext_lazy("Relationship"), required=False, max_length=60),
        Column("telepon_wali", gettext_lazy("Guardian's phone"), required=False, max_length=40),
        Column("desil_dtsen", gettext_lazy("DTSEN decile"), kind="int", required=False),
        Column("tanggal_masuk", gettext_lazy("Admitted on"), kind="date"),
        Column(
            "kode_upt",
            gettext_lazy("UPT code"),
            required=False,
            max_length=50,
            help_text=gettext_lazy("Empty: your own UPT. Otherwise a UPT code of your scope."),
        ),
        Column(
            "peksos",
            gettext_lazy("Social worker (username)"),
            required=False,
            max_length=150,
            help_text=gettext_lazy("Username of the social worker in charge, of the same UPT."),
        ),
        Column(
            "orang_berbeda",
            gettext_lazy("Different person"),
            kind="bool",
            required=False,
            help_text=gettext_lazy(
                "“ya” when a client with the same name, birth date and regency exists but this is "
                "another person."
            ),
        ),
    )
    sample_rows = (
        {
            "nik": "3514015403500001",
            "no_kk": "3514011201100001",
            "nama": "Siti Aminah",
            "jenis_kelamin": "P",
            "tempat_lahir": "Pasuruan",
            "tanggal_lahir": dt.date(1950, 3, 14),
            "alamat": "Dusun Krajan RT 01 RW 02",
            "kode_desa": "35.14.01.2001",
            "kategori_ppks": "LUT",
            "sumber_rujukan": "keluarga",
            "nama_wali": "Ahmad Fauzi",
            "hubungan_wali": "Anak",
            "tanggal_masuk": dt.date(2026, 1, 5),
        },
        {
            "alasan_tanpa_nik": "Ditemukan saat razia, tanpa dokumen",
            "nama": "Slamet",
            "jenis_kelamin": "L",
            "tanggal_lahir": dt.date(1960, 1, 1),
            "kode_desa": "35.14.01.2001",
            "kategori_ppks": "Gelandangan",
            "sumber_rujukan": "satpol-pp",
            "tanggal_masuk": dt.date(2026, 1, 6),
        },
    )

    # Values clean_row hands to apply (kept in the staging file between the two steps).
    STAGED = (
        ("nik", "text"),
        ("no_nik_reason", "text"),
        ("kk_number", "text"),
        ("name", "text"),
        ("sex", "text"),
        ("birth_place", "text"),
        ("birth_on", "date"),
        ("address", "text"),
        ("village_id", "text"),
        ("ppks_category_id", "int"),
        ("disability_type_id", "int"),
        ("referral_source_id", "int"),
        ("guardian_name", "text"),
        ("guardian_relationship", "text"),
        ("guardian_phone", "text"),
        ("dtsen_desil", "int"),
        ("admitted_on", "date"),
        ("unit_id", "int"),
        ("social_worker_id", "int"),
        ("client_id", "text"),
        ("unchanged", "bool"),
    )

    def staged_fields(self) -> list[tuple[str, str]]:
        return list(self.STAGED)

    def prepare(self, *, actor: Any) -> None:
        self.today = timezone.localdate()
        self.districts = district_code_set()
        self.villages = set(
            Region.objects.filter(level=Region.Level.VILLAGE).values_list("code", flat=True)
        )
        self.categories = _by_code_or_name(PpksCategory)
        self.disabilities = _by_code_or_name(DisabilityType)
        self.referrals = _by_code_or_name(ReferralSource)
        units = scope_queryset(
            Unit.objects.filter(unit_type__is_service_unit=True, is_active=True),
            actor,
            unit_path_field="path",
        )
        self.units = dict(units.values_list("code", "pk"))
        own = getattr(actor, "unit_id", None)
        self.default_unit = own if own in self.units.values() else None
        self.workers = {
            username.casefold(): (pk, unit_id)
            for username, pk, unit_id in get_user_model()
            .objects.filter(
                unit_id__in=self.units.values(), is_active=True, roles__code__in=WORKER_ROLES
            )
            .values_list("username", "pk", "unit_id")
            .distinct()
        }
        # NIK -> client id, and the open case of each person (unit, admission date).
        self.known_niks = dict(Client.objects.filter(nik__isnull=False).values_list("nik", "pk"))
        self.open_cases: dict[Any, tuple[int, dt.date]] = {
            client_id: (unit_id, admitted_on)
            for client_id, unit_id, admitted_on in Case.objects.filter(
                status=Case.Status.OPEN
            ).values_list("client_id", "unit_id", "admitted_on")
        }
        # (name, birth date, regency) of every client: the likely-duplicate check of intake.
        self.people: dict[tuple[str, dt.date, str], Any] = {
            (name.strip().casefold(), birth_on, regency): pk
            for pk, name, birth_on, regency in Client.objects.values_list(
                "pk", "name", "birth_on", "regency_id"
            )
        }
        self.niks_in_file: set[str] = set()

    def _reference(self, lookup: dict[str, int], value: str | None, column: str) -> int | None:
        if not value:
            return None
        found = lookup.get(value.strip().casefold())
        if found is None:
            raise RowError(
                _("“%(value)s” is not a known code or name. Use a code from the guide's list.")
                % {"value": value},
                column=column,
            )
        return found

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors: list[RowError] = []
        nik = row["nik"] or None
        birth_on: dt.date = row["tanggal_lahir"]
        admitted_on: dt.date = row["tanggal_masuk"]
        if birth_on > self.today:
            errors.append(
                RowError(
                    _("The date of birth %(date)s is in the future. Correct it.")
                    % {"date": birth_on.strftime("%d-%m-%Y")},
                    column="tanggal_lahir",
                )
            )
        if admitted_on > self.today or admitted_on < birth_on:
            errors.append(
                RowError(
                    _("The admission date must lie between the date of birth and today."),
                    column="tanggal_masuk",
                )
            )
        if nik:
            try:
                parse_nik(
                    nik,
                    birth_date=birth_on,
                    sex=row["jenis_kelamin"],
                    district_exists=self.districts.__contains__,
                    today=self.today,
                )
            except IdentityError as error:
                errors.extend(RowError(p.message, column="nik") for p in error.problems)
            if nik in self.niks_in_file:
                errors.append(
                    RowError(
                        _("This NIK appears more than once in the file. Keep one row per person."),
                        column="nik",
                    )
                )
            self.niks_in_file.add(nik)
        elif not row["alasan_tanpa_nik"]:
            errors.append(
                RowError(
                    _("Enter the NIK, or say in alasan_tanpa_nik why the client has none yet."),
                    column="nik",
                )
            )
        kk = row["no_kk"] or ""
        if kk:
            try:
                parse_kk(kk, district_exists=self.districts.__contains__, today=self.today)
            except IdentityError as error:
                errors.extend(RowError(p.message, column="no_kk") for p in error.problems)
        village = row["kode_desa"].strip()
        if village not in self.villages:
            errors.append(
                RowError(
                    _(
                        "“%(code)s” is not a village (desa/kelurahan) code. Write the Kemendagri "
                        "code with dots, e.g. 35.14.01.2001."
                    )
                    % {"code": village},
                    column="kode_desa",
                )
            )
        references: dict[str, int | None] = {}
        for key, lookup, column in (
            ("ppks_category_id", self.categories, "kategori_ppks"),
            ("disability_type_id", self.disabilities, "jenis_disabilitas"),
            ("referral_source_id", self.referrals, "sumber_rujukan"),
        ):
            try:
                references[key] = self._reference(lookup, row[column], column)
            except RowError as error:
                errors.append(error)
        desil = row["desil_dtsen"]
        if desil is not None and not 1 <= desil <= 10:
            errors.append(
                RowError(_("The DTSEN decile is a number from 1 to 10."), column="desil_dtsen")
            )
        unit_id = self.default_unit
        if row["kode_upt"]:
            unit_id = self.units.get(row["kode_upt"].strip())
            if unit_id is None:
                errors.append(
                    RowError(
                        _("“%(code)s” is not a UPT of your scope. Use the code on the Units page.")
                        % {"code": row["kode_upt"]},
                        column="kode_upt",
                    )
                )
        elif unit_id is None:
            errors.append(
                RowError(
                    _("You do not work in a UPT: write the UPT code in kode_upt."),
                    column="kode_upt",
                )
            )
        worker_id = None
        if row["peksos"]:
            worker = self.workers.get(row["peksos"].strip().casefold())
            if worker is None or (unit_id is not None and worker[1] != unit_id):
                errors.append(
                    RowError(
                        _("“%(name)s” is not a social worker of this UPT. Check the username.")
                        % {"name": row["peksos"]},
                        column="peksos",
                    )
                )
            else:
                worker_id = worker[0]
        client_id = self.known_niks.get(nik) if nik else None
        unchanged = False
        regency = village[:5]
        if client_id is not None:
            open_case = self.open_cases.get(client_id)
            if open_case == (unit_id, admitted_on):
                unchanged = True  # imported before: the same stay
            elif open_case is not None:
                errors.append(
                    RowError(
                        _(
                            "The person with this NIK already has an open case in a UPT. End or "
                            "transfer that case first, or remove the row."
                        ),
                        column="nik",
                    )
                )
        else:
            existing = self.people.get((row["nama"].strip().casefold(), birth_on, regency))
            if existing is not None:
                open_case = self.open_cases.get(existing)
                if not nik and open_case == (unit_id, admitted_on):
                    unchanged = True
                elif not row["orang_berbeda"]:
                    errors.append(
                        RowError(
                            _(
                                "A client with the same name and date of birth from the same "
                                "regency is already registered. Write their NIK if it is the same "
                                "person, or “ya” in orang_berbeda if it is another person."
                            ),
                            column="nama",
                        )
                    )
        if errors:
            raise RowErrors(errors)
        return {
            "nik": nik,
            "no_nik_reason": "" if nik else row["alasan_tanpa_nik"],
            "kk_number": kk,
            "name": row["nama"].strip(),
            "sex": row["jenis_kelamin"],
            "birth_place": row["tempat_lahir"] or "",
            "birth_on": birth_on,
            "address": row["alamat"] or "",
            "village_id": village,
            "guardian_name": row["nama_wali"] or "",
            "guardian_relationship": row["hubungan_wali"] or "",
            "guardian_phone": row["telepon_wali"] or "",
            "dtsen_desil": desil,
            "admitted_on": admitted_on,
            "unit_id": unit_id,
            "social_worker_id": worker_id,
            "client_id": str(client_id) if client_id else None,
            "unchanged": unchanged,
            **references,
        }

    def display_row(self, row: Mapping[str, Any]) -> list[str]:
        # The preview never shows the full NIK or KK (UU 27/2022): masked like the client list.
        shown = dict(row)
        for key in ("nik", "no_kk"):
            if shown.get(key):
                shown[key] = f"{shown[key][:6]}••••••••••"
        return super().display_row(shown)

    def apply(self, rows: StagedRows, *, actor: Any, batch: ImportBatch) -> ApplyResult:
        result = ApplyResult()
        stage = Stage.objects.first_stage()
        if stage is None:
            raise ApplicationError(
                _("The stages are not set up. Ask the administrator to load the reference data.")
            )
        staged = [row for row in rows if not row["unchanged"]]
        result.unchanged = len(rows) - len(staged)
        reused = {row["client_id"] for row in staged if row["client_id"]}
        if Case.objects.filter(client_id__in=reused, status=Case.Status.OPEN).exists():
            raise ApplicationError(
                _(
                    "a person in the file was admitted elsewhere while the file waited; check "
                    "the file again"
                )
            )
        now = timezone.now()
        new_clients: list[Client] = []
        cases: list[Case] = []
        for row in staged:
            client_id = row["client_id"]
            if client_id is None:
                client = Client(
                    id=uuid.uuid4(),
                    nik=row["nik"],
                    no_nik_reason=row["no_nik_reason"] or "",
                    kk_number=row["kk_number"] or "",
                    name=row["name"],
                    sex=row["sex"],
                    birth_place=row["birth_place"] or "",
                    birth_on=row["birth_on"],
                    address=row["address"] or "",
                    village_id=row["village_id"],
                    regency_id=row["village_id"][:5],
                    ppks_category_id=row["ppks_category_id"],
                    disability_type_id=row["disability_type_id"],
                    referral_source_id=row["referral_source_id"],
                    guardian_name=row["guardian_name"] or "",
                    guardian_relationship=row["guardian_relationship"] or "",
                    guardian_phone=row["guardian_phone"] or "",
                    dtsen_desil=row["dtsen_desil"],
                    created_by=actor,
                )
                new_clients.append(client)
                client_id = client.pk
                result.created += 1
            else:
                result.updated += 1
            cases.append(
                Case(
                    id=uuid.uuid4(),
                    client_id=client_id,
                    unit_id=row["unit_id"],
                    social_worker_id=row["social_worker_id"],
                    stage=stage,
                    admitted_on=row["admitted_on"],
                    stage_entered_at=now,
                )
            )
        Client.objects.bulk_create(new_clients, batch_size=1000)
        Case.objects.bulk_create(cases, batch_size=1000)
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.OPENED,
                    to_stage=stage,
                    notes=_("Imported from a spreadsheet."),
                    actor=actor,
                    at=now,
                )
                for case in cases
            ],
            batch_size=1000,
        )
        return result


def sample_rows() -> list[list[Any]]:
    """The sample file's rows: the header of every column, then the spec's sample rows."""
    keys = [c.key for c in ClientImport.columns]
    return [keys] + [[row.get(key) for key in keys] for row in ClientImport.sample_rows]


def write_sample(path: Path = SAMPLE_PATH) -> Path:
    """(Re)write the sample file shipped in data/ (run from `manage.py shell`, see the guide)."""
    from sinergi.core.tabular.testing import xlsx_bytes

    path.write_bytes(xlsx_bytes(sample_rows(), sheet="Penerima manfaat"))
    return path


register(ClientImport())

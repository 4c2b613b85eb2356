"""The import the P1 benchmark measures: registry rows, every NIK fully validated, set-based upsert.

Validation per row, with no query per row (lookups preloaded in `prepare`):
- NIK: 16 digits, province, kecamatan in the Region table, birth date and sex of the row agree;
- village code exists in the Region table (level 4);
- sex L/P, a real birth date, lengths within the model's limits.
"""

from typing import Any

from django.utils import timezone

from bench.benchapp.models import SyntheticPerson
from sinergi.core.identity import IdentityError, parse_nik
from sinergi.core.tabular import Column, RowError, RowErrors, UpsertSpec, register
from sinergi.organisation.fields import district_code_set
from sinergi.organisation.models import Region


class SyntheticPersonImport(UpsertSpec):
    code = "benchapp.synthetic_people"
    title = "Synthetic registry (benchmark)"
    permission = "benchapp.add_syntheticperson"
    model = SyntheticPerson
    natural_key = ("nik",)
    columns = (
        Column("nik", "NIK", kind="identity", max_length=16),
        Column("name", "Nama", aliases=("nama",), max_length=120),
        Column(
            "sex",
            "Jenis kelamin",
            aliases=("jenis_kelamin",),
            choices={"L": "L", "P": "P", "laki-laki": "L", "perempuan": "P"},
        ),
        Column("birth_on", "Tanggal lahir", kind="date", aliases=("tanggal_lahir",)),
        Column("village_id", "Kode desa", aliases=("kode_desa",), max_length=13),
        Column("phone", "No. HP", required=False, aliases=("no_hp",), max_length=20),
    )

    def prepare(self, *, actor: Any) -> None:
        self.districts = district_code_set()
        self.villages = frozenset(
            Region.objects.filter(level=Region.Level.VILLAGE).values_list("code", flat=True)
        )
        self.today = timezone.localdate()

    def clean_row(self, row: dict[str, Any], *, actor: Any) -> dict[str, Any]:
        errors = []
        try:
            parse_nik(
                row["nik"],
                birth_date=row["birth_on"],
                sex=row["sex"],
                district_exists=self.districts.__contains__,
                today=self.today,
            )
        except IdentityError as error:
            errors.extend(RowError(message, column="nik") for message in error.messages)
        if row["village_id"] not in self.villages:
            errors.append(
                RowError(
                    f"Kode desa {row['village_id']} tidak ada dalam daftar wilayah.",
                    column="village_id",
                )
            )
        if errors:
            raise RowErrors(errors)
        if row["phone"] is None:
            row["phone"] = ""
        return row


register(SyntheticPersonImport())

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.budget.imports import MONTH_KEYS
from sinergi.budget.models import BudgetLine, CashPlan, Realisation
from sinergi.core.models import ImportBatch
from sinergi.core.tabular.testing import import_file, upload_and_validate, xlsx_bytes

pytestmark = pytest.mark.django_db

DPA_HEADER = [
    "tahun", "kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan",
    "kode_sub_kegiatan", "nama_sub_kegiatan", "kode_rekening", "nama_rekening", "kode_unit",
    "pptk", "pagu",
]  # fmt: skip


def _dpa_row(unit_code, account="5.1.02.01.01.0024", pagu=1000000, sub="1.06.04.1.01.0001"):
    return [
        2026, "1.06.04", "Program Rehabilitasi Sosial", "1.06.04.1.01", "Rehabilitasi Dasar",
        sub, "Penyediaan Permakanan", account, "Belanja ATK", unit_code, "Siti", pagu,
    ]  # fmt: skip


@pytest.fixture
def finance(make_user, units):
    return make_user("finance_officer", units.secretariat)


def _import_dpa(finance, units):
    rows = [
        DPA_HEADER,
        _dpa_row(units.upt_a.code),
        _dpa_row(units.upt_b.code, account="5.1.06.01.01.0001", pagu=2000000),
    ]
    return import_file(
        actor=finance, spec_code="budget.dpa_lines", name="dpa.xlsx", content=xlsx_bytes(rows)
    )


def test_dpa_import_creates_the_structure_and_a_reimport_changes_nothing(finance, units):
    batch = _import_dpa(finance, units)
    assert (batch.created_count, batch.status) == (2, ImportBatch.Status.APPLIED)
    line = BudgetLine.objects.get(account_code="5.1.06.01.01.0001")
    assert (line.unit, line.pagu, line.account_class) == (units.upt_b, 2000000, "5.1.06")
    assert line.sub_kegiatan.kegiatan.program.code == "1.06.04"
    again = _import_dpa(finance, units)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_dpa_import_reports_unknown_units_per_row(finance, units):
    rows = [DPA_HEADER, _dpa_row("no-such-unit")]
    batch = upload_and_validate(
        actor=finance, spec_code="budget.dpa_lines", name="dpa.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert "no-such-unit" in batch.errors[0]["message"]
    assert not BudgetLine.objects.exists()


def test_cash_plan_import_sets_twelve_months(finance, units):
    _import_dpa(finance, units)
    rows = [
        ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit", *MONTH_KEYS],
        [2026, "1.06.04.1.01.0001", "5.1.02.01.01.0024", units.upt_a.code, *([100000] * 10), 0, 0],
    ]
    batch = import_file(
        actor=finance, spec_code="budget.cash_plan", name="kas.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.created_count == 1
    assert sum(CashPlan.objects.values_list("amount", flat=True)) == Decimal("1000000")


def test_cash_plan_import_rejects_unknown_lines(finance, units):
    _import_dpa(finance, units)
    rows = [
        ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit", "jan"],
        [2026, "9.99", "5.1", units.upt_a.code, 1],
    ]
    batch = upload_and_validate(
        actor=finance, spec_code="budget.cash_plan", name="kas.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert "9.99 / 5.1" in batch.errors[0]["message"]


SP2D_HEADER = [
    "tahun",
    "nomor_sp2d",
    "tanggal",
    "jenis",
    "kode_sub_kegiatan",
    "kode_rekening",
    "nilai",
    "kode_unit",
]


def test_sp2d_import_groups_rows_of_one_number_and_skips_recorded_ones(finance, units):
    _import_dpa(finance, units)
    UNIT = units.upt_a.code
    rows = [
        SP2D_HEADER,
        [2026, "001/LS", dt.date(2026, 2, 3), "LS", "1.06.04.1.01.0001", "5.1.02.01.01.0024", 300000, UNIT],
        [2026, "001/LS", dt.date(2026, 2, 3), "LS", "1.06.04.1.01.0001", "5.1.06.01.01.0001", 500000, units.upt_b.code],
        [2026, "002/GU", dt.date(2026, 3, 9), "gu", "1.06.04.1.01.0001", "5.1.02.01.01.0024", 100000, UNIT],
    ]  # fmt: skip
    content = xlsx_bytes(rows)
    import_file(actor=finance, spec_code="budget.realisations", name="sp2d.xlsx", content=content)
    first = Realisation.objects.get(sp2d_number="001/LS")
    assert (first.amount, first.allocations.count()) == (Decimal("800000"), 2)
    assert Realisation.objects.get(sp2d_number="002/GU").sp2d_type == "GU"
    again = import_file(
        actor=finance, spec_code="budget.realisations", name="sp2d.xlsx", content=content
    )
    assert (again.created_count, again.unchanged_count) == (0, 3)
    assert Realisation.objects.count() == 2


def test_sp2d_import_refuses_amounts_above_the_pagu_and_dates_outside_the_year(finance, units):
    _import_dpa(finance, units)
    UNIT = units.upt_a.code
    rows = [
        SP2D_HEADER,
        [2026, "A", dt.date(2026, 2, 3), "LS", "1.06.04.1.01.0001", "5.1.02.01.01.0024", 600000, UNIT],
        [2026, "B", dt.date(2026, 2, 4), "LS", "1.06.04.1.01.0001", "5.1.02.01.01.0024", 400001, UNIT],
        [2026, "C", dt.date(2025, 2, 4), "LS", "1.06.04.1.01.0001", "5.1.02.01.01.0024", 1, UNIT],
    ]  # fmt: skip
    batch = upload_and_validate(
        actor=finance, spec_code="budget.realisations", name="sp2d.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.status == ImportBatch.Status.INVALID
    messages = [e["message"] for e in batch.errors]
    assert any("Rp 400.000" in m and "Rp 1.000.000" in m for m in messages)
    assert any("04-02-2025" in m for m in messages)
    assert not Realisation.objects.exists()


def test_sample_files_import_cleanly(finance, units):
    from pathlib import Path

    from sinergi.organisation import services as org_services
    from sinergi.organisation.models import UnitType

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    org_services.unit_create(
        actor=None,
        code="upt-pstw-jember",
        name="UPT PSTW Jember",
        unit_type=UnitType.objects.get(code="upt"),
        parent=units.rehab_division,
    )
    for spec, name in [
        ("budget.dpa_lines", "dpa_2026.xlsx"),
        ("budget.cash_plan", "anggaran_kas_2026.xlsx"),
        ("budget.realisations", "sp2d_2026.xlsx"),
        ("budget.physical_progress", "realisasi_fisik_2026.xlsx"),
    ]:
        batch = import_file(
            actor=finance, spec_code=spec, name=name, content=(samples / name).read_bytes()
        )
        assert batch.status == ImportBatch.Status.APPLIED, spec
    assert Realisation.objects.exists()
    # the sample's third line has a quarterly plan of 45.000.000 a quarter: 15.000.000 a month
    quarterly = BudgetLine.objects.get(account_code="5.1.02.02.01.0026")
    assert list(quarterly.cash_plan.values_list("amount", flat=True)) == [Decimal(15000000)] * 12
    assert quarterly.fiscal_year.budgetline_set.count() == 3
    from sinergi.budget.models import PhysicalProgress

    assert PhysicalProgress.objects.count() == 4


PROVINCIAL_HEADER = ["tahun", "bulan", "nama_dinas", "pagu", "realisasi", "dinas_ini"]


def _import_provincial(finance, rows):
    return import_file(
        actor=finance,
        spec_code="budget.provincial_offices",
        name="dinas.xlsx",
        content=xlsx_bytes([PROVINCIAL_HEADER, *rows]),
    )


def test_provincial_import_is_idempotent_and_updates_changed_figures(finance):
    from sinergi.budget.models import ProvincialOffice

    rows = [
        [2026, 8, "Dinas Sosial Provinsi Jawa Timur", 1000, 466, "ya"],
        [2026, 8, "Dinas Kesehatan Provinsi Jawa Timur", 2000, 1200, ""],
    ]
    batch = _import_provincial(finance, rows)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 2)
    again = _import_provincial(finance, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    rows[1][4] = 1300
    changed = _import_provincial(finance, rows)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 1)
    assert list(
        ProvincialOffice.objects.order_by("office_name").values_list(
            "office_name", "realisation", "is_own_office"
        )
    ) == [
        ("Dinas Kesehatan Provinsi Jawa Timur", Decimal("1300.00"), False),
        ("Dinas Sosial Provinsi Jawa Timur", Decimal("466.00"), True),
    ]


def test_provincial_import_refuses_bad_month_duplicates_and_two_own_rows(finance):
    from sinergi.budget.models import ProvincialOffice

    batch = upload_and_validate(
        actor=finance,
        spec_code="budget.provincial_offices",
        name="dinas.xlsx",
        content=xlsx_bytes(
            [
                PROVINCIAL_HEADER,
                [2026, 13, "Dinas A", 1000, 10, ""],
                [2026, 8, "Dinas B", 1000, 10, "ya"],
                [2026, 8, "Dinas  B", 1000, 10, ""],
                [2026, 8, "Dinas C", 1000, 10, "ya"],
            ]
        ),
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert sorted({(e["row"], e["column"]) for e in batch.errors}) == [
        (2, "bulan"),
        (4, "nama_dinas"),
        (5, "dinas_ini"),
    ]
    assert not ProvincialOffice.objects.exists()


def test_provincial_sample_file_imports_cleanly_and_ranks_the_office(finance):
    from pathlib import Path

    from sinergi.budget import selectors
    from sinergi.budget.models import FiscalYear

    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "dinas_provinsi_2026.xlsx"
    batch = import_file(
        actor=finance,
        spec_code="budget.provincial_offices",
        name=sample.name,
        content=sample.read_bytes(),
    )
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 12)
    ranking = selectors.provincial_ranking(fiscal_year=FiscalYear.objects.get(year=2026), month=8)
    assert (ranking.rank, ranking.total) == (11, 12)


# --- Set-based apply of the DPA and cash plan ---------------------------------------------------


def _dpa(finance, rows):
    return import_file(
        actor=finance, spec_code="budget.dpa_lines", name="dpa.xlsx", content=xlsx_bytes(rows)
    )


def test_dpa_reimport_with_a_new_pagu_and_name_updates_and_keeps_the_history(finance, units):
    from sinergi.audit.models import AuditEvent
    from sinergi.budget.models import BudgetRevision

    _import_dpa(finance, units)
    events = AuditEvent.objects.count()
    changed = _dpa_row(units.upt_a.code, pagu=1500000)
    changed[8] = "Belanja Alat Tulis Kantor"
    batch = _dpa(
        finance,
        [
            DPA_HEADER,
            changed,
            _dpa_row(units.upt_b.code, account="5.1.06.01.01.0001", pagu=2000000),
            _dpa_row(units.upt_b.code, account="5.1.02.01.01.0099", pagu=300000),
        ],
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)
    line = BudgetLine.objects.get(unit=units.upt_a)
    assert (line.pagu, line.account_name) == (Decimal("1500000"), "Belanja Alat Tulis Kantor")
    assert list(line.revisions.values_list("kind", "old_pagu", "new_pagu")) == [
        ("initial", Decimal("0"), Decimal("1000000")),
        ("amendment", Decimal("1000000"), Decimal("1500000")),
    ]
    new = BudgetLine.objects.get(account_code="5.1.02.01.01.0099")
    assert list(new.revisions.values_list("kind", "new_pagu")) == [("initial", Decimal("300000"))]
    assert BudgetRevision.objects.count() == 4
    # one audit event for the applied batch (set-based bulk work), none per line
    assert list(AuditEvent.objects.order_by("pk")[events:].values_list("action", flat=True)) == [
        "core.import_applied"
    ]


def test_dpa_import_refuses_a_pagu_below_what_was_realised(finance, units):
    from sinergi.budget import services

    _import_dpa(finance, units)
    line = BudgetLine.objects.get(unit=units.upt_a)
    services.realisation_create(
        actor=None,
        fiscal_year=line.fiscal_year,
        sp2d_number="X-1",
        paid_on=dt.date(2026, 3, 1),
        sp2d_type="LS",
        allocations={line: Decimal("800000")},
    )
    batch = upload_and_validate(
        actor=finance,
        spec_code="budget.dpa_lines",
        name="dpa.xlsx",
        content=xlsx_bytes([DPA_HEADER, _dpa_row(units.upt_a.code, pagu=700000)]),
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "pagu")]
    assert "Rp 800.000" in batch.errors[0]["message"]
    line.refresh_from_db()
    assert line.pagu == Decimal("1000000")


def test_dpa_import_of_a_closed_year_is_refused_and_nothing_is_saved(finance, units):
    from sinergi.budget import services
    from sinergi.budget.models import FiscalYear

    year = services.fiscal_year_get_or_create(actor=None, year=2026)
    services.fiscal_year_set_status(actor=None, fiscal_year=year, status=FiscalYear.Status.CLOSED)
    batch = upload_and_validate(
        actor=finance,
        spec_code="budget.dpa_lines",
        name="dpa.xlsx",
        content=xlsx_bytes([DPA_HEADER, _dpa_row(units.upt_a.code)]),
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert "2026" in batch.errors[0]["message"]
    assert not BudgetLine.objects.exists()


def test_cash_plan_reimport_counts_lines_and_writes_only_changed_ones(finance, units):
    from sinergi.budget import selectors
    from sinergi.budget.models import FiscalYear

    _import_dpa(finance, units)
    header = ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit", *MONTH_KEYS]
    a = [2026, "1.06.04.1.01.0001", "5.1.02.01.01.0024", units.upt_a.code, *([100000] * 10), 0, 0]
    b = [2026, "1.06.04.1.01.0001", "5.1.06.01.01.0001", units.upt_b.code, *([100000] * 12)]
    first = import_file(
        actor=finance,
        spec_code="budget.cash_plan",
        name="kas.xlsx",
        content=xlsx_bytes([header, a, b]),
    )
    assert (first.created_count, first.updated_count, first.unchanged_count) == (2, 0, 0)
    b[-1] = 900000  # December changes: the plan of line b now adds up to its pagu of 2,000,000
    again = import_file(
        actor=finance,
        spec_code="budget.cash_plan",
        name="kas.xlsx",
        content=xlsx_bytes([header, a, b]),
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert CashPlan.objects.count() == 24
    line_b = BudgetLine.objects.get(unit=units.upt_b)
    assert line_b.cash_plan.get(month=12).amount == Decimal("900000")
    # the summaries followed: no line is flagged any more
    finance_year = FiscalYear.objects.get(year=2026)
    assert selectors.mismatch_count(viewer=finance, fiscal_year=finance_year) == 0


# --- Quarterly cash plans -----------------------------------------------------------------------

KAS_HEADER = ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit"]


def test_a_quarterly_cash_plan_is_split_over_the_months(finance, units):
    _import_dpa(finance, units)
    rows = [
        [*KAS_HEADER, "tw1", "tw2", "tw3", "tw4"],
        [2026, "1.06.04.1.01.0001", "5.1.02.01.01.0024", units.upt_a.code, 100, 300000, 0, 699900],
    ]
    batch = import_file(
        actor=finance, spec_code="budget.cash_plan", name="kas.xlsx", content=xlsx_bytes(rows)
    )
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 1)
    line = BudgetLine.objects.get(unit=units.upt_a)
    assert list(line.cash_plan.order_by("month").values_list("amount", flat=True)) == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34"),
        Decimal("100000"), Decimal("100000"), Decimal("100000"),
        Decimal("0"), Decimal("0"), Decimal("0"),
        Decimal("233300"), Decimal("233300"), Decimal("233300"),
    ]  # fmt: skip
    assert sum(line.cash_plan.values_list("amount", flat=True)) == line.pagu


def test_a_row_with_both_months_and_quarters_is_refused(finance, units):
    _import_dpa(finance, units)
    rows = [
        [*KAS_HEADER, "jan", "tw1", "tw2"],
        [2026, "1.06.04.1.01.0001", "5.1.02.01.01.0024", units.upt_a.code, 5, 100, None],
        [2026, "1.06.04.1.01.0001", "5.1.06.01.01.0001", units.upt_b.code, None, -3, 1],
    ]
    batch = upload_and_validate(
        actor=finance, spec_code="budget.cash_plan", name="kas.xlsx", content=xlsx_bytes(rows)
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "tw1"), (3, "tw1")]
    assert "jan ... des" in batch.errors[0]["message"]
    assert "negatif" in batch.errors[1]["message"]
    assert not CashPlan.objects.exists()


def test_a_line_twice_in_a_cash_plan_file_is_reported(finance, units):
    _import_dpa(finance, units)
    row = [2026, "1.06.04.1.01.0001", "5.1.02.01.01.0024", units.upt_a.code, 1]
    batch = upload_and_validate(
        actor=finance,
        spec_code="budget.cash_plan",
        name="kas.xlsx",
        content=xlsx_bytes([[*KAS_HEADER, "jan"], row, row]),
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert [e["row"] for e in batch.errors] == [3]
    assert "baris 2" in batch.errors[0]["message"]


# --- Physical progress ---------------------------------------------------------------------------

PROGRESS_HEADER = ["tahun", "kode_sub_kegiatan", "kode_unit", "bulan", "persen", "pptk"]


def _progress(finance, rows, validate_only=False):
    run = upload_and_validate if validate_only else import_file
    return run(
        actor=finance,
        spec_code="budget.physical_progress",
        name="fisik.xlsx",
        content=xlsx_bytes([PROGRESS_HEADER, *rows]),
    )


def test_progress_import_sets_each_units_progress_and_a_reimport_changes_nothing(finance, units):
    from sinergi.audit.models import AuditEvent
    from sinergi.budget.models import PhysicalProgress

    _import_dpa(finance, units)  # both units carry sub kegiatan 1.06.04.1.01.0001
    rows = [
        [2026, "1.06.04.1.01.0001", units.upt_a.code, 3, 40, "Siti"],
        [2026, "1.06.04.1.01.0001", units.upt_b.code, 3, 75.5, "Agus"],
    ]
    batch = _progress(finance, rows)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 2)
    assert list(
        PhysicalProgress.objects.order_by("unit__code").values_list(
            "unit__code", "month", "percent", "reported_by"
        )
    ) == [
        (units.upt_b.code, 3, Decimal("75.50"), "Agus"),
        (units.upt_a.code, 3, Decimal("40.00"), "Siti"),
    ]
    again = _progress(finance, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    rows[0][4] = 45
    changed = _progress(finance, rows)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 1)
    applied = AuditEvent.objects.filter(action="core.import_applied").count()
    assert applied == 4  # one event per batch (the DPA and three progress files)


def test_progress_import_refuses_bad_rows_and_saves_nothing(finance, units):
    from sinergi.budget.models import PhysicalProgress

    _import_dpa(finance, units)
    batch = _progress(
        finance,
        [
            [2026, "1.06.04.1.01.0001", units.upt_a.code, 13, 40, "Siti"],
            [2026, "1.06.04.1.01.0001", units.upt_a.code, 4, 100.5, "Siti"],
            [2026, "1.06.04.1.01.0001", units.empowerment_division.code, 4, 10, "Siti"],
            [2026, "1.06.04.1.01.0001", units.upt_a.code, 5, 10, ""],
        ],
        validate_only=True,
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (2, "bulan"),
        (3, "persen"),
        (4, "kode_sub_kegiatan"),
        (5, "pptk"),
    ]
    assert "bidang-dayasos" in batch.errors[2]["message"]
    assert not PhysicalProgress.objects.exists()

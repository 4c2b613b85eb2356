"""Pages of milestones, the provincial offices table, pagu revisions and physical progress."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.budget import services
from sinergi.budget.models import BudgetRevision, FiscalYear, Milestone, PhysicalProgress

pytestmark = pytest.mark.django_db


def _offices(budget, n, month=3):
    for i in range(n):
        services.provincial_office_save(
            actor=None,
            fiscal_year=budget.year,
            month=month,
            office_name=f"Dinas {i:02d} Provinsi Jawa Timur",
            pagu=Decimal(1000),
            realisation=Decimal(10 * i),
            is_own_office=i == 0,
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- Milestones ---------------------------------------------------------------------------------


def test_milestone_list_authorization(budget, people):
    # Milestones are office-wide targets: every reader of the budget sees the same list.
    assert_authorization(
        url="/anggaran/target/?tahun=2026",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("finance officer", people["finance"], 200),
        ],
    )


def test_milestone_list_shows_targets_and_edit_buttons_only_to_finance(budget, people):
    client = Client()
    client.force_login(people["head_a"])
    content = client.get("/anggaran/target/?tahun=2026").content.decode()
    assert "30 April 2026" in content
    assert 'data-testid="add-milestone"' not in content
    client.force_login(people["finance"])
    content = client.get("/anggaran/target/?tahun=2026").content.decode()
    assert 'data-testid="add-milestone"' in content


def test_milestone_create_authorization(budget, people):
    def state():
        return list(Milestone.objects.order_by("due_on").values_list("due_on", "target_percent"))

    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of a UPT (reads only)", people["head_a"], 403),
        ("head of office (reads only)", people["head"], 403),
        ("finance officer", people["finance"], 302),
    ]:
        assert_authorization(
            url="/anggaran/target/baru/?tahun=2026",
            method="post",
            data={"due_on": "2026-08-31", "target_percent": "60", "source": "Arahan kepala"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == [
        (dt.date(2026, 4, 30), Decimal("50.00")),
        (dt.date(2026, 8, 31), Decimal("60.00")),
    ]


def test_milestone_edit_changes_the_target_but_keeps_the_date(budget, people):
    milestone = Milestone.objects.get()
    client = Client()
    client.force_login(people["finance"])
    response = client.post(
        f"/anggaran/target/{milestone.pk}/ubah/",
        {"due_on": "2026-12-31", "target_percent": "55", "source": "revisi"},
    )
    assert response.status_code == 302
    assert list(Milestone.objects.values_list("due_on", "target_percent", "source")) == [
        (dt.date(2026, 4, 30), Decimal("55.00"), "revisi")
    ]


def test_milestone_edit_of_a_missing_milestone_is_404(budget, people):
    client = Client()
    client.force_login(people["finance"])
    assert client.get("/anggaran/target/999999/ubah/").status_code == 404


def test_milestone_outside_the_year_is_refused_with_the_reason(budget, people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post(
        "/anggaran/target/baru/?tahun=2026",
        {"due_on": "2027-01-31", "target_percent": "90"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="form-errors"' in content
    assert "31-01-2027" in content
    assert Milestone.objects.count() == 1


# --- Provincial offices ---------------------------------------------------------------------------


def test_provincial_list_authorization(budget, people):
    _offices(budget, 3)
    assert_authorization(
        url="/anggaran/provinsi/?tahun=2026&bulan=3",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_provincial_list_ranks_the_offices_and_marks_this_office(budget, people):
    _offices(budget, 3)
    client = Client()
    client.force_login(people["head"])
    content = client.get("/anggaran/provinsi/?tahun=2026&bulan=3").content.decode()
    assert content.index("Dinas 02") < content.index("Dinas 01") < content.index("Dinas 00")
    assert re.search(r'data-testid="provincial-rank">[^<]*\b3\b[^<]*\b3\b', content)


def test_provincial_list_explains_how_to_fill_an_empty_month(budget, people):
    client = Client()
    client.force_login(people["finance"])
    content = client.get("/anggaran/provinsi/?tahun=2026&bulan=3").content.decode()
    assert 'data-testid="provincial-empty"' in content
    assert 'data-testid="import-provincial"' in content


def test_provincial_list_takes_a_fixed_number_of_queries(budget, people):
    url = "/anggaran/provinsi/?tahun=2026&bulan=3"
    client = Client()
    client.force_login(people["head"])
    _offices(budget, 2)
    client.get(url)
    pinned = _count(client, url)
    assert pinned == 8
    _offices(budget, 20)
    assert _count(client, url) == pinned


def test_milestone_list_takes_a_fixed_number_of_queries(budget, people):
    url = "/anggaran/target/?tahun=2026"
    client = Client()
    client.force_login(people["finance"])
    client.get(url)
    assert _count(client, url) == 7
    for day in range(1, 6):
        services.milestone_save(
            actor=None,
            fiscal_year=budget.year,
            due_on=dt.date(2026, 9, day),
            target_percent=Decimal(60 + day),
            source="",
        )
    assert _count(client, url) == 7


# --- Pagu revision ------------------------------------------------------------------------------


def test_revision_authorization(budget, people):
    def state():
        return list(BudgetRevision.objects.order_by("pk").values_list("reference", flat=True))

    url = f"/anggaran/rekening/{budget.line_b.pk}/revisi/"
    for n, (who, user, status) in enumerate(
        [
            ("anonymous", None, 302),
            ("social worker", people["worker"], 403),
            ("head of another UPT", people["head_a"], 403),
            ("head of that UPT (reads only)", people["head_b"], 403),
            ("head of office (reads only)", people["head"], 403),
            ("finance officer", people["finance"], 302),
        ]
    ):
        assert_authorization(
            url=url,
            method="post",
            data={
                "kind": "shift",
                "new_pagu": "2500000",
                "revised_on": "2026-06-01",
                "reference": f"SK-{n}",
                "reason": "Pergeseran antar rekening",
            },
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state()[-1] == "SK-5"
    budget.line_b.refresh_from_db()
    assert budget.line_b.pagu == Decimal("2500000")


def test_revision_of_a_missing_line_is_404(budget, people):
    client = Client()
    client.force_login(people["finance"])
    assert client.get("/anggaran/rekening/999999/revisi/").status_code == 404


def test_revision_below_the_realised_amount_is_refused_with_what_to_enter(budget, people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post(
        f"/anggaran/rekening/{budget.line_a.pk}/revisi/",
        {"kind": "amendment", "new_pagu": "100", "revised_on": "2026-06-01", "reference": "SK"},
    )
    assert response.status_code == 200
    assert "Rp 400.000" in response.content.decode()
    budget.line_a.refresh_from_db()
    assert budget.line_a.pagu == Decimal("1000000")


def test_line_page_shows_revision_history_and_the_finance_buttons(budget, people):
    services.pagu_revise(
        actor=people["finance"],
        line=budget.line_a,
        new_pagu=Decimal("1200000"),
        kind=BudgetRevision.Kind.SHIFT,
        revised_on=dt.date(2026, 5, 2),
        reference="SK 12/2026",
        reason="Pergeseran",
    )
    client = Client()
    client.force_login(people["finance"])
    content = client.get(f"/anggaran/rekening/{budget.line_a.pk}/").content.decode()
    assert "SK 12/2026" in content
    assert "Rp 1.200.000" in content
    assert 'data-testid="revise-pagu"' in content
    assert 'data-testid="report-progress"' in content
    client.force_login(people["head_a"])
    content = client.get(f"/anggaran/rekening/{budget.line_a.pk}/").content.decode()
    assert 'data-testid="revise-pagu"' not in content


# --- Physical progress ---------------------------------------------------------------------------


def test_progress_authorization(budget, people):
    def state():
        return list(
            PhysicalProgress.objects.order_by("month").values_list("unit__code", "month", "percent")
        )

    url = f"/anggaran/rekening/{budget.line_b.pk}/progres/"
    for n, (who, user, status) in enumerate(
        [
            ("anonymous", None, 302),
            ("social worker", people["worker"], 403),
            ("head of office (reads only)", people["head"], 403),
            ("head of another UPT", people["head_a"], 404),
            ("head of that UPT (the KPA)", people["head_b"], 302),
            ("finance officer", people["finance"], 302),
        ]
    ):
        assert_authorization(
            url=url,
            method="post",
            data={"month": str(n + 1), "percent": "42.5", "reported_by": "Budi Santoso"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == [
        ("upt-pstw-magetan", 5, Decimal("42.50")),
        ("upt-pstw-magetan", 6, Decimal("42.50")),
    ]


def test_the_division_head_above_is_not_the_kpa_of_a_upt(budget, people, make_user, units):
    division = make_user("head_of_division", units.rehab_division)
    url = f"/anggaran/rekening/{budget.line_b.pk}/progres/"
    assert_authorization(
        url=url,
        method="post",
        data={"month": "3", "percent": "10", "reported_by": "Budi"},
        cases=[Expect("head of the division above", division, 403)],
        state=lambda: PhysicalProgress.objects.count(),
    )
    client = Client()
    client.force_login(division)
    page = client.get(f"/anggaran/rekening/{budget.line_b.pk}/").content.decode()
    assert 'data-testid="report-progress"' not in page


def test_progress_of_a_missing_line_is_404(budget, people):
    client = Client()
    client.force_login(people["finance"])
    assert client.get("/anggaran/rekening/999999/progres/").status_code == 404


def test_progress_above_100_percent_is_refused(budget, people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post(
        f"/anggaran/rekening/{budget.line_b.pk}/progres/",
        {"month": "3", "percent": "120", "reported_by": "Budi"},
    )
    assert response.status_code == 200
    assert not PhysicalProgress.objects.exists()


def test_line_page_shows_the_physical_progress_of_its_sub_kegiatan(budget, people):
    services.progress_report(
        actor=None,
        sub_kegiatan=budget.line_b.sub_kegiatan,
        unit=budget.line_b.unit,
        month=3,
        percent=Decimal("42.5"),
        reported_by="Budi Santoso",
    )
    client = Client()
    client.force_login(people["head_b"])
    content = client.get(f"/anggaran/rekening/{budget.line_b.pk}/").content.decode()
    assert 'data-testid="progress-3">42,50%' in content
    assert 'data-testid="report-progress"' in content  # the KPA reports the progress of the unit


@pytest.mark.parametrize("path", ["revisi", "progres"])
def test_line_forms_take_a_fixed_number_of_queries(budget, people, path):
    url = f"/anggaran/rekening/{budget.line_a.pk}/{path}/"
    client = Client()
    client.force_login(people["finance"])
    client.get(url)
    pinned = _count(client, url)
    assert pinned == 7


# --- Traffic-light thresholds --------------------------------------------------------------------


def test_thresholds_authorization(budget, people):
    def state():
        return list(FiscalYear.objects.values_list("warning_points", "critical_points"))

    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of office (reads only)", people["head"], 403),
        ("head of a UPT", people["head_a"], 403),
        ("finance officer", people["finance"], 302),
    ]:
        assert_authorization(
            url="/anggaran/tahun/2026/lampu/",
            method="post",
            data={"warning_points": "3", "critical_points": "8"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    assert state() == [(Decimal("3.00"), Decimal("8.00"))]


def test_thresholds_change_the_lights_and_bad_ones_are_refused(budget, people):
    client = Client()
    client.force_login(people["finance"])
    page = client.get("/anggaran/target/?tahun=2026").content.decode()
    assert "kuning mulai 5 poin di belakang anggaran kasnya, merah mulai 10 poin" in page
    # the division is 30 points behind its plan: red with 5/10, amber with 25/40
    client.post("/anggaran/tahun/2026/lampu/", {"warning_points": "25", "critical_points": "40"})
    drill = client.get(f"/anggaran/rincian/?tahun=2026&bulan=3&unit={budget.line_c.unit_id}")
    assert [row.light for row in drill.context["rows"]] == ["amber"]
    refused = client.post(
        "/anggaran/tahun/2026/lampu/",
        {"warning_points": "20", "critical_points": "10"},
        follow=True,
    )
    assert "di bawah batas merah" in refused.content.decode()
    budget.year.refresh_from_db()
    assert (budget.year.warning_points, budget.year.critical_points) == (25, 40)
    assert AuditEvent.objects.filter(
        action="budget.fiscal_year_saved",
        changes={"warning_points": ["5.00", "25"], "critical_points": ["10.00", "40"]},
    ).exists()


def test_thresholds_of_an_unknown_year_are_404(people):
    client = Client()
    client.force_login(people["finance"])
    response = client.post("/anggaran/tahun/1999/lampu/", {"warning_points": "3"})
    assert response.status_code == 404

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.api.testing import api_get
from sinergi.audit.models import AuditEvent
from sinergi.budget.testing import make_small_budget
from sinergi.core.errors import ApplicationError
from sinergi.meetings import services
from sinergi.meetings.models import Compilation, FollowUp, Meeting, Report
from sinergi.meetings.testing import make_meeting, post_report, signed_in

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The text of a PDF (poppler's pdftotext)."""
    path = tmp_path / "compiled.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_a_meeting_expects_a_report_of_every_unit(units, people):
    meeting = services.meeting_create(
        actor=people["planner"],
        title="Rakortek",
        year=2026,
        quarter=3,
        month=None,
        held_on=dt.date(2026, 10, 14),
        place="Aula",
        deadline_on=dt.date(2026, 10, 7),
    )
    assert set(meeting.reports.values_list("unit__code", flat=True)) == {
        "sekretariat",
        "bidang-rehsos",
        "bidang-dayasos",
        "upt-rsbd-pasuruan",
        "upt-pstw-magetan",
    }
    assert set(meeting.reports.values_list("status", flat=True)) == {"not_started"}


def test_a_period_must_be_a_quarter_or_a_month_and_reports_due_before_the_meeting(people):
    for quarter, month, deadline in [(None, None, 7), (3, 9, 7), (3, None, 20)]:
        with pytest.raises(ApplicationError):
            services.meeting_create(
                actor=people["planner"],
                title="R",
                year=2026,
                quarter=quarter,
                month=month,
                held_on=dt.date(2026, 10, 14),
                place="A",
                deadline_on=dt.date(2026, 10, deadline),
            )
    assert not Meeting.objects.exists()


def test_only_the_unit_itself_writes_its_report(meeting, people, units):
    report = Report.objects.get(meeting=meeting, unit=units.upt_a)
    with pytest.raises(ApplicationError):
        services.report_save(
            actor=people["head_b"],
            report=report,
            progress="x",
            problems="y",
            follow_up_needed="",
            achievements=[],
            absorption={},
        )
    with pytest.raises(ApplicationError) as error:
        services.report_save(
            actor=people["head_a"],
            report=report,
            progress="",
            problems="",
            follow_up_needed="",
            achievements=[],
            absorption={},
            submit=True,
        )
    assert set(error.value.field_errors) == {"progress", "problems"}
    report.refresh_from_db()
    assert report.status == "not_started"
    services.report_save(
        actor=people["head_a"],
        report=report,
        progress="x",
        problems="y",
        follow_up_needed="",
        achievements=[],
        absorption={},
        submit=True,
    )
    report.refresh_from_db()
    assert (report.status, report.submitted_by) == ("submitted", people["head_a"])
    assert report.is_late  # the test meeting's deadline has passed
    with pytest.raises(ApplicationError):
        services.report_save(
            actor=people["head_a"],
            report=report,
            progress="z",
            problems="y",
            follow_up_needed="",
            achievements=[],
            absorption={},
        )
    assert AuditEvent.objects.filter(action="meetings.report_submitted").count() == 1


def test_report_form_is_prefilled_with_achievements_and_absorption(units, people):
    make_small_budget(units)
    meeting = make_meeting([units.upt_b], quarter=1)
    response = signed_in(people["head_b"]).get(f"/rakortek/{meeting.pk}/unit/{units.upt_b.pk}/")
    content = response.content.decode()
    # UPT B: pagu 2.000.000, SP2D 200.000 + 400.000 by March -> 30%
    assert "Rp 2.000.000" in content
    assert "30,00%" in content
    post_report(signed_in(people["head_b"]), meeting, units.upt_b)
    report = Report.objects.get(meeting=meeting, unit=units.upt_b)
    assert report.status == "submitted"
    assert Decimal(report.absorption["pagu"]) == Decimal("2000000")
    assert Decimal(report.absorption["absorption"]) == Decimal("30")


def test_report_page_authorization(meeting, people, units):
    url = f"/rakortek/{meeting.pk}/unit/{units.upt_a.pk}/"
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of that UPT", people["head_a"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )

    def state():
        return list(Report.objects.order_by("id").values_list("status", flat=True))

    data = {"progress": "x", "problems": "y", "action": "draft"}
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of another UPT", people["head_b"], 404),
        ("head of the division above (not the unit)", people["division"], 403),
        ("head of office", people["head"], 403),
        ("head of that UPT", people["head_a"], 302),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=state
        )
    assert Report.objects.get(meeting=meeting, unit=units.upt_a).status == "draft"


def test_meeting_pages_authorization_and_query_counts(meeting, people, units):
    for url in ["/rakortek/", f"/rakortek/{meeting.pk}/", "/rakortek/tindak-lanjut/"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people["worker"], 403),
                Expect("head of a UPT", people["head_a"], 200),
                Expect("head of office", people["head"], 200),
            ],
        )
    content = signed_in(people["head_a"]).get(f"/rakortek/{meeting.pk}/").content.decode()
    assert "UPT RSBD Pasuruan" in content
    assert "UPT PSTW Magetan" not in content
    client = signed_in(people["planner"])
    with CaptureQueriesContext(connection) as three:
        client.get(f"/rakortek/{meeting.pk}/")
    bigger = make_meeting(
        [
            units.secretariat,
            units.upt_a,
            units.upt_b,
            units.rehab_division,
            units.empowerment_division,
        ],
        quarter=2,
    )
    with CaptureQueriesContext(connection) as five:
        client.get(f"/rakortek/{bigger.pk}/")
    assert len(five) == len(three)


def test_creating_a_meeting_and_compiling_are_for_the_planning_officer(meeting, people, units):
    assert_authorization(
        url="/rakortek/baru/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    assert_authorization(
        url=f"/rakortek/{meeting.pk}/kompilasi/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
        state=lambda: Compilation.objects.count(),
    )
    assert_authorization(
        url=f"/rakortek/{meeting.pk}/ringkasan.xlsx",
        cases=[
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )


def test_compiled_pdf_holds_every_unit_and_the_summary(meeting, people, units, tmp_path):

    post_report(signed_in(people["head_a"]), meeting, units.upt_a)
    response = signed_in(people["planner"]).post(f"/rakortek/{meeting.pk}/kompilasi/")
    compilation = Compilation.objects.get()
    assert response["Location"] == f"/rakortek/kompilasi/{compilation.pk}/"
    assert compilation.status == "done"
    assert_authorization(
        url=f"/rakortek/kompilasi/{compilation.pk}/?unduh=1",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT (did not ask for it)", people["head_a"], 404),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    pdf = b"".join(
        signed_in(people["planner"])
        .get(f"/rakortek/kompilasi/{compilation.pk}/?unduh=1")
        .streaming_content
    )
    text = pdf_text(pdf, tmp_path)
    for name in ("Sekretariat", "UPT RSBD Pasuruan", "UPT PSTW Magetan", "Pengadaan lambat"):
        assert name in text


def test_many_units_are_compiled_in_the_background(
    meeting, people, settings, django_capture_on_commit_callbacks
):
    settings.SINERGI = {**settings.SINERGI, "MEETING_COMPILE_SYNC_MAX_UNITS": 2}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        compilation = services.compilation_request(actor=people["planner"], meeting=meeting)
    assert compilation.status == "queued"
    assert len(callbacks) == 1
    compilation.refresh_from_db()  # the immediate task backend of the tests ran it
    assert (compilation.status, compilation.unit_count) == ("done", 3)


def test_follow_up_actions_appear_to_their_owner(meeting, people, units):
    client = signed_in(people["planner"])
    client.post(
        f"/rakortek/{meeting.pk}/tindak-lanjut/baru/",
        {"owner_unit": units.upt_a.pk, "description": "Percepat pengadaan", "due_on": "2026-04-30"},
    )
    action = FollowUp.objects.get()
    assert (
        "Percepat pengadaan"
        in signed_in(people["head_a"]).get("/rakortek/tindak-lanjut/").content.decode()
    )
    assert (
        "Percepat pengadaan"
        not in signed_in(people["head_b"]).get("/rakortek/tindak-lanjut/").content.decode()
    )
    assert action.owner_unit == units.upt_a
    with pytest.raises(ApplicationError):
        services.follow_up_create(
            actor=people["planner"],
            meeting=meeting,
            owner_unit=units.upt_a,
            description="x",
            due_on=meeting.held_on - dt.timedelta(days=1),
        )


def test_api_reports_are_scoped(meeting, people, units):
    base = "/api/v1/performance/rakortek"
    for url in [f"{base}/meetings", f"{base}/meetings/{meeting.pk}/reports", f"{base}/follow-ups"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 401),
                Expect("social worker", people["worker"], 403),
                Expect("head of office", people["head"], 200),
            ],
        )
    items = api_get(people["head_a"], f"{base}/meetings/{meeting.pk}/reports").json()["items"]
    assert [i["unit_code"] for i in items] == ["upt-rsbd-pasuruan"]
    api_get(people["planner"], f"{base}/meetings/{meeting.pk}/reports")
    with CaptureQueriesContext(connection) as three:
        assert (
            len(api_get(people["planner"], f"{base}/meetings/{meeting.pk}/reports").json()["items"])
            == 3
        )
    bigger = make_meeting(
        [
            units.secretariat,
            units.upt_a,
            units.upt_b,
            units.rehab_division,
            units.empowerment_division,
        ],
        quarter=2,
    )
    with CaptureQueriesContext(connection) as five:
        api_get(people["planner"], f"{base}/meetings/{bigger.pk}/reports")
    assert len(five) == len(three)
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert f"{base}/meetings" in paths


def test_average_achievement_of_a_report(meeting, units):
    report = Report.objects.get(meeting=meeting, unit=units.upt_a)
    report.achievements = [
        {"achievement": "80.00"},
        {"achievement": "100.00"},
        {"achievement": None},
    ]
    assert report.average_achievement == 90.0
    assert Decimal(str(report.average_achievement)) == Decimal("90.0")

"""Every meeting page: the authorization matrix (denied calls change nothing), bad input answered in
Indonesian with nothing saved, and query counts that do not grow with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.meetings.models import Meeting, Report
from sinergi.meetings.testing import make_meeting, post_report, signed_in

pytestmark = pytest.mark.django_db

MEETING_FORM = {
    "title": "Rakortek Triwulan IV 2026",
    "year": "2026",
    "quarter": "4",
    "month": "",
    "held_on": "2027-01-14",
    "place": "Aula Gedung A",
    "deadline_on": "2027-01-07",
}


def _meetings():
    return list(Meeting.objects.order_by("id").values_list("title", flat=True))


def test_creating_a_meeting_is_for_the_planning_officer_only(meeting, people):
    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of a UPT", people["head_a"], 403),
        ("head of office", people["head"], 403),
        ("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url="/rakortek/baru/",
            method="post",
            data=MEETING_FORM,
            cases=[Expect(who, user, status)],
            state=_meetings,
        )
    response = signed_in(people["planner"]).post("/rakortek/baru/", MEETING_FORM)
    created = Meeting.objects.get(title="Rakortek Triwulan IV 2026")
    assert response["Location"] == f"/rakortek/{created.pk}/"
    assert created.reports.count() == 5  # every active unit below the office of the test tree
    assert AuditEvent.objects.filter(
        action="meetings.meeting_created", target_id=str(created.pk)
    ).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quarter": "", "month": ""}, "quarter", "Pilih triwulan atau bulan (salah satu)"),
        ({"quarter": "4", "month": "12"}, "quarter", "Pilih triwulan atau bulan (salah satu)"),
        ({"deadline_on": "2027-01-20"}, "deadline_on", "Batas laporan harus pada atau sebelum"),
    ],
)
def test_a_bad_meeting_is_refused_with_a_message_and_nothing_saved(
    meeting, people, change, field, message
):
    before = _meetings()
    response = signed_in(people["planner"]).post("/rakortek/baru/", {**MEETING_FORM, **change})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert _meetings() == before


def test_reopening_a_report_is_for_the_planning_officer_with_a_reason(meeting, people, units):
    post_report(signed_in(people["head_a"]), meeting, units.upt_a)
    url = f"/rakortek/{meeting.pk}/unit/{units.upt_a.pk}/buka/"

    def state():
        return Report.objects.get(meeting=meeting, unit=units.upt_a).status

    for who, user, status in [
        ("anonymous", None, 302),
        ("head of that UPT", people["head_a"], 403),
        ("head of office", people["head"], 403),
        ("auditor", people["auditor"], 403),
    ]:
        assert_authorization(
            url=url,
            method="post",
            data={"reason": "Angka serapan keliru"},
            cases=[Expect(who, user, status)],
            state=state,
        )
    planner = signed_in(people["planner"])
    response = planner.post(url, {"reason": "  "}, follow=True)
    assert "Isi alasan membuka kembali laporan." in response.content.decode()
    assert state() == "submitted"
    planner.post(url, {"reason": "Angka serapan keliru"})
    assert state() == "draft"
    event = AuditEvent.objects.get(action="meetings.report_reopened")
    assert event.extra == {"reason": "Angka serapan keliru"}
    assert event.changes == {"status": ["submitted", "draft"]}


def test_summary_xlsx_authorization(meeting, people):
    assert_authorization(
        url=f"/rakortek/{meeting.pk}/ringkasan.xlsx",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planning officer", people["planner"], 200),
        ],
    )
    assert_authorization(
        url="/rakortek/999999/ringkasan.xlsx",
        cases=[Expect("planning officer, no such meeting", people["planner"], 404)],
    )


def test_the_meeting_page_shows_the_summary_of_every_report(meeting, people, units):
    report = Report.objects.get(meeting=meeting, unit=units.upt_a)
    Report.objects.filter(pk=report.pk).update(
        status="submitted",
        snapshot_at=dt.datetime(2026, 3, 19, tzinfo=dt.UTC),
        achievements=[{"achievement": "80.00"}, {"achievement": "100.00"}],
        absorption={"pagu": "2000000.00", "realised": "600000.00", "absorption": "30.00"},
    )
    content = signed_in(people["planner"]).get(f"/rakortek/{meeting.pk}/").content.decode()
    row = content[content.index('data-testid="report-upt-rsbd-pasuruan"') :]
    row = row[: row.index("</tr>")]
    assert "90,00%" in row  # mean of 80 and 100
    assert "Rp 2.000.000" in row
    assert "30,00%" in row
    assert "Diajukan" in row


def test_the_meeting_list_query_count_does_not_grow(meeting, people):
    client = signed_in(people["head_a"])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/rakortek/").status_code == 200
    for quarter in (2, 3, 4):
        make_meeting([], quarter=quarter)
    with CaptureQueriesContext(connection) as four:
        content = client.get("/rakortek/").content.decode()
    assert content.count('href="/rakortek/') >= 4 + 1
    assert len(four) == len(one)


def test_the_report_page_query_count_does_not_grow_with_the_indicators(meeting, people, units):
    from sinergi.performance.testing import make_indicator, make_small_plan

    plan = make_small_plan(units)
    url = f"/rakortek/{meeting.pk}/unit/{units.upt_a.pk}/"
    client = signed_in(people["head_a"])
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for n in range(4):
        make_indicator(plan.period, units.upt_a, f"UPT-A-9{n}", objective=plan.objective)
    with CaptureQueriesContext(connection) as six:
        content = client.get(url).content.decode()
    assert "UPT-A-93" in content
    assert len(six) == len(two)


def test_the_report_page_of_an_unknown_unit_or_meeting_is_not_found(meeting, people, units):
    assert_authorization(
        url=f"/rakortek/{meeting.pk}/unit/{units.rehab_division.pk}/",
        cases=[Expect("planning officer, unit not expected", people["planner"], 404)],
    )
    assert_authorization(
        url=f"/rakortek/999999/unit/{units.upt_a.pk}/",
        cases=[Expect("head of that UPT, no such meeting", people["head_a"], 404)],
    )

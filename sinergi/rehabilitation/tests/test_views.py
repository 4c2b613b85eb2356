"""Pages: authorization matrix of every view (POSTs change nothing when denied), behaviour, and
query counts that do not grow with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import (
    Assessment,
    AuditAction,
    Case,
    CaseEvent,
    Client,
    Stage,
)
from sinergi.rehabilitation.testing import admit, draft_plan, intake_fields

pytestmark = pytest.mark.django_db

FULL = {1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 2}


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _case_state(case):
    def state():
        row = list(
            Case.objects.filter(pk=case.pk).values_list(
                "stage_id", "version", "stage_approved_at", "status"
            )
        )
        return [*row, CaseEvent.objects.filter(case=case).count(), Assessment.objects.count()]

    return state


def _queries(client, url):
    """(all queries, queries on this app's tables) of one GET of `url` (after a warm-up GET)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    own = [q for q in captured.captured_queries if '"rehabilitation_' in q["sql"]]
    return len(captured), len(own)


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


# --- Authorization matrix --------------------------------------------------------------------


def test_client_list_authorization(people):
    assert_authorization(
        url=reverse("rehabilitation:client_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("no role", people.no_role, 403),
            Expect("finance officer", people.finance, 403),
            Expect("social worker", people.worker_a, 200),
            Expect("head of office", people.office, 200),
        ],
    )
    assert_authorization(
        url=reverse("rehabilitation:client_list"),
        method="post",
        data={"name": "a"},
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker", people.worker_a, 200),
        ],
    )


def test_client_detail_authorization(people, case_a):
    assert_authorization(
        url=reverse("rehabilitation:client_detail", args=[case_a.client_id]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of the division", people.division, 200),
            Expect("head of office", people.office, 200),
        ],
    )


def test_case_detail_authorization(people, case_a):
    assert_authorization(
        url=reverse("rehabilitation:case_detail", args=[case_a.pk]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("no role", people.no_role, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a, 200),
            Expect("head of office", people.office, 200),
        ],
    )


def test_case_panels_authorization_and_content(people, case_a):
    url = reverse("rehabilitation:case_panels", args=[case_a.pk])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("no role", people.no_role, 403),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of the division", people.division, 200),
            Expect("head of office", people.office, 200),
        ],
    )
    services.case_advance(
        actor=people.worker_a,
        case=case_a,
        expected_version=case_a.version,
        to_stage=Stage.objects.get(code="rencana"),
        reason="Asesmen sudah dari dinas kabupaten",
    )
    client = _http(people.worker_a)
    page = client.get(reverse("rehabilitation:case_detail", args=[case_a.pk])).content.decode()
    assert page.count(f'hx-get="{url}"') == 1  # one request fills every placeholder
    for placeholder in ['id="residence-panel"', 'id="casework"', 'id="case-history"']:
        assert placeholder in page
    reads = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).count()
    text = client.get(url).content.decode()
    assert "<html" not in text  # a fragment for htmx, each part swapped into its placeholder
    for panel in ['id="residence-panel"', 'id="casework"', 'id="case-history"']:
        assert f"{panel} data-testid" in text
    assert text.count('hx-swap-oob="true"') == 3
    assert 'data-testid="plan"' in text
    assert "Tahap dilewati: Penyusunan rencana pemecahan masalah" in text
    assert "Asesmen sudah dari dinas kabupaten" in text
    assert "Kasus dibuka: Pendekatan awal" in text
    # the case page logged the read; its panel is not another one
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).count() == reads == 1


def test_intake_authorization(people):
    assert_authorization(
        url=reverse("rehabilitation:intake"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("head of the division (reads only)", people.division, 403),
            Expect("social worker", people.worker_a, 200),
        ],
    )


def test_intake_post_is_denied_without_changes(people, units):
    assert_authorization(
        url=reverse("rehabilitation:intake"),
        method="post",
        data={"unit": units.upt_a.pk, "name": "X"},
        state=lambda: (Client.objects.count(), Case.objects.count()),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people.office, 403),
            Expect("finance officer", people.finance, 403),
        ],
    )


def test_task_list_authorization(people):
    assert_authorization(
        url=reverse("rehabilitation:task_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("no role", people.no_role, 403),
            Expect("social worker", people.worker_a, 200),
            Expect("head of UPT", people.head_a, 200),
        ],
    )


def test_case_advance_authorization(people, case_a):
    assert_authorization(
        url=reverse("rehabilitation:case_advance", args=[case_a.pk]),
        method="post",
        data={"version": case_a.version},
        state=_case_state(case_a),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT not assigned", people.worker_a2, 403),
        ],
    )
    response = _http(people.worker_a).post(
        reverse("rehabilitation:case_advance", args=[case_a.pk]), {"version": case_a.version}
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.stage.code == "asesmen"


def test_case_approve_authorization(people, units):
    case = admit(units.upt_a, social_worker=people.worker_a)
    case = services.case_advance(
        actor=None,
        case=case,
        expected_version=1,
        to_stage=Stage.objects.get(code="rencana"),
        reason="x",
    )
    url = reverse("rehabilitation:case_approve", args=[case.pk])
    assert_authorization(
        url=url,
        method="post",
        data={"version": case.version},
        state=_case_state(case),
        cases=[
            Expect("anonymous", None, 302),
            Expect("assigned social worker", people.worker_a, 403),
            Expect("head of office", people.office, 403),
            Expect("head of another UPT", people.head_b, 404),
        ],
    )
    draft_plan(case)  # the plan stage's approval approves the plan (casework)
    response = _http(people.head_a).post(url, {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage_approved_by == people.head_a


def test_assessment_form_authorization(people, case_a):
    url = reverse("rehabilitation:assessment_create", args=[case_a.pk])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker not assigned", people.worker_a2, 403),
            Expect("assigned social worker", people.worker_a, 200),
            Expect("head of the UPT", people.head_a, 200),
        ],
    )
    data = {"assessed_on": "2026-01-10", **{f"item_{k}": v for k, v in FULL.items()}}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=_case_state(case_a),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of the division", people.division, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker not assigned", people.worker_a2, 403),
        ],
    )


# --- Behaviour -------------------------------------------------------------------------------


def test_client_page_logs_a_personal_data_read(people, case_a):
    before = AuditEvent.objects.filter(kind="read").count()
    response = _http(people.worker_a).get(
        reverse("rehabilitation:client_detail", args=[case_a.client_id])
    )
    assert response.status_code == 200
    event = AuditEvent.objects.filter(kind="read").latest("id")
    assert AuditEvent.objects.filter(kind="read").count() == before + 1
    assert (event.action, event.target_id, event.actor) == (
        "rehabilitation.client_viewed",
        str(case_a.client_id),
        people.worker_a,
    )


def test_client_search_finds_by_nik_name_and_stage_within_scope(people, units, case_a):
    admit(units.upt_b, name="Sumarni", birth_on=dt.date(1948, 5, 2))
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")

    def names(**params):
        return [c.name for c in client.post(url, params).context["page"].items]

    assert names() == ["Siti Aminah"]
    assert names(nik=case_a.client.nik) == ["Siti Aminah"]
    assert names(name="sumarni") == []
    assert names(stage="pendekatan-awal") == ["Siti Aminah"]
    assert names(stage="asesmen") == []
    office = _http(people.office)
    assert [c.name for c in office.post(url, {"name": "a"}).context["page"].items] == [
        "Siti Aminah",
        "Sumarni",
    ]


def test_the_search_keeps_nik_names_and_cursor_out_of_the_address(people, units, case_a):
    for i in range(3):
        admit(units.upt_a, name=f"Klien {i}", birth_on=dt.date(1950, 2, 1 + i))
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")
    first = client.post(url, {"name": "klien"})
    content = first.content.decode()
    assert 'method="post"' in content
    assert "?cursor=" not in content
    assert "?name=" not in content
    page = first.context["page"]
    assert [c.name for c in page.items] == ["Klien 0", "Klien 1", "Klien 2"]
    # filters in the address are ignored: GET always shows the first, unfiltered page
    assert len(client.get(url, {"name": "klien"}).context["page"].items) == 4


def test_the_client_list_shows_a_masked_nik(people, case_a):
    response = _http(people.worker_a).get(reverse("rehabilitation:client_list"))
    assert case_a.client.nik.encode() not in response.content
    assert case_a.client.nik[:6].encode() in response.content


def test_intake_through_the_form_opens_the_case(people, units, regions):
    fields = intake_fields()
    data = {
        "unit": units.upt_a.pk,
        "admitted_on": "2026-01-05",
        "social_worker": people.worker_a.pk,
        "nik": fields["nik"],
        "name": "Siti Aminah",
        "sex": "P",
        "birth_on": "1950-03-14",
        "village_1": "35",
        "village_2": "35.14",
        "village_3": "35.14.01",
        "village_4": "35.14.01.2001",
        "ppks_category": fields["ppks_category"].pk,
        "referral_source": fields["referral_source"].pk,
    }
    response = _http(people.worker_a).post(reverse("rehabilitation:intake"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rehabilitation:case_detail", args=[case.pk])
    assert (case.unit, case.social_worker, case.client.nik) == (
        units.upt_a,
        people.worker_a,
        fields["nik"],
    )


def test_intake_form_shows_likely_duplicates_before_saving(people, units, regions):
    admit(units.upt_a, nik="", no_nik_reason="Razia")
    fields = intake_fields()
    data = {
        "unit": units.upt_a.pk,
        "admitted_on": "2026-01-05",
        "no_nik_reason": "Razia",
        "name": "Siti Aminah",
        "sex": "P",
        "birth_on": "1950-03-14",
        "village_1": "35",
        "village_2": "35.14",
        "village_3": "35.14.01",
        "village_4": "35.14.01.2001",
        "ppks_category": fields["ppks_category"].pk,
        "referral_source": fields["referral_source"].pk,
    }
    client = _http(people.worker_a)
    response = client.post(reverse("rehabilitation:intake"), data)
    assert response.status_code == 200
    assert len(response.context["candidates"]) == 1
    assert Client.objects.count() == 1
    response = client.post(
        reverse("rehabilitation:intake"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_a_stale_form_is_told_to_reload(people, case_a):
    services.case_advance(actor=people.head_a, case=case_a, expected_version=1)
    response = _http(people.worker_a).post(
        reverse("rehabilitation:case_advance", args=[case_a.pk]), {"version": 1}
    )
    assert response.status_code == 400
    assert (
        "Orang lain telah mengubah kasus ini" in response.content.decode()
    )  # pages speak Indonesian
    case_a.refresh_from_db()
    assert case_a.version == 2


def test_skipping_without_reason_shows_the_message_on_the_case_page(people, case_a):
    rencana = Stage.objects.get(code="rencana")
    response = _http(people.worker_a).post(
        reverse("rehabilitation:case_advance", args=[case_a.pk]),
        {"version": 1, "to_stage": rencana.pk},
    )
    assert response.status_code == 400
    assert "Tuliskan alasan tahap dilewati." in response.content.decode()


def test_assessment_form_with_a_missing_item_saves_nothing(people, case_a):
    data = {"assessed_on": "2026-01-10", **{f"item_{k}": v for k, v in FULL.items() if k != 3}}
    response = _http(people.worker_a).post(
        reverse("rehabilitation:assessment_create", args=[case_a.pk]), data
    )
    assert response.status_code == 200
    assert "Yang belum dijawab: 3." in response.content.decode()
    assert Assessment.objects.count() == 0


def test_client_page_carries_the_adl_series_for_the_chart(people, case_a):
    barthel = selectors.instrument_current()
    for day, score in [(10, 8), (40, 14)]:
        scores = dict(FULL)
        scores.update({8: 0, 9: 0, 10: 0, 7: 0} if score == 8 else {8: 1, 9: 1, 10: 0})
        services.assessment_record(
            actor=None,
            case=case_a,
            instrument=barthel,
            assessed_on=dt.date(2026, 1, 5) + dt.timedelta(days=day),
            scores=scores,
        )
    response = _http(people.worker_a).get(
        reverse("rehabilitation:client_detail", args=[case_a.client_id])
    )
    assert [p["score"] for p in response.context["adl"]] == [10, 14]
    assert b'id="adl-data"' in response.content
    assert b"<script>" not in response.content


def test_task_list_shows_due_assessments_missing_nik_and_approvals(people, units):
    case = admit(units.upt_a, social_worker=people.worker_a, nik="", no_nik_reason="Razia")
    tasks = _http(people.worker_a).get(reverse("rehabilitation:task_list")).context["tasks"]
    assert [c.pk for c in tasks.open_cases] == [case.pk]
    assert [c.pk for c in tasks.assessments_due] == [case.pk]
    assert [c.pk for c in tasks.nik_missing] == [case.pk]
    assert tasks.approvals == []
    services.case_advance(
        actor=None,
        case=case,
        expected_version=1,
        to_stage=Stage.objects.get(code="rencana"),
        reason="x",
    )
    tasks = _http(people.head_a).get(reverse("rehabilitation:task_list")).context["tasks"]
    assert [c.pk for c in tasks.approvals] == [case.pk]


# --- Query counts ----------------------------------------------------------------------------


def test_client_list_query_count_does_not_grow_with_rows(
    people, units, django_assert_max_num_queries
):
    admit(units.upt_a, social_worker=people.worker_a)
    client = _http(people.worker_a)
    url = reverse("rehabilitation:client_list")
    before = _queries(client, url)
    # this app's tables: the page of clients and their visible cases; the category and stage
    # options are cached reference data (the UPT options are one query on the unit table)
    assert before[1] == 2
    for i in range(6):
        admit(units.upt_a, name=f"Klien {i}", birth_on=dt.date(1950, 1, 1 + i))
    assert _queries(client, url) == before


def test_client_and_case_pages_query_counts_do_not_grow(people, units, case_a):
    client = _http(people.worker_a)
    client_url = reverse("rehabilitation:client_detail", args=[case_a.client_id])
    case_url = reverse("rehabilitation:case_detail", args=[case_a.pk])
    task_url = reverse("rehabilitation:task_list")
    before = [_queries(client, client_url), _queries(client, case_url), _queries(client, task_url)]
    # client page: client, cases, events, assessments, ADL series; the timeline's plans,
    # services, notes, conferences, follow-ups, residence and transfer rows
    # case page: case, assessments (the stages are cached; no follow-ups before the termination
    # date; the bed, the casework and the history load after the page, as panels)
    # task list: my cases, the instrument, follow-ups due, services given too rarely, plan
    # targets passed
    assert [own for _total, own in before] == [12, 2, 5]
    barthel = selectors.instrument_current()
    for day in range(1, 5):
        services.assessment_record(
            actor=None,
            case=case_a,
            instrument=barthel,
            assessed_on=dt.date(2026, 1, 5 + day),
            scores=FULL,
        )
    case = services.case_advance(actor=None, case=case_a, expected_version=1)
    services.case_advance(actor=None, case=case, expected_version=2)
    for i in range(3):
        admit(
            units.upt_a,
            social_worker=people.worker_a,
            name=f"Klien {i}",
            birth_on=dt.date(1951, 1, 1 + i),
        )
    after = [_queries(client, client_url), _queries(client, case_url), _queries(client, task_url)]
    assert after == before

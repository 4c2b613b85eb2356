import csv
import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit import selectors
from sinergi.audit import services as audit
from sinergi.audit.models import AuditEvent
from sinergi.audit.views import EXPORT_COLUMNS
from sinergi.core import request_context
from sinergi.organisation.models import Unit

pytestmark = pytest.mark.django_db

LIST = "/audit/"


def _client(user):
    """A signed-in client past its first request (which stores the idle-timeout stamp)."""
    client = Client()
    client.force_login(user)
    client.get("/")
    return client


def _scoped_auditor(make_user, unit):
    """A unit-scoped user who was given the audit permission directly (not an office-wide role)."""
    user = make_user("head_of_division", unit)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    )
    return user


def _event_count():
    return AuditEvent.objects.count()


# --- Authorization -------------------------------------------------------------------------------


def test_audit_pages_authorization_matrix(make_user, units):
    outside_event = audit.record(
        actor=make_user("social_worker", units.secretariat), action="test.outside"
    )
    inside_event = audit.record(actor=make_user("social_worker", units.upt_a), action="test.inside")
    auditor = make_user("auditor", units.office)
    worker = make_user("social_worker", units.upt_a)
    scoped = _scoped_auditor(make_user, units.rehab_division)
    for url in (LIST, "/audit/ekspor.xlsx", "/audit/ekspor.csv"):
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", worker, 403),
                Expect("auditor", auditor, 200),
            ],
        )
    assert_authorization(
        url=f"/audit/{outside_event.pk}/",
        state=_event_count,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", worker, 403),
            Expect("division head with the permission, event of another unit", scoped, 404),
            Expect("auditor", auditor, 200),
        ],
    )
    assert_authorization(
        url=f"/audit/{inside_event.pk}/",
        cases=[Expect("division head with the permission, own subtree", scoped, 200)],
    )
    assert_authorization(
        url="/audit/999999/", cases=[Expect("auditor, missing event", auditor, 404)]
    )


def test_denied_exports_write_no_audit_event(make_user, units):
    worker = make_user("social_worker", units.upt_a)
    assert_authorization(
        url="/audit/ekspor.xlsx",
        state=_event_count,
        cases=[Expect("anonymous", None, 302), Expect("social worker", worker, 403)],
    )


def test_an_unknown_export_format_is_404(make_user, units):
    response = _client(make_user("auditor", units.office)).get("/audit/ekspor.pdf")
    assert response.status_code == 404


def test_the_menu_shows_the_audit_log_to_auditors_only(make_user, units):
    auditor_page = _client(make_user("auditor", units.office)).get("/").content.decode()
    worker_page = _client(make_user("social_worker", units.upt_a)).get("/").content.decode()
    assert 'href="/audit/"' in auditor_page
    assert 'href="/audit/"' not in worker_page


# --- List, filters, pages ------------------------------------------------------------------------


def _rows(response):
    assert response.status_code == 200
    return list(response.context["page"].items)


def test_list_filters_by_action_prefix(make_user, units):
    auditor = make_user("auditor", units.office)
    audit.record(actor=auditor, action="rehabilitation.case_closed")
    audit.record(actor=auditor, action="rehabilitation.case_opened")
    audit.record(actor=auditor, action="budget.realisation_added")
    rows = _rows(_client(auditor).get(LIST, {"action": "rehabilitation."}))
    assert [e.action for e in rows] == ["rehabilitation.case_opened", "rehabilitation.case_closed"]


def test_personal_data_reads_preset_shows_only_read_events(make_user, units):
    auditor = make_user("auditor", units.office)
    audit.record_read(actor=auditor, action="organisation.unit_viewed", target=units.upt_a)
    audit.record(actor=auditor, action="test.change")
    response = _client(auditor).get(LIST, {"kind": "read"})
    assert [e.action for e in _rows(response)] == ["organisation.unit_viewed"]
    html = response.content.decode()
    assert 'href="/audit/?kind=read"' in html
    assert "Akses data pribadi" in html


def test_an_invalid_date_range_shows_the_error_and_no_rows(make_user, units):
    auditor = make_user("auditor", units.office)
    response = _client(auditor).get(LIST, {"date_from": "2025-03-02", "date_to": "2025-03-01"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Tanggal akhir lebih awal dari tanggal mulai" in response.content.decode()
    partial = _client(auditor).get(
        LIST, {"date_from": "2025-03-02", "date_to": "2025-03-01"}, HTTP_HX_REQUEST="true"
    )
    assert (
        "<li>Sampai tanggal: Tanggal akhir lebih awal dari tanggal mulai. Tukar kedua tanggal "
        "tersebut.</li>" in partial.content.decode()
    )


def test_empty_result_explains_how_to_widen_the_filter(make_user, units):
    auditor = make_user("auditor", units.office)
    response = _client(auditor).get(LIST, {"actor": "tidak-ada"})
    assert _rows(response) == []
    assert "Tidak ada peristiwa yang cocok dengan filter ini." in response.content.decode()


def _cursor_of(html, testid):
    marker = f'data-testid="{testid}"'
    tag = next(t for t in html.split("<a ") if marker in t)
    href = tag.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return parse_qs(urlparse(href).query)


def test_next_and_previous_pages_walk_the_log_without_gaps(make_user, units):
    auditor = make_user("auditor", units.office)
    created = [audit.record(actor=auditor, action=f"test.e{i:03d}") for i in range(120)]
    client = _client(auditor)
    first = client.get(LIST, {"action": "test."})
    page1 = [e.pk for e in _rows(first)]
    assert page1 == [e.pk for e in reversed(created)][:50]
    next_query = _cursor_of(first.content.decode(), "next-page")
    assert next_query["action"] == ["test."]
    second = client.get(LIST, next_query)
    page2 = [e.pk for e in _rows(second)]
    assert page2 == [e.pk for e in reversed(created)][50:100]
    third = client.get(LIST, _cursor_of(second.content.decode(), "next-page"))
    assert [e.pk for e in _rows(third)] == [e.pk for e in reversed(created)][100:]
    assert 'data-testid="next-page"' not in third.content.decode()
    back = client.get(LIST, _cursor_of(third.content.decode(), "previous-page"))
    assert [e.pk for e in _rows(back)] == page2
    back_again = client.get(LIST, _cursor_of(back.content.decode(), "previous-page"))
    assert [e.pk for e in _rows(back_again)] == page1


def test_an_invalid_cursor_falls_back_to_the_first_page_with_a_message(make_user, units):
    auditor = make_user("auditor", units.office)
    audit.record(actor=auditor, action="test.one")
    response = _client(auditor).get(LIST, {"cursor": "garbage"})
    assert [e.action for e in _rows(response)][:1] == ["test.one"]
    assert len(list(response.context["messages"])) == 1


def test_htmx_requests_get_only_the_results_partial(make_user, units):
    auditor = make_user("auditor", units.office)
    audit.record(actor=auditor, action="test.partial")
    response = _client(auditor).get(LIST, {"action": "test."}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="audit-results"')
    assert "<html" not in html
    assert "test.partial" in html


def test_list_query_count_does_not_grow_with_the_number_of_events(
    make_user, units, django_assert_num_queries
):
    auditor = make_user("auditor", units.office)
    client = _client(auditor)
    client.get(LIST)
    for i in range(5):
        audit.record(actor=auditor, action=f"test.{i}")
    with django_assert_num_queries(_queries_of(client)) as few:
        client.get(LIST)
    for i in range(80):
        audit.record(actor=auditor, action=f"test.more{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].items) == 50
    audit_queries = [q["sql"] for q in few.captured_queries if "audit_auditevent" in q["sql"]]
    assert len(audit_queries) == 1
    assert "COUNT(" not in audit_queries[0].upper()


def _queries_of(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    return len(ctx.captured_queries)


def test_list_page_query_count_is_pinned(make_user, units, django_assert_num_queries):
    auditor = make_user("auditor", units.office)
    client = _client(auditor)
    for i in range(60):
        audit.record(actor=auditor, action=f"test.{i}")
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        client.get(LIST)


# session, user, two-factor check (middleware), permissions (one query), scope check,
# the page of events (or the one event), and the layout's unread-notification count.
PINNED_LIST_QUERIES = 7


# --- Detail --------------------------------------------------------------------------------------


def test_detail_shows_changes_as_field_old_new_with_ip_request_and_details(make_user, units):
    auditor = make_user("auditor", units.office)
    token = request_context.set_current(
        request_context.RequestContext(request_id="req-42", ip_address="10.1.2.3")
    )
    try:
        event = audit.record(
            actor=auditor,
            action="organisation.unit_updated",
            target=units.upt_a,
            changes={"name": ["UPT Lama", "UPT Baru"], "capacity": [None, 80]},
            extra={"reason": "SK Gubernur", "batch": {"rows": 3}},
        )
    finally:
        request_context.reset(token)
    response = _client(auditor).get(f"/audit/{event.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["change_rows"]
    assert [(r["field"], r["old"], r["new"]) for r in rows] == [
        ("name", "UPT Lama", "UPT Baru"),
        ("capacity", "", "80"),
    ]
    with translation.override("id"):
        assert [r["label"] for r in rows] == [
            str(Unit._meta.get_field("name").verbose_name),
            str(Unit._meta.get_field("capacity").verbose_name),
        ]
    assert "10.1.2.3" in html
    assert "req-42" in html
    assert json.loads(response.context["extra_json"]) == {
        "batch": {"rows": 3},
        "reason": "SK Gubernur",
    }
    assert "&quot;reason&quot;: &quot;SK Gubernur&quot;" in html


def test_detail_query_count(make_user, units, django_assert_num_queries):
    auditor = make_user("auditor", units.office)
    event = audit.record(actor=auditor, action="test.detail", changes={"a": [1, 2]})
    client = _client(auditor)
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        assert client.get(f"/audit/{event.pk}/").status_code == 200


# --- Export --------------------------------------------------------------------------------------


def test_xlsx_export_has_the_filtered_rows_and_is_audited(make_user, units):
    auditor = make_user("auditor", units.office)
    event = audit.record(
        actor=auditor,
        action="rehabilitation.case_closed",
        target=units.upt_a,
        changes={"status": ["open", "closed"]},
    )
    audit.record(actor=auditor, action="budget.realisation_added")
    response = _client(auditor).get("/audit/ekspor.xlsx", {"action": "rehabilitation."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "log-audit-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("id"):
        assert rows[0] == tuple(str(column.header) for column in EXPORT_COLUMNS)
    assert (rows[0][0], rows[0][4], rows[0][12]) == ("Waktu", "Aksi", "ID peristiwa")
    assert len(rows) == 2
    row = rows[1]
    assert row[1:8] == (
        "Perubahan",
        auditor.username,
        units.office.path,
        "rehabilitation.case_closed",
        "organisation.unit",
        str(units.upt_a.pk),
        "UPT RSBD Pasuruan",
    )
    assert json.loads(row[8]) == {"status": ["open", "closed"]}
    assert row[12] == event.pk
    exported = AuditEvent.objects.get(action="audit.log_exported")
    assert exported.kind == "security"
    assert exported.actor_username == auditor.username
    assert exported.extra == {
        "filters": {"action": "rehabilitation."},
        "format": "xlsx",
        "rows": 1,
    }


def test_csv_export_has_the_same_columns(make_user, units):
    auditor = make_user("auditor", units.office)
    audit.record(actor=auditor, action="test.csv", extra={"a": 1})
    response = _client(auditor).get("/audit/ekspor.csv", {"action": "test."})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Waktu"
    assert len(rows) == 2
    assert rows[1][4] == "test.csv"
    assert AuditEvent.objects.get(action="audit.log_exported").extra["format"] == "csv"


def test_an_export_over_the_cap_is_refused_with_advice_and_not_audited(
    make_user, units, monkeypatch
):
    monkeypatch.setattr(selectors, "EXPORT_MAX_ROWS", 2)
    auditor = make_user("auditor", units.office)
    for i in range(3):
        audit.record(actor=auditor, action=f"test.{i}")
    client = _client(auditor)
    response = client.get("/audit/ekspor.xlsx", {"action": "test."})
    assert response.status_code == 302
    assert response["Location"] == "/audit/?action=test."
    follow = client.get(response["Location"])
    messages = [str(m) for m in follow.context["messages"]]
    assert messages == [
        "Lebih dari 2 peristiwa cocok dengan filter, terlalu banyak untuk satu berkas. "
        "Persempit filter (misalnya rentang tanggal yang lebih pendek), lalu ekspor lagi."
    ]
    assert not AuditEvent.objects.filter(action="audit.log_exported").exists()


def test_an_export_with_an_invalid_filter_goes_back_to_the_list(make_user, units):
    auditor = make_user("auditor", units.office)
    response = _client(auditor).get("/audit/ekspor.csv", {"date_from": "kemarin"})
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/?")
    assert not AuditEvent.objects.filter(action="audit.log_exported").exists()


def test_export_query_count_does_not_grow_with_rows(make_user, units, django_assert_num_queries):
    auditor = make_user("auditor", units.office)
    client = _client(auditor)
    for i in range(3):
        audit.record(actor=auditor, action=f"test.{i}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/audit/ekspor.xlsx", {"action": "test."})
    for i in range(200):
        audit.record(actor=auditor, action=f"test.more{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/audit/ekspor.xlsx", {"action": "test."})


def test_audit_pages_have_no_inline_style_or_script(make_user, units):
    import re

    auditor = make_user("auditor", units.office)
    event = audit.record(actor=auditor, action="test.csp", changes={"a": [1, 2]}, extra={"b": 1})
    client = _client(auditor)
    for url in (LIST, f"/audit/{event.pk}/", f"{LIST}?date_from=2025-02-01&date_to=2025-01-01"):
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        inline_scripts = re.findall(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", html)
        assert inline_scripts == [], url

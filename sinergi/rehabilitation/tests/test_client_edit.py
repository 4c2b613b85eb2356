"""Changing a client's record after intake: the NIK obtained later (the "no NIK" task ends), the
checks of intake, a NIK of another person refused, lost edits refused, who may change it, the
audit without personal data, the page's authorization and query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import make_nik
from sinergi.rehabilitation import selectors, services
from sinergi.rehabilitation.models import AuditAction, Case, Client
from sinergi.rehabilitation.testing import admit

pytestmark = pytest.mark.django_db

BIRTH_ON = dt.date(1950, 3, 14)


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


@pytest.fixture
def no_nik_case(units, people):
    return admit(
        units.upt_a,
        social_worker=people.worker_a,
        nik=None,
        no_nik_reason="Ditemukan saat razia",
        name="Tanpa Nama",
    )


def _row(client_id):
    return list(
        Client.objects.filter(pk=client_id).values_list(
            "nik", "no_nik_reason", "name", "village_id", "regency_id", "version"
        )
    )


def _update(actor, case, **fields):
    client = Client.objects.get(pk=case.client_id)
    return services.client_update(
        actor=actor, client=client, expected_version=client.version, **fields
    )


# --- Service ---------------------------------------------------------------------------------


def test_the_nik_obtained_later_ends_the_task_and_is_audited_without_values(people, no_nik_case):
    assert [c.pk for c in selectors.worker_tasks(viewer=people.worker_a).nik_missing] == [
        no_nik_case.pk
    ]
    nik = make_nik("35.14.01", BIRTH_ON, "P", 77)
    client = _update(people.worker_a, no_nik_case, nik=nik)
    assert (client.nik, client.no_nik_reason, client.version) == (nik, "", 2)
    assert selectors.worker_tasks(viewer=people.worker_a).nik_missing == []
    event = AuditEvent.objects.get(action=AuditAction.CLIENT_UPDATED)
    assert (event.target_id, event.actor) == (str(client.pk), people.worker_a)
    assert event.extra == {"fields": ["nik", "no_nik_reason"]}
    assert event.changes == {"version": [1, 2]}
    assert nik not in str(event.changes) + str(event.extra)


def test_a_new_village_moves_the_regency_for_the_duplicate_check(people, regions, units):
    case = admit(units.upt_a, social_worker=people.worker_a)
    client = _update(people.worker_a, case, village=regions["35.20.01.2001"])
    assert (client.village_id, client.regency_id) == ("35.20.01.2001", "35.20")


def test_an_unchanged_record_is_not_saved_or_audited(people, units):
    case = admit(units.upt_a, social_worker=people.worker_a)
    client = _update(people.worker_a, case, name="Siti Aminah")
    assert client.version == 1
    assert not AuditEvent.objects.filter(action=AuditAction.CLIENT_UPDATED).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"nik": "3514015403500"}, "nik", "16"),
        ({"nik": make_nik("35.14.01", dt.date(1960, 1, 1), "P", 5)}, "nik", "date"),
        ({"birth_on": dt.date(2099, 1, 1)}, "birth_on", "future"),
        ({"nik": None, "no_nik_reason": ""}, "no_nik_reason", "Reason there is no NIK"),
        ({"village": None}, "village", "village"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(people, units, fields, field, message):
    case = admit(units.upt_a, social_worker=people.worker_a)
    before = _row(case.client_id)
    with pytest.raises(ApplicationError) as error:
        _update(people.worker_a, case, **fields)
    assert field in error.value.field_errors
    assert message.lower() in error.value.message.lower()
    assert _row(case.client_id) == before
    assert not AuditEvent.objects.filter(action=AuditAction.CLIENT_UPDATED).exists()


def test_the_nik_of_another_client_is_refused(people, units, no_nik_case):
    other = admit(units.upt_b, name="Orang Lain", birth_on=BIRTH_ON)
    before = _row(no_nik_case.client_id)
    with pytest.raises(ApplicationError) as error:
        _update(people.worker_a, no_nik_case, nik=other.client.nik)
    assert error.value.code == "nik_taken"
    assert error.value.field_errors == {"nik": ["This NIK belongs to another client."]}
    assert _row(no_nik_case.client_id) == before


def test_a_save_over_a_newer_version_is_refused(people, no_nik_case):
    stale = Client.objects.get(pk=no_nik_case.client_id)
    _update(people.head_a, no_nik_case, name="Nama Dari Kepala")
    with pytest.raises(services.StaleClient):
        services.client_update(
            actor=people.worker_a, client=stale, expected_version=stale.version, name="Nama Lain"
        )
    assert Client.objects.get(pk=stale.pk).name == "Nama Dari Kepala"


def test_only_who_may_change_the_open_case_may_change_the_client(people, units, no_nik_case):
    before = _row(no_nik_case.client_id)
    for actor in [people.worker_a2, people.worker_b, people.head_b, people.office]:
        with pytest.raises(ApplicationError) as error:
            _update(actor, no_nik_case, name="Nama Lain")
        assert error.value.code == "not_assigned"
    assert _row(no_nik_case.client_id) == before
    assert _update(people.head_a, no_nik_case, name="Nama Lain").name == "Nama Lain"


def test_a_client_without_an_open_case_is_read_only(people, units, no_nik_case):
    Case.objects.filter(pk=no_nik_case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ApplicationError) as error:
        _update(people.head_a, no_nik_case, name="Nama Lain")
    assert error.value.code == "not_assigned"


# --- Page ------------------------------------------------------------------------------------


def _form_data(client, **overrides):
    data = {
        "version": client.version,
        "nik": client.nik or "",
        "no_nik_reason": client.no_nik_reason,
        "kk_number": client.kk_number,
        "name": client.name,
        "sex": client.sex,
        "birth_place": client.birth_place,
        "birth_on": client.birth_on.isoformat(),
        "address": client.address,
        "village_1": "35",
        "village_2": "35.14",
        "village_3": "35.14.01",
        "village_4": "35.14.01.2001",
        "ppks_category": client.ppks_category_id,
        "disability_type": "",
        "referral_source": client.referral_source_id,
        "guardian_name": "",
        "guardian_relationship": "",
        "guardian_phone": "",
        "dtsen_desil": "",
    }
    data.update(overrides)
    return data


def test_client_edit_page_authorization(people, no_nik_case):
    url = reverse("rehabilitation:client_edit", args=[no_nik_case.client_id])
    client = Client.objects.get(pk=no_nik_case.client_id)
    cases = [
        Expect("anonymous", None, 302),
        Expect("no role", people.no_role, 403),
        Expect("head of office (reads only)", people.office, 403),
        Expect("social worker of another UPT", people.worker_b, 404),
        Expect("head of another UPT", people.head_b, 404),
        Expect("social worker not assigned", people.worker_a2, 403),
    ]
    assert_authorization(url=url, cases=[*cases, Expect("assigned", people.worker_a, 200)])
    assert_authorization(
        url=url,
        method="post",
        data=_form_data(client, name="Nama Baru"),
        cases=cases,
        state=lambda: _row(client.pk),
    )
    response = _http(people.head_a).post(url, _form_data(client, name="Nama Baru"))
    assert response.status_code == 302
    assert response["Location"] == reverse("rehabilitation:client_detail", args=[client.pk])
    assert Client.objects.get(pk=client.pk).name == "Nama Baru"


def test_the_page_adds_the_nik_and_shows_refusals_in_indonesian(people, no_nik_case):
    client = Client.objects.get(pk=no_nik_case.client_id)
    url = reverse("rehabilitation:client_edit", args=[client.pk])
    http = _http(people.worker_a)
    detail = http.get(reverse("rehabilitation:client_detail", args=[client.pk])).content.decode()
    assert url in detail  # "Change the record" and "Add the NIK"
    response = http.post(url, _form_data(client, nik="3514015403500"))
    assert response.status_code == 400
    assert "16 digit" in response.content.decode()
    assert _row(client.pk)[0][0] is None
    nik = make_nik("35.14.01", BIRTH_ON, "P", 78)
    assert http.post(url, _form_data(client, nik=nik)).status_code == 302
    assert _row(client.pk)[0][:2] == (nik, "")
    stale = http.post(url, _form_data(client, nik=nik, name="Lain"))  # version 1 again
    assert stale.status_code == 400
    assert "Muat ulang halaman" in stale.content.decode()
    assert Client.objects.get(pk=client.pk).name == "Tanpa Nama"


def test_the_edit_link_is_shown_only_to_who_may_change(people, no_nik_case):
    url = reverse("rehabilitation:client_edit", args=[no_nik_case.client_id])
    detail = reverse("rehabilitation:client_detail", args=[no_nik_case.client_id])
    for user, shown in [(people.worker_a, True), (people.worker_a2, False), (people.office, False)]:
        assert (url in _http(user).get(detail).content.decode()) is shown, user


def test_the_edit_page_query_count_is_pinned(people, units, no_nik_case):
    http = _http(people.worker_a)
    url = reverse("rehabilitation:client_edit", args=[no_nik_case.client_id])
    http.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    own = [q for q in captured.captured_queries if '"rehabilitation_' in q["sql"]]
    # the client (scoped), its open case, the category, disability and referral options
    assert len(own) == 5, [q["sql"][:120] for q in own]
    for i in range(3):
        admit(units.upt_a, social_worker=people.worker_a, name=f"Klien {i}")
    with CaptureQueriesContext(connection) as again:
        http.get(url)
    assert len(again) == len(captured)

"""Consent records (UU 27/2022): who consents (guardian for children), history kept on withdrawal,
the one selector that answers "has this client consented to X now?", and the pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import make_nik
from sinergi.rehabilitation.models import (
    ClientDocument,
    ConsentRecord,
    DocumentType,
    RecordsAuditAction,
)
from sinergi.rehabilitation.selectors.documents import client_has_consent
from sinergi.rehabilitation.services.consent import consent_record, consent_withdraw
from sinergi.rehabilitation.services.documents import document_types_load
from sinergi.rehabilitation.testing import admit, own_queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def document_types(db):
    if not DocumentType.objects.exists():
        document_types_load(actor=None)


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


@pytest.fixture
def child_case(units, people):
    birth_on = timezone.localdate().replace(year=timezone.localdate().year - 10, day=1)
    return admit(
        units.upt_a, social_worker=people.worker_a, birth_on=birth_on, sex="L", name="Budi"
    )


def _consent(people, client, **overrides):
    values = {
        "actor": people.worker_a,
        "client": client,
        "scope": "care",
        "given_by": "client",
        "consented_on": dt.date(2026, 1, 5),
    }
    values.update(overrides)
    return consent_record(**values)


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def test_an_adult_consents_and_the_selector_answers(people, case_a):
    client = case_a.client
    assert not client_has_consent(client=client, scope="care")
    record = _consent(people, client)
    assert record.in_force
    assert client_has_consent(client=client, scope="care")
    assert client_has_consent(client=client.pk, scope="care", on=dt.date(2026, 1, 5))
    assert not client_has_consent(client=client, scope="care", on=dt.date(2026, 1, 4))
    assert not client_has_consent(client=client, scope="publication")
    event = AuditEvent.objects.get(action=RecordsAuditAction.CONSENT_RECORDED)
    assert event.changes["scope"] == [None, "care"]
    assert "Siti" not in str(event.changes) + str(event.extra) + event.target_label


def test_a_child_cannot_consent_alone(people, child_case):
    with pytest.raises(ApplicationError) as caught:
        _consent(people, child_case.client, consented_on=timezone.localdate())
    assert caught.value.code == "guardian_required"
    assert "parent or guardian" in caught.value.message
    assert ConsentRecord.objects.count() == 0


def test_a_guardian_consents_for_a_child_with_name_and_relationship(people, child_case):
    with pytest.raises(ApplicationError) as caught:
        _consent(people, child_case.client, given_by="guardian", consented_on=timezone.localdate())
    assert set(caught.value.field_errors) == {"guardian_name", "guardian_relationship"}
    assert ConsentRecord.objects.count() == 0
    guardian_nik = make_nik("35.14.01", dt.date(1980, 5, 2), "P", 7)
    record = _consent(
        people,
        child_case.client,
        given_by="guardian",
        guardian_name="Sumarni",
        guardian_relationship="Ibu",
        guardian_nik=guardian_nik,
        consented_on=timezone.localdate(),
    )
    assert (record.given_by, record.guardian_nik) == ("guardian", guardian_nik)


def test_an_invalid_guardian_nik_is_refused(people, child_case):
    with pytest.raises(ApplicationError) as caught:
        _consent(
            people,
            child_case.client,
            given_by="guardian",
            guardian_name="Sumarni",
            guardian_relationship="Ibu",
            guardian_nik="1234",
            consented_on=timezone.localdate(),
        )
    assert "guardian_nik" in caught.value.field_errors
    assert ConsentRecord.objects.count() == 0


def test_a_future_date_is_refused(people, case_a):
    with pytest.raises(ApplicationError):
        _consent(people, case_a.client, consented_on=timezone.localdate() + dt.timedelta(days=1))
    assert ConsentRecord.objects.count() == 0


def test_a_second_consent_in_force_is_refused(people, case_a):
    _consent(people, case_a.client)
    with pytest.raises(ApplicationError) as caught:
        _consent(people, case_a.client, consented_on=dt.date(2026, 2, 1))
    assert caught.value.code == "consent_in_force"
    assert ConsentRecord.objects.count() == 1


def test_withdrawal_keeps_the_history_and_a_new_consent_is_a_new_row(people, case_a):
    client = case_a.client
    record = _consent(people, client, scope="publication")
    with pytest.raises(ApplicationError):
        consent_withdraw(
            actor=people.worker_a, consent=record, withdrawn_on=dt.date(2026, 2, 1), reason=" "
        )
    assert ConsentRecord.objects.get().withdrawn_on is None
    withdrawn = consent_withdraw(
        actor=people.worker_a,
        consent=record,
        withdrawn_on=dt.date(2026, 2, 1),
        reason="Permintaan keluarga",
    )
    assert (withdrawn.withdrawn_on, withdrawn.withdrawn_by) == (
        dt.date(2026, 2, 1),
        people.worker_a,
    )
    assert client_has_consent(client=client, scope="publication", on=dt.date(2026, 1, 31))
    assert not client_has_consent(client=client, scope="publication")
    with pytest.raises(ApplicationError) as caught:
        consent_withdraw(
            actor=people.worker_a, consent=record, withdrawn_on=dt.date(2026, 2, 2), reason="x"
        )
    assert caught.value.code == "already_withdrawn"
    _consent(people, client, scope="publication", consented_on=dt.date(2026, 2, 3))
    assert ConsentRecord.objects.filter(client=client).count() == 2
    assert client_has_consent(client=client, scope="publication")
    assert AuditEvent.objects.filter(action=RecordsAuditAction.CONSENT_WITHDRAWN).count() == 1


def test_the_signed_form_is_stored_as_a_document(people, case_a):
    record = _consent(people, case_a.client, form_upload=SimpleUploadedFile("form.pdf", PDF))
    assert record.form_document.document_type.code == "formulir-persetujuan"
    assert record.form_document.client_id == case_a.client_id


def test_a_bad_form_file_saves_nothing(people, case_a):
    with pytest.raises(ApplicationError):
        _consent(people, case_a.client, form_upload=SimpleUploadedFile("form.pdf", b"MZ\x90"))
    assert ConsentRecord.objects.count() == 0
    assert ClientDocument.objects.count() == 0


def _stored_forms(monkeypatch):
    """Wrap the consent service's document upload: remember the stored file names."""
    from sinergi.rehabilitation.services import consent as consent_services

    stored = []
    real_upload = consent_services.document_upload

    def upload(**kwargs):
        document = real_upload(**kwargs)
        assert document.file.storage.exists(document.file.name)
        stored.append((document.file.storage, document.file.name))
        return document

    monkeypatch.setattr(consent_services, "document_upload", upload)
    return stored


def test_a_form_stored_before_a_failed_save_is_deleted_from_disk(people, case_a, monkeypatch):
    """Someone else records the same consent between the check and the save: the row is refused
    (IntegrityError), the document row rolls back and the stored file is deleted too."""
    from sinergi.rehabilitation.services import consent as consent_services

    stored = _stored_forms(monkeypatch)
    upload = consent_services.document_upload

    def upload_then_race(**kwargs):
        document = upload(**kwargs)
        ConsentRecord.objects.create(  # the other user's consent, saved at the same moment
            client=case_a.client, scope="care", given_by="client", consented_on=dt.date(2026, 1, 4)
        )
        return document

    monkeypatch.setattr(consent_services, "document_upload", upload_then_race)
    with pytest.raises(ApplicationError) as refused:
        _consent(people, case_a.client, form_upload=SimpleUploadedFile("form.pdf", PDF))
    assert refused.value.code == "consent_in_force"
    assert len(stored) == 1
    storage, name = stored[0]
    assert not storage.exists(name)
    assert (ConsentRecord.objects.count(), ClientDocument.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_UPLOADED).exists()


def test_a_form_stored_before_a_failing_audit_is_deleted_from_disk(people, case_a, monkeypatch):
    from sinergi.audit import services as audit_services

    stored = _stored_forms(monkeypatch)
    real_record = audit_services.record

    def record(**kwargs):
        if kwargs["action"] == RecordsAuditAction.CONSENT_RECORDED:
            raise RuntimeError("audit store unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(audit_services, "record", record)
    with pytest.raises(RuntimeError):
        _consent(people, case_a.client, form_upload=SimpleUploadedFile("form.pdf", PDF))
    storage, name = stored[0]
    assert not storage.exists(name)
    assert (ConsentRecord.objects.count(), ClientDocument.objects.count()) == (0, 0)


def test_a_saved_consent_keeps_its_form_on_disk(people, case_a, monkeypatch):
    stored = _stored_forms(monkeypatch)
    record = _consent(people, case_a.client, form_upload=SimpleUploadedFile("form.pdf", PDF))
    storage, name = stored[0]
    assert storage.exists(name)
    assert record.form_document.file.name == name


def test_a_worker_of_another_upt_cannot_record_consent(people, case_a):
    with pytest.raises(ApplicationError):
        _consent(people, case_a.client, actor=people.worker_b)
    assert ConsentRecord.objects.count() == 0


# --- Pages -----------------------------------------------------------------------------------


def test_consent_page_authorization(people, case_a):
    url = reverse("rehabilitation:consent_create", args=[case_a.client_id])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
        ],
    )
    data = {"scope": "care", "given_by": "client", "consented_on": "2026-01-05"}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=lambda: ConsentRecord.objects.count(),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("head of the UPT", people.head_a, 302),
        ],
    )
    assert ConsentRecord.objects.get().recorded_by == people.head_a


def test_consent_page_shows_the_refusal_for_a_child(people, child_case):
    response = _http(people.worker_a).post(
        reverse("rehabilitation:consent_create", args=[child_case.client_id]),
        {"scope": "care", "given_by": "client", "consented_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "diberikan oleh orang tua atau wali" in response.content.decode()  # Indonesian UI
    assert ConsentRecord.objects.count() == 0


def test_withdraw_page_authorization(people, case_a):
    record = _consent(people, case_a.client)
    url = reverse("rehabilitation:consent_withdraw", args=[case_a.client_id, record.pk])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("head of the division (reads only)", people.division, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
        ],
    )
    assert_authorization(
        url=url,
        method="post",
        data={"withdrawn_on": "2026-02-01", "reason": "Permintaan PM"},
        state=lambda: list(ConsentRecord.objects.values_list("withdrawn_on", flat=True)),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of the division (reads only)", people.division, 403),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 302),
        ],
    )
    assert ConsentRecord.objects.get().withdrawn_on == dt.date(2026, 2, 1)


def test_panel_shows_the_consent_state(people, case_a):
    _consent(people, case_a.client, scope="data_sharing")
    body = (
        _http(people.worker_a)
        .get(reverse("rehabilitation:client_records_panel", args=[case_a.client_id]))
        .content.decode()
    )
    assert 'data-testid="consent-data_sharing"' in body
    sharing = body.split('data-testid="consent-data_sharing"')[1].split("</li>")[0]
    assert "sudah menyetujui" in sharing  # the page speaks Indonesian
    publication = body.split('data-testid="consent-publication"')[1].split("</li>")[0]
    assert "belum ada persetujuan" in publication


CONSENT_PAGE_QUERIES = {"create": 3, "withdraw": 4}  # without the shell's (testing.own_queries)


def test_consent_pages_query_counts_are_pinned(people, case_a):
    """The same exact count with one consent and with several (withdrawn ones in the history)."""
    http = _http(people.worker_a)
    record = _consent(people, case_a.client)

    def counts():
        found = {}
        for name, url in (
            ("create", reverse("rehabilitation:consent_create", args=[case_a.client_id])),
            (
                "withdraw",
                reverse("rehabilitation:consent_withdraw", args=[case_a.client_id, record.pk]),
            ),
        ):
            http.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert http.get(url).status_code == 200
            found[name] = own_queries(captured)
        return found

    one = counts()
    for day in (6, 8):
        old = _consent(
            people, case_a.client, scope="publication", consented_on=dt.date(2026, 1, day)
        )
        consent_withdraw(
            actor=people.worker_a, consent=old, withdrawn_on=dt.date(2026, 1, day + 1), reason="x"
        )
    _consent(people, case_a.client, scope="data_sharing")
    assert ConsentRecord.objects.filter(client=case_a.client).count() == 4
    assert one == CONSENT_PAGE_QUERIES
    assert counts() == CONSENT_PAGE_QUERIES

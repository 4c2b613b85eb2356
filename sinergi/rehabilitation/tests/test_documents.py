"""Client documents: real-content checks on upload (magic bytes), private storage, the
access-checked and logged download, the consent/documents panel of the client page."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.core.errors import ApplicationError
from sinergi.rehabilitation.models import ClientDocument, DocumentType, RecordsAuditAction
from sinergi.rehabilitation.services.documents import document_types_load, document_upload
from sinergi.rehabilitation.testing import admit, own_queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def document_types(db):
    if not DocumentType.objects.exists():
        document_types_load(actor=None)
    return {t.code: t for t in DocumentType.objects.all()}


@pytest.fixture
def case_a(units, people):
    return admit(units.upt_a, social_worker=people.worker_a)


def _http(user):
    client = HttpClient()
    client.force_login(user)
    return client


def _upload(people, case_a, document_types, name="ktp.pdf", content=PDF, code="ktp"):
    return document_upload(
        actor=people.worker_a,
        client=case_a.client,
        document_type=document_types[code],
        upload=SimpleUploadedFile(name, content),
    )


def test_document_types_are_reference_data_with_sizes_and_extensions(document_types):
    assert set(document_types) == {
        "ktp",
        "kk",
        "surat-rujukan",
        "formulir-persetujuan",
        "foto",
        "lainnya",
    }
    assert document_types["foto"].extension_list == ["jpg", "jpeg", "png"]
    assert document_types["foto"].is_photo
    assert document_types["ktp"].max_size_kb == 2048


def test_a_pdf_is_stored_privately_under_its_uuid_and_audited(people, case_a, document_types):
    document = _upload(people, case_a, document_types, name="KTP Siti Aminah.pdf")
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    # private storage: under MEDIA_ROOT (never served), named by the UUID, not the user's file name
    path = document.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert "Siti" not in document.file.name
    assert str(document.pk) in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == PDF
    event = AuditEvent.objects.get(action=RecordsAuditAction.DOCUMENT_UPLOADED)
    assert event.target_id == str(document.pk)
    assert event.changes["document_type"] == [None, "ktp"]


def test_a_renamed_program_is_refused_naming_the_allowed_types_and_size(
    people, case_a, document_types
):
    with pytest.raises(ApplicationError) as caught:
        _upload(people, case_a, document_types, name="ktp.pdf", content=EXE)
    assert "not a real PDF file" in caught.value.message
    assert "PDF, JPG, JPEG or PNG, at most 2 MB" in caught.value.message
    assert ClientDocument.objects.count() == 0
    assert not AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_UPLOADED).exists()


def test_an_exe_extension_is_refused(people, case_a, document_types):
    with pytest.raises(ApplicationError) as caught:
        _upload(people, case_a, document_types, name="setup.exe", content=EXE)
    assert "“.exe” are not accepted" in caught.value.message
    assert ClientDocument.objects.count() == 0


def test_a_png_named_pdf_is_refused(people, case_a, document_types):
    with pytest.raises(ApplicationError):
        _upload(people, case_a, document_types, name="ktp.pdf", content=PNG)
    assert ClientDocument.objects.count() == 0


def test_a_pdf_is_not_a_photo(people, case_a, document_types):
    with pytest.raises(ApplicationError) as caught:
        _upload(people, case_a, document_types, name="foto.pdf", content=PDF, code="foto")
    assert "JPG, JPEG or PNG, at most 1 MB" in caught.value.message
    photo = _upload(people, case_a, document_types, name="foto.png", content=PNG, code="foto")
    assert photo.content_type == "image/png"


def test_a_file_too_big_is_refused(people, case_a, document_types):
    big = PDF + b"0" * (2048 * 1024)
    with pytest.raises(ApplicationError) as caught:
        _upload(people, case_a, document_types, content=big)
    assert caught.value.message == (
        "The file is 2,1 MB, larger than the 2 MB allowed. "
        "Upload a file of type PDF, JPG, JPEG or PNG, at most 2 MB."
    )
    assert ClientDocument.objects.count() == 0


def test_a_worker_of_another_upt_cannot_upload(people, case_a, document_types):
    with pytest.raises(ApplicationError):
        document_upload(
            actor=people.worker_b,
            client=case_a.client,
            document_type=document_types["ktp"],
            upload=SimpleUploadedFile("ktp.pdf", PDF),
        )
    assert ClientDocument.objects.count() == 0


# --- Pages -----------------------------------------------------------------------------------


def test_download_authorization_and_headers(people, case_a, document_types):
    document = _upload(people, case_a, document_types, name="KTP Siti Aminah.pdf")
    url = reverse("rehabilitation:document_download", args=[document.pk])
    assert str(document.pk) in url
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("no role", people.no_role, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("head of another UPT", people.head_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of the division", people.division, 200),
        ],
    )
    before = AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_DOWNLOADED).count()
    response = _http(people.worker_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"ktp-{str(document.pk)[:8]}.pdf" in disposition
    assert "Siti" not in disposition
    events = AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_DOWNLOADED)
    assert events.count() == before + 1
    assert events.latest("id").kind == AuditEvent.Kind.READ


def test_the_newest_photo_is_shown_on_the_client_file_other_files_stay_attachments(
    people, case_a, document_types
):
    _upload(people, case_a, document_types, name="lama.png", content=PNG, code="foto")
    photo = _upload(people, case_a, document_types, name="baru.png", content=PNG, code="foto")
    pdf = _upload(people, case_a, document_types)
    client = _http(people.worker_a)
    panel = client.get(reverse("rehabilitation:client_records_panel", args=[case_a.client_id]))
    shown = reverse("rehabilitation:document_download", args=[photo.pk]) + "?tampil=1"
    assert f'src="{shown}"' in panel.content.decode()
    assert panel.content.decode().count('data-testid="client-photo"') == 1
    before = AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_DOWNLOADED).count()
    response = client.get(shown)
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PNG
    after = AuditEvent.objects.filter(action=RecordsAuditAction.DOCUMENT_DOWNLOADED).count()
    assert after == before + 1  # seeing the photo is a logged read too
    # only a photo is shown in the page: any other document stays a download
    other = client.get(reverse("rehabilitation:document_download", args=[pdf.pk]), {"tampil": 1})
    assert other["Content-Disposition"].startswith("attachment")
    assert _http(people.worker_b).get(shown).status_code == 404


def test_unknown_document_is_404(people):
    url = reverse("rehabilitation:document_download", args=["00000000-0000-0000-0000-000000000000"])
    assert _http(people.worker_a).get(url).status_code == 404


def test_upload_page_authorization(people, case_a, document_types):
    url = reverse("rehabilitation:document_upload", args=[case_a.client_id])
    assert_authorization(
        url=url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a, 200),
        ],
    )
    assert_authorization(
        url=url,
        method="post",
        data={"document_type": document_types["ktp"].pk},
        state=lambda: ClientDocument.objects.count(),
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people.office, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
        ],
    )


def test_upload_page_saves_a_pdf_and_refuses_an_exe(people, case_a, document_types):
    http = _http(people.worker_a)
    url = reverse("rehabilitation:document_upload", args=[case_a.client_id])
    response = http.post(
        url,
        {
            "document_type": document_types["kk"].pk,
            "file": SimpleUploadedFile("virus.pdf", EXE),
            "case": case_a.pk,
        },
    )
    assert response.status_code == 400
    assert "bukan berkas PDF yang sebenarnya" in response.content.decode()  # Indonesian UI
    assert ClientDocument.objects.count() == 0
    response = http.post(
        url,
        {
            "document_type": document_types["kk"].pk,
            "file": SimpleUploadedFile("kk.pdf", PDF),
            "case": case_a.pk,
            "description": "KK asli",
        },
    )
    assert response.status_code == 302
    document = ClientDocument.objects.get()
    assert (document.case_id, document.document_type.code) == (case_a.pk, "kk")


def test_panel_authorization(people, case_a):
    assert_authorization(
        url=reverse("rehabilitation:client_records_panel", args=[case_a.client_id]),
        cases=[
            Expect("anonymous", None, 302),
            Expect("finance officer", people.finance, 403),
            Expect("social worker of another UPT", people.worker_b, 404),
            Expect("social worker of the UPT", people.worker_a2, 200),
            Expect("head of office", people.office, 200),
        ],
    )


def test_client_page_loads_the_panel(people, case_a):
    response = _http(people.worker_a).get(
        reverse("rehabilitation:client_detail", args=[case_a.client_id])
    )
    assert reverse("rehabilitation:client_records_panel", args=[case_a.client_id]) in (
        response.content.decode()
    )


PANEL_QUERIES = 6  # without the shell's queries (testing.own_queries)
UPLOAD_PAGE_QUERIES = 6


def _queries(http, url):
    http.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
    assert response.status_code == 200
    return own_queries(captured), response


def test_panel_query_count_is_pinned_with_one_and_five_documents(people, case_a, document_types):
    http = _http(people.worker_a)
    url = reverse("rehabilitation:client_records_panel", args=[case_a.client_id])
    _upload(people, case_a, document_types)
    one, _response = _queries(http, url)
    for _ in range(4):
        _upload(people, case_a, document_types)
    five, response = _queries(http, url)
    assert response.content.decode().count("document_download") == 0  # ids only in hrefs
    assert response.content.decode().count("/unduh/") == 5
    assert (one, five) == (PANEL_QUERIES, PANEL_QUERIES)


def test_upload_page_query_count_is_pinned_with_one_and_five_documents(
    people, case_a, document_types
):
    http = _http(people.worker_a)
    url = reverse("rehabilitation:document_upload", args=[case_a.client_id])
    _upload(people, case_a, document_types)
    one, _response = _queries(http, url)
    for _ in range(4):
        _upload(people, case_a, document_types)
    five, _response = _queries(http, url)
    assert (one, five) == (UPLOAD_PAGE_QUERIES, UPLOAD_PAGE_QUERIES)

"""The export pages: export_or_enqueue (file at once, or a job), "My exports", the job page, its
progress fragment, the download and "make it again": authorization, behaviour, pinned queries."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sinergi.core import exports
from sinergi.core.export_jobs import services
from sinergi.core.export_views import export_or_enqueue
from sinergi.core.exports import ExportColumn, ExportSource, register_source
from sinergi.core.models import ExportJob

_testing = importlib.import_module("sinergi.accounts.testing")
Expect = _testing.Expect
assert_authorization = _testing.assert_authorization

Status = ExportJob.Status
SOURCE = "test.numbers"
PERMISSION = "organisation.import_unit"  # a permission no role gets by default

pytestmark = pytest.mark.django_db


def grant(user):
    app_label, codename = PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return user


def numbers(viewer, params):
    return ({"n": i, "who": viewer.username} for i in range(1, int(params["rows"]) + 1))


@pytest.fixture(autouse=True)
def numbers_source():
    source = register_source(
        ExportSource(
            code=SOURCE,
            title="Angka uji",
            permission=PERMISSION,
            columns=[ExportColumn("n", "Nomor", kind="int"), ExportColumn("who", "Pengguna")],
            rows=numbers,
            count_hint=lambda viewer, params: int(params["rows"]),
            filename="angka",
        )
    )
    yield source
    exports.unregister_source(SOURCE)


@pytest.fixture
def people(units, make_user):
    class People:
        exporter = grant(make_user("head_of_office", units.office, username="pengekspor"))
        other_exporter = grant(make_user("head_of_office", units.office, username="lain"))
        no_role = make_user(None, units.upt_a, username="tanpa-peran")

    return People


@pytest.fixture
def small_limit(settings):
    settings.SINERGI = {**settings.SINERGI, "EXPORT_SYNC_MAX_ROWS": 2}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def job_for(user, *, rows=3, run=True, file_format="xlsx"):
    job = services.export_job_create(
        actor=user,
        source_code=SOURCE,
        params={"rows": rows},
        file_format=file_format,
        estimated_rows=rows,
    )
    return services.export_job_run(job_id=job.pk) if run else job


def matrix(people, *, owner_status=200):
    return [
        Expect("anonymous", None, 302),
        Expect("signed in, may export nothing", people.no_role, 403),
        Expect("another exporter (did not ask for it)", people.other_exporter, 404),
        Expect("the person who asked for it", people.exporter, owner_status),
    ]


def jobs_state():
    return list(ExportJob.objects.values_list("id", "status").order_by("id"))


def call_export(user, rows, file_format="xlsx"):
    """export_or_enqueue as an app's view calls it."""
    request = RequestFactory().get("/daftar/ekspor/")
    request.user = user
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    response = export_or_enqueue(request, SOURCE, {"rows": rows}, file_format, back_url="/daftar/")
    response.messages = [str(m) for m in request._messages]
    return response


# --- export_or_enqueue ---------------------------------------------------------------------------


def test_a_small_export_is_answered_with_the_file(people, small_limit):
    response = call_export(people.exporter, 2)
    assert isinstance(response, HttpResponse)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="angka.xlsx"'
    assert response["Cache-Control"] == "no-store"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert len(sheet.to_python()) == 3
    assert ExportJob.objects.count() == 0


def test_a_big_export_becomes_a_job_run_after_commit(
    people, small_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = call_export(people.exporter, 3, "csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.row_count, job.estimated_rows, job.file_format) == (
        Status.DONE, 3, 3, "csv",
    )  # fmt: skip
    assert job.requested_by == people.exporter


def test_a_source_without_a_hint_but_with_a_list_is_measured_by_its_length(
    people, small_limit, numbers_source, django_capture_on_commit_callbacks
):
    import dataclasses

    register_source(
        dataclasses.replace(
            numbers_source,
            rows=lambda viewer, params: list(numbers(viewer, params)),
            count_hint=lambda viewer, params: None,
        )
    )
    assert call_export(people.exporter, 2).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert call_export(people.exporter, 3).status_code == 302
    assert ExportJob.objects.get().row_count == 3


def test_a_refused_export_goes_back_with_the_reason(people, small_limit, numbers_source):
    import dataclasses

    from sinergi.core.errors import ApplicationError

    def refuse(viewer, params):
        raise ApplicationError("Filter tidak valid.")

    register_source(dataclasses.replace(numbers_source, count_hint=refuse))
    response = call_export(people.exporter, 3)
    assert response.status_code == 302
    assert response["Location"] == "/daftar/"
    assert response.messages == ["Filter tidak valid."]
    assert ExportJob.objects.count() == 0


def test_export_or_enqueue_refuses_a_user_without_the_permission(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        call_export(people.no_role, 1)


def test_export_or_enqueue_does_not_know_other_formats_or_sources(people):
    from django.http import Http404

    with pytest.raises(Http404):
        call_export(people.exporter, 1, "pdf")


# --- authorization -------------------------------------------------------------------------------


def test_my_exports_authorization(people):
    assert_authorization(
        url=reverse("core:export_list"),
        cases=[
            Expect("anonymous", None, 302),
            Expect("signed in, may export nothing", people.no_role, 403),
            Expect("exporter", people.exporter, 200),
        ],
    )


def test_job_page_authorization(people):
    job = job_for(people.exporter)
    assert_authorization(url=reverse("core:export_job", args=[job.pk]), cases=matrix(people))


def test_progress_authorization(people):
    job = job_for(people.exporter, run=False)
    assert_authorization(
        url=reverse("core:export_job_progress", args=[job.pk]), cases=matrix(people)
    )


def test_download_authorization(people):
    job = job_for(people.exporter)
    assert_authorization(
        url=reverse("core:export_job_download", args=[job.pk]), cases=matrix(people)
    )


def test_repeat_authorization_changes_nothing_when_denied(people):
    job = job_for(people.exporter)
    assert_authorization(
        url=reverse("core:export_job_repeat", args=[job.pk]),
        method="post",
        cases=matrix(people, owner_status=302),
        state=jobs_state,
    )
    assert ExportJob.objects.count() == 2  # only the requester's own call made a new job


def test_a_requester_who_lost_the_permission_gets_403_on_the_job_and_its_file(people):
    job = job_for(people.exporter)
    people.exporter.user_permissions.clear()
    grant_other = Permission.objects.get(
        content_type__app_label="organisation", codename="view_unit"
    )
    people.exporter.user_permissions.add(grant_other)  # may still export something else
    client = client_for(people.exporter)
    assert client.get(reverse("core:export_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("core:export_job_download", args=[job.pk])).status_code == 403


def test_an_unknown_job_is_404(people):
    import uuid

    client = client_for(people.exporter)
    assert client.get(reverse("core:export_job", args=[uuid.uuid4()])).status_code == 404


# --- behaviour -----------------------------------------------------------------------------------


def test_the_download_is_the_stored_file_under_its_download_name(people):
    job = job_for(people.exporter, rows=3, file_format="csv")
    response = client_for(people.exporter).get(reverse("core:export_job_download", args=[job.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="angka.csv"'
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text == "\ufeffNomor;Pengguna\r\n1;pengekspor\r\n2;pengekspor\r\n3;pengekspor\r\n"


def test_a_running_job_shows_a_polling_progress_bar(people):
    job = job_for(people.exporter, rows=1000, run=False)
    ExportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, processed_rows=250)
    html = client_for(people.exporter).get(reverse("core:export_job", args=[job.pk])).content
    html = html.decode()
    assert 'hx-trigger="every 1s"' in html
    assert reverse("core:export_job_progress", args=[job.pk]) in html
    assert "import-progress-25" in html
    assert "250 dari sekitar 1.000 baris" in html
    assert 'data-testid="job-download"' not in html


def test_the_progress_fragment_asks_for_a_refresh_once_the_job_is_done(people):
    job = job_for(people.exporter)
    url = reverse("core:export_job_progress", args=[job.pk])
    response = client_for(people.exporter).get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert 'data-testid="job-finished"' in response.content.decode()


def test_the_progress_fragment_keeps_polling_while_queued(people):
    job = job_for(people.exporter, run=False)
    url = reverse("core:export_job_progress", args=[job.pk])
    response = client_for(people.exporter).get(url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in response
    assert "Menunggu giliran" in response.content.decode()


def test_a_done_job_offers_the_download_and_says_who_may_have_it(people):
    job = job_for(people.exporter, rows=3)
    html = client_for(people.exporter).get(reverse("core:export_job", args=[job.pk])).content
    html = html.decode()
    assert "Berkas sudah siap: 3 baris." in html
    assert reverse("core:export_job_download", args=[job.pk]) in html
    assert "Hanya Anda yang dapat mengunduhnya. Berkas dihapus 30 hari setelah dibuat." in html
    assert 'data-testid="job-repeat"' not in html


def test_a_failed_job_says_why_and_offers_to_make_it_again(people):
    job = job_for(people.exporter, run=False)
    people.exporter.user_permissions.clear()
    services.export_job_run(job_id=job.pk)
    grant(people.exporter)
    html = client_for(people.exporter).get(reverse("core:export_job", args=[job.pk])).content
    html = html.decode()
    assert "Peran Anda tidak boleh mengekspor data ini." in html
    assert 'data-testid="job-repeat"' in html
    assert 'data-testid="job-download"' not in html


def test_making_an_export_again_queues_a_new_job_and_shows_it(
    people, django_capture_on_commit_callbacks
):
    job = job_for(people.exporter, rows=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.exporter).post(
            reverse("core:export_job_repeat", args=[job.pk])
        )
    new_job = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("core:export_job", args=[new_job.pk])
    new_job.refresh_from_db()
    assert (new_job.status, new_job.row_count, new_job.params) == (Status.DONE, 2, {"rows": 2})


def test_a_deleted_file_is_not_offered_and_not_served(people):
    from django.utils import timezone

    job = job_for(people.exporter)
    ExportJob.objects.filter(pk=job.pk).update(file="", files_purged_at=timezone.now())
    client = client_for(people.exporter)
    html = client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    assert 'data-testid="job-purged"' in html
    assert 'data-testid="job-repeat"' in html
    assert client.get(reverse("core:export_job_download", args=[job.pk])).status_code == 404


def test_my_exports_lists_only_my_own_jobs_newest_first(people):
    mine_old = job_for(people.exporter, rows=1)
    job_for(people.other_exporter, rows=2)
    mine_new = job_for(people.exporter, rows=3, run=False)
    html = client_for(people.exporter).get(reverse("core:export_list")).content.decode()
    links = re.findall(r'href="/ekspor/([0-9a-f-]{36})/"', html)
    assert links == [str(mine_new.pk), str(mine_old.pk)]
    assert reverse("core:export_job_download", args=[mine_old.pk]) in html


def test_my_exports_has_a_helpful_empty_state(people):
    html = client_for(people.exporter).get(reverse("core:export_list")).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "Anda belum mempunyai ekspor besar." in html


def test_the_menu_shows_my_exports_to_people_who_may_export(people):
    html = client_for(people.exporter).get(reverse("core:export_list")).content.decode()
    assert 'href="/ekspor/"' in html
    no_role_html = client_for(people.no_role).get("/").content.decode()
    assert 'href="/ekspor/"' not in no_role_html


def test_export_pages_have_no_inline_style_or_script(people):
    done = job_for(people.exporter)
    running = job_for(people.exporter, run=False)
    client = client_for(people.exporter)
    for url in (
        reverse("core:export_list"),
        reverse("core:export_job", args=[done.pk]),
        reverse("core:export_job", args=[running.pk]),
    ):
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert re.findall(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", html) == [], url


# --- pinned query counts -------------------------------------------------------------------------

# session, user, 2FA check, 2 permission queries, the job(s), unread notifications (layout)
PINNED = {"list": 6, "job": 6, "progress": 5}  # the fragment has no layout


def _count(client, url, django_assert_num_queries, expected):
    client.get(url)  # the first request after a login may write the session
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_my_exports_query_count_is_pinned_and_does_not_grow(people, django_assert_num_queries):
    client = client_for(people.exporter)
    job_for(people.exporter)
    _count(client, reverse("core:export_list"), django_assert_num_queries, PINNED["list"])
    for rows in range(2, 12):
        job_for(people.exporter, rows=rows)
    _count(client, reverse("core:export_list"), django_assert_num_queries, PINNED["list"])


def test_job_page_query_count_is_pinned(people, django_assert_num_queries):
    small, big = job_for(people.exporter, rows=1), job_for(people.exporter, rows=500)
    client = client_for(people.exporter)
    for job in (small, big):
        url = reverse("core:export_job", args=[job.pk])
        _count(client, url, django_assert_num_queries, PINNED["job"])


def test_progress_query_count_is_pinned(people, django_assert_num_queries):
    job = job_for(people.exporter, run=False)
    url = reverse("core:export_job_progress", args=[job.pk])
    _count(client_for(people.exporter), url, django_assert_num_queries, PINNED["progress"])


def test_the_file_at_once_reads_rows_in_a_constant_number_of_queries(
    people, django_assert_num_queries
):
    """A source backed by a table: the export's queries do not grow with its rows."""
    import dataclasses

    region = apps.get_model("organisation", "Region")
    register_source(
        dataclasses.replace(
            exports.get_source(SOURCE),
            columns=[ExportColumn("code", "kode", kind="identity"), ExportColumn("name", "nama")],
            rows=lambda viewer, params: region.objects.order_by("code").iterator(),
            count_hint=lambda viewer, params: exports.count_up_to(
                region.objects.all(), exports.sync_limit()
            ),
        )
    )
    region.objects.create(code="35", name="Jawa Timur", level=1)
    call_export(people.exporter, 0)  # the user's permissions are loaded and cached here
    with django_assert_num_queries(5):  # count hint, rows, audit: savepoint, insert, release
        response = call_export(people.exporter, 0)
    assert response.status_code == 200
    for i in range(10, 40):
        region.objects.create(code=f"35.{i}", name=f"Kabupaten {i}", level=2, parent_id="35")
    with django_assert_num_queries(5):
        call_export(people.exporter, 0)

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.sakip import services
from sinergi.sakip.models import Answer, Component, Evaluation, Recommendation
from sinergi.sakip.testing import answer_all, criteria_of, make_evaluation, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(units):
    return make_evaluation(units.upt_b)


def _client(user):
    client = Client()
    client.force_login(user)
    client.get("/sakip/")  # the first request writes the session (idle timeout)
    return client


def test_summary_authorization_and_scope(evaluation, people, units):
    make_evaluation(units.upt_a)
    assert_authorization(
        url="/sakip/?tahun=2025",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
            Expect("auditor", people["auditor"], 200),
        ],
    )
    content = _client(people["head_a"]).get("/sakip/?tahun=2025").content.decode()
    assert "UPT RSBD Pasuruan" in content
    assert "UPT PSTW Magetan" not in content


def test_summary_query_count_does_not_grow_with_units(people, units):
    make_evaluation(units.upt_a)
    client = _client(people["planner"])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sakip/?tahun=2025").status_code == 200
    for unit in (units.upt_b, units.secretariat, units.rehab_division, units.office):
        answer_all(make_evaluation(unit), review=False)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/sakip/?tahun=2025").status_code == 200
    assert len(many) == len(few)


def test_worksheet_authorization(evaluation, people):
    assert_authorization(
        url=f"/sakip/evaluasi/{evaluation.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
            Expect("head of the division above", people["division"], 200),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_worksheet_query_count_is_fixed(evaluation, people):
    client = _client(people["head_b"])
    url = f"/sakip/evaluasi/{evaluation.pk}/"
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    answer_all(evaluation)
    with CaptureQueriesContext(connection) as full:
        response = client.get(url)
    assert len(full) == len(empty)
    assert "24 dari 24 kriteria dijawab" in response.content.decode()


def test_answering_authorization_changes_nothing_when_denied(evaluation, people):
    criterion = criteria_of(evaluation.template)[0]

    def state():
        return list(Answer.objects.values_list("criterion_id", "option__code"))

    url = f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/"
    data = {"option": "Y", "evidence_text": "Renstra 2025-2029"}
    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of office (reads only)", people["head"], 403),
        ("head of another UPT", people["head_a"], 404),
        ("head of that UPT", people["head_b"], 302),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=state
        )
    assert state() == [(criterion.pk, "Y")]


def test_answer_with_a_bad_file_shows_the_message_and_saves_nothing(evaluation, people):
    criterion = criteria_of(evaluation.template)[0]
    client = _client(people["head_b"])
    response = client.post(
        f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/",
        {"option": "Y", "evidence_file": SimpleUploadedFile("a.pdf", b"nope")},
    )
    assert response.status_code == 200
    assert (
        "Isi berkas bukan berkas PDF yang sebenarnya (mungkin berkas jenis lain yang diganti "
        "namanya). Unggah berkas PDF, PNG, JPG, JPEG, DOCX, XLSX atau PPTX, paling besar 10 MB."
    ) in response.content.decode()
    assert not Answer.objects.exists()


def test_evidence_download_is_access_checked(evaluation, people):
    criterion = criteria_of(evaluation.template)[0]
    answer = services.answer_save(
        actor=people["head_b"],
        evaluation=evaluation,
        criterion=criterion,
        option_code="Y",
        evidence_file=SimpleUploadedFile("renstra.pdf", b"%PDF-1.4 x"),
    )
    assert_authorization(
        url=f"/sakip/bukti/{answer.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
            Expect("auditor", people["auditor"], 200),
        ],
    )
    response = _client(people["head_b"]).get(f"/sakip/bukti/{answer.pk}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert 'filename="renstra.pdf"' in response["Content-Disposition"]


def test_review_finalise_and_unlock_are_for_the_planning_officer(evaluation, people):
    answer_all(evaluation, review=False)
    criterion = criteria_of(evaluation.template)[0]

    def state():
        return list(Evaluation.objects.values_list("status", "grade"))

    assert_authorization(
        url=f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/reviu/",
        method="post",
        data={"accepted": "1"},
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_b"], 403),
            Expect("head of office", people["head"], 403),
        ],
        state=lambda: list(Answer.objects.values_list("accepted", flat=True)),
    )
    assert_authorization(
        url=f"/sakip/evaluasi/{evaluation.pk}/finalisasi/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_b"], 403),
            Expect("auditor", people["auditor"], 403),
        ],
        state=state,
    )
    client = _client(people["planner"])
    response = client.post(f"/sakip/evaluasi/{evaluation.pk}/finalisasi/", follow=True)
    assert "belum direviu" in response.content.decode()
    assert state() == [("open", "")]
    for answer in Answer.objects.filter(evaluation=evaluation):
        services.answer_review(actor=people["planner"], answer=answer, accepted=True)
    response = client.post(f"/sakip/evaluasi/{evaluation.pk}/finalisasi/", follow=True)
    assert state() == [("final", "AA")]
    assert "nilai 100,00, predikat AA" in response.content.decode()
    assert_authorization(
        url=f"/sakip/evaluasi/{evaluation.pk}/buka/",
        method="post",
        data={"reason": "x"},
        cases=[Expect("head of that UPT", people["head_b"], 403)],
        state=state,
    )
    client.post(f"/sakip/evaluasi/{evaluation.pk}/buka/", {"reason": "Koreksi bukti"})
    assert state() == [("open", "")]


def test_weights_page_refuses_a_table_that_does_not_add_up(people):
    template = make_template(2025)
    component = Component.objects.get(template=template, code="4")
    assert_authorization(
        url=f"/sakip/lke/{template.pk}/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
        ],
    )
    assert_authorization(
        url=f"/sakip/lke/{template.pk}/",
        method="post",
        data={f"component-{component.pk}": "20"},
        cases=[Expect("head of a UPT", people["head_a"], 403)],
        state=lambda: list(Component.objects.values_list("weight", flat=True)),
    )
    response = _client(people["planner"]).post(
        f"/sakip/lke/{template.pk}/", {f"component-{component.pk}": "20"}
    )
    assert response.status_code == 200
    assert "Bobot komponen berjumlah 95, bukan 100." in response.content.decode()
    component.refresh_from_db()
    assert component.weight == 25


def test_recommendations_tracker_and_follow_up(evaluation, people, units):
    rec = services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="Lengkapi rencana aksi",
        owner_unit=units.upt_b,
        due_on=dt.date(2026, 3, 31),
    )
    assert_authorization(
        url="/sakip/rekomendasi/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
        ],
    )
    assert (
        "Lengkapi rencana aksi"
        not in _client(people["head_a"]).get("/sakip/rekomendasi/").content.decode()
    )
    assert (
        "Lengkapi rencana aksi"
        in _client(people["head_b"]).get("/sakip/rekomendasi/").content.decode()
    )

    def state():
        return list(Recommendation.objects.values_list("status", flat=True))

    data = {"status": "in_progress", "follow_up": "Sedang disusun"}
    url = f"/sakip/rekomendasi/{rec.pk}/"
    for who, user, status in [
        ("anonymous", None, 302),
        ("head of another UPT", people["head_a"], 404),
        ("head of office (reads only)", people["head"], 403),
        ("head of that UPT", people["head_b"], 302),
    ]:
        assert_authorization(
            url=url, method="post", data=data, cases=[Expect(who, user, status)], state=state
        )
    assert state() == ["in_progress"]


def test_recommendation_list_query_count_is_fixed(evaluation, people, units):
    client = _client(people["planner"])
    services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="a",
        owner_unit=units.upt_b,
        due_on=dt.date(2026, 1, 1),
    )
    with CaptureQueriesContext(connection) as one:
        client.get("/sakip/rekomendasi/")
    for n in range(5):
        services.recommendation_create(
            actor=None,
            evaluation=evaluation,
            text=f"r{n}",
            owner_unit=units.upt_a,
            due_on=dt.date(2026, 2, 1),
        )
    with CaptureQueriesContext(connection) as six:
        client.get("/sakip/rekomendasi/")
    assert len(six) == len(one)


def test_exports_are_scoped_and_readable(evaluation, people, units):
    make_evaluation(units.upt_a)
    assert_authorization(
        url="/sakip/ringkasan.xlsx?tahun=2025",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 200),
        ],
    )
    assert_authorization(
        url=f"/sakip/evaluasi/{evaluation.pk}/laporan.pdf",
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
        ],
    )
    response = _client(people["head_b"]).get(f"/sakip/evaluasi/{evaluation.pk}/laporan.pdf")
    assert response.content.startswith(b"%PDF")


def test_starting_an_evaluation(people, units):
    make_template(2025)

    def state():
        return list(Evaluation.objects.values_list("unit_id", flat=True))

    assert_authorization(
        url="/sakip/evaluasi/baru/",
        method="post",
        data={"year": 2025, "unit": units.upt_a.pk},
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planning officer", people["planner"], 302),
        ],
        state=state,
    )
    assert state() == [units.upt_a.pk]
    response = _client(people["planner"]).post(
        "/sakip/evaluasi/baru/", {"year": 2030, "unit": units.upt_b.pk}
    )
    assert "Belum ada LKE untuk 2030" in response.content.decode()

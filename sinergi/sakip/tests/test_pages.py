"""The SAKIP pages not covered elsewhere: LKE templates (create, weights), last year's score,
recommendations, the forms' authorization (denied writes change nothing), bad input, and the
query count of every page when the rows grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.sakip import services
from sinergi.sakip.models import (
    Component,
    Criterion,
    Evaluation,
    Recommendation,
    SubComponent,
    Template,
)
from sinergi.sakip.testing import answer_all, criteria_of, make_evaluation, make_template

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def weights():
    return (
        list(Component.objects.order_by("pk").values_list("weight", flat=True)),
        list(SubComponent.objects.order_by("pk").values_list("weight", flat=True)),
        list(Criterion.objects.order_by("pk").values_list("weight", flat=True)),
    )


def test_creating_an_lke_is_for_the_planning_officer(people):
    def templates():
        return list(Template.objects.values_list("year", flat=True))

    assert_authorization(
        url="/sakip/lke/",
        method="post",
        data={"year": "2026"},
        state=templates,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
            Expect("auditor", people["auditor"], 403),
        ],
    )
    assert templates() == []
    client = _client(people["planner"])
    created = client.post("/sakip/lke/", {"year": "2026"})
    assert created.status_code == 302
    template = Template.objects.get(year=2026)
    assert Criterion.objects.filter(subcomponent__component__template=template).count() == 24
    again = client.post("/sakip/lke/", {"year": "2026"})
    assert "LKE tahun 2026 sudah ada" in again.content.decode()
    assert templates() == [2026]


def test_every_weight_level_must_add_up_to_100_and_nothing_is_saved(people):
    template = make_template(2025)
    first = Component.objects.filter(template=template).order_by("order").first()
    sub = first.subcomponents.order_by("order").first()
    crit = sub.criteria.order_by("order").first()
    client = _client(people["planner"])
    before = weights()
    for posted, message in [
        (
            {f"subcomponent-{sub.pk}": "25"},
            "Bobot subkomponen &#x27;Perencanaan Kinerja&#x27; berjumlah 105, bukan 100.",
        ),
        ({f"criterion-{crit.pk}": "10"}, "bukan 100"),
        ({f"component-{first.pk}": "tiga puluh"}, "Isi setiap bobot dengan angka."),
        ({f"component-{first.pk}": "NaN"}, "Isi setiap bobot dengan angka."),
        ({f"component-{first.pk}": "Infinity"}, "Isi setiap bobot dengan angka."),
        ({f"component-{first.pk}": "130"}, "antara 0 dan 100"),
    ]:
        response = client.post(f"/sakip/lke/{template.pk}/", posted)
        assert response.status_code == 200, posted
        assert message in response.content.decode(), posted
        assert weights() == before, posted
    assert not AuditEvent.objects.filter(action="sakip.weights_changed").exists()
    # moving 5 points between two components is fine, and audited
    second = Component.objects.filter(template=template).order_by("order")[1]
    ok = client.post(
        f"/sakip/lke/{template.pk}/",
        {f"component-{first.pk}": "35", f"component-{second.pk}": "25"},
    )
    assert ok.status_code == 302
    event = AuditEvent.objects.get(action="sakip.weights_changed")
    assert event.changes == {"1 component": ["30.00", "35"], "2 component": ["30.00", "25"]}


def test_weights_of_an_lke_with_a_final_evaluation_are_frozen(people, units):
    evaluation = make_evaluation(units.upt_a)
    answer_all(evaluation)
    services.evaluation_finalise(actor=None, evaluation=evaluation)
    first, second = Component.objects.filter(template=evaluation.template).order_by("order")[:2]
    before = weights()
    response = _client(people["planner"]).post(
        f"/sakip/lke/{evaluation.template_id}/",
        {f"component-{first.pk}": "35", f"component-{second.pk}": "25"},
    )
    assert "Sudah ada evaluasi final pada LKE ini" in response.content.decode()
    assert weights() == before


def test_last_years_score_is_for_the_planning_officer_and_checked(people, units):
    evaluation = make_evaluation(units.upt_b)

    def score():
        return Evaluation.objects.get(pk=evaluation.pk).previous_score

    url = f"/sakip/evaluasi/{evaluation.pk}/nilai-lalu/"
    assert_authorization(
        url=url,
        method="post",
        data={"previous_score": "61.5"},
        state=score,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_b"], 403),
            Expect("head of office", people["head"], 403),
            Expect("planner", people["planner"], 302),
        ],
    )
    assert score() == Decimal("61.50")
    client = _client(people["planner"])
    response = client.post(url, {"previous_score": "150"}, follow=True)
    assert "Isi nilai tahun lalu dengan angka antara 0 dan 100" in response.content.decode()
    assert score() == Decimal("61.50")
    # last year's evaluation in Sinergi wins over the number typed in
    earlier = make_evaluation(units.upt_b, year=2024)
    answer_all(earlier, grade="C")
    services.evaluation_finalise(actor=None, evaluation=earlier)
    page = client.get(f"/sakip/evaluasi/{evaluation.pk}/")
    assert page.context["sheet"].previous_score == Decimal("60.00")


def test_recommendations_are_added_by_the_planning_officer(people, units):
    evaluation = make_evaluation(units.upt_b)

    def recommendations():
        return list(Recommendation.objects.values_list("text", "owner_unit_id", "due_on"))

    url = f"/sakip/evaluasi/{evaluation.pk}/rekomendasi/baru/"
    data = {"text": "Perbaiki rencana aksi", "owner_unit": units.upt_b.pk, "due_on": "2026-03-31"}
    assert_authorization(
        url=url,
        method="post",
        data=data,
        state=recommendations,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_b"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    client = _client(people["planner"])
    early = client.post(url, {**data, "due_on": "2024-12-31"})
    assert "Batas waktu lebih awal daripada tahun yang dievaluasi" in early.content.decode()
    assert recommendations() == []
    assert client.post(url, data).status_code == 302
    assert recommendations() == [("Perbaiki rencana aksi", units.upt_b.pk, dt.date(2026, 3, 31))]
    assert client.get("/sakip/evaluasi/999999/rekomendasi/baru/").status_code == 404


def test_marking_a_recommendation_done_needs_what_was_done(people, units):
    evaluation = make_evaluation(units.upt_b)
    rec = services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="Perbaiki rencana aksi",
        owner_unit=units.upt_b,
        due_on=dt.date(2026, 3, 31),
    )
    client = _client(people["head_b"])
    response = client.post(f"/sakip/rekomendasi/{rec.pk}/", {"status": "done", "follow_up": ""})
    assert response.status_code == 200
    assert "Uraikan apa yang telah dilakukan" in response.content.decode()
    assert Recommendation.objects.get().status == "open"
    # the head of office reads the follow-up form without being able to save it
    read = _client(people["head"]).get(f"/sakip/rekomendasi/{rec.pk}/")
    assert read.status_code == 200
    assert read.context["can_edit"] is False


def test_answer_and_review_forms_authorization(people, units):
    evaluation = make_evaluation(units.upt_b)
    criterion = criteria_of(evaluation.template)[0]
    answer_url = f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/"
    review_url = f"{answer_url}reviu/"
    assert_authorization(
        url=answer_url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of office (reads only)", people["head"], 403),
            Expect("head of another UPT", people["head_a"], 404),
            Expect("head of that UPT", people["head_b"], 200),
        ],
    )
    # nothing to review yet: back to the worksheet
    assert _client(people["planner"]).get(review_url).status_code == 302
    answer_all(evaluation, review=False)
    assert_authorization(
        url=review_url,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_b"], 403),
            Expect("planner", people["planner"], 200),
        ],
    )
    refused = _client(people["planner"]).post(review_url, {"accepted": "0", "review_note": ""})
    assert "Tuliskan di catatan mengapa jawaban tidak diterima" in refused.content.decode()
    assert_authorization(
        url="/sakip/evaluasi/baru/",
        cases=[
            Expect("head of a UPT", people["head_a"], 403),
            Expect("planner", people["planner"], 200),
        ],
    )
    assert (
        _client(people["planner"])
        .get(f"/sakip/evaluasi/{evaluation.pk}/kriteria/999999/")
        .status_code
        == 404
    )


def test_a_final_evaluation_refuses_new_answers(people, units):
    evaluation = make_evaluation(units.upt_b)
    answer_all(evaluation)
    services.evaluation_finalise(actor=None, evaluation=evaluation)
    criterion = criteria_of(evaluation.template)[0]
    before = list(Evaluation.objects.values_list("status", "score", "grade"))
    response = _client(people["head_b"]).post(
        f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/",
        {"option": "T", "evidence_text": "x"},
    )
    assert response.status_code == 403
    assert list(Evaluation.objects.values_list("status", "score", "grade")) == before


def test_every_page_keeps_its_query_count_when_the_rows_grow(people, units):
    evaluation = make_evaluation(units.upt_b)
    answer_all(evaluation, review=False)
    criterion = criteria_of(evaluation.template)[0]
    rec = services.recommendation_create(
        actor=None,
        evaluation=evaluation,
        text="Perbaiki rencana aksi",
        owner_unit=units.upt_b,
        due_on=dt.date(2026, 3, 31),
    )
    template = evaluation.template
    pages = {
        "summary": ("head", "/sakip/?tahun=2025"),
        "summary xlsx": ("head", "/sakip/ringkasan.xlsx?tahun=2025"),
        "worksheet": ("planner", f"/sakip/evaluasi/{evaluation.pk}/"),
        "report pdf": ("head", f"/sakip/evaluasi/{evaluation.pk}/laporan.pdf"),
        "answer form": ("head_b", f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/"),
        "review form": (
            "planner",
            f"/sakip/evaluasi/{evaluation.pk}/kriteria/{criterion.pk}/reviu/",
        ),
        "new evaluation": ("planner", "/sakip/evaluasi/baru/"),
        "new recommendation": ("planner", f"/sakip/evaluasi/{evaluation.pk}/rekomendasi/baru/"),
        "recommendations": ("head", "/sakip/rekomendasi/?tahun=2025"),
        "follow-up": ("head_b", f"/sakip/rekomendasi/{rec.pk}/"),
        "templates": ("head", "/sakip/lke/"),
        "template": ("planner", f"/sakip/lke/{template.pk}/"),
    }
    clients = {who: _client(people[who]) for who in {who for who, _url in pages.values()}}

    def counts():
        found = {}
        for name, (who, url) in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                response = clients[who].get(url)
            assert response.status_code == 200, f"{name}: {response.status_code}"
            found[name] = sum(
                1
                for q in ctx.captured_queries
                if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            )
        return found

    counts()
    first = counts()
    for unit in (units.upt_a, units.rehab_division, units.secretariat):
        other = make_evaluation(unit)
        answer_all(other)
        for n in range(3):
            services.recommendation_create(
                actor=None,
                evaluation=other,
                text=f"Rekomendasi {n}",
                owner_unit=units.upt_b,
                due_on=dt.date(2026, 6, 30),
            )
    services.evaluation_finalise(actor=None, evaluation=Evaluation.objects.get(unit=units.upt_a))
    make_template(2026)
    assert counts() == first

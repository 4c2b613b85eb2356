"""Pages of the plan: the Renstra period, tujuan and sasaran, indicator and target forms, the PK,
the bands and the LKjIP page; denied writes change nothing, bad input gets a message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.performance import selectors, services
from sinergi.performance.models import (
    Band,
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    PeriodLock,
    RenstraPeriod,
    Target,
)

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def plan_rows():
    return (
        list(RenstraPeriod.objects.order_by("pk").values_list("name", "start_year", "end_year")),
        list(Goal.objects.order_by("pk").values_list("code", "statement")),
        list(Objective.objects.order_by("pk").values_list("code", "statement")),
    )


# --- Renstra period, tujuan, sasaran -------------------------------------------------------------


def test_planning_staff_build_a_renstra_from_the_pages(people, units):
    client = client_of(people["planner"])
    assert "Periode Renstra baru" in client.get("/kinerja/rencana/?tahun=2031").content.decode()
    response = client.post(
        "/kinerja/rencana/periode/baru/",
        {"name": "Renstra 2030-2034", "start_year": "2030", "end_year": "2034"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kinerja/rencana/?tahun=2030"
    period = RenstraPeriod.objects.get(start_year=2030)
    goal_url = f"/kinerja/rencana/periode/{period.pk}/tujuan/baru/"
    assert (
        client.post(goal_url, {"code": "T1", "statement": "Meningkatnya kemandirian"}).status_code
        == 302
    )
    goal = Goal.objects.get(period=period, code="T1")
    objective_url = f"/kinerja/rencana/tujuan/{goal.pk}/sasaran/baru/"
    assert (
        client.post(objective_url, {"code": "S1", "statement": "Meningkatnya layanan"}).status_code
        == 302
    )
    page = client.get("/kinerja/rencana/?tahun=2031").content.decode()
    assert "Renstra 2030-2034 (2030-2034)" in page
    assert "Meningkatnya kemandirian" in page
    assert "Meningkatnya layanan" in page
    assert list(
        AuditEvent.objects.filter(action__startswith="performance.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "performance.period_saved",
        "performance.goal_saved",
        "performance.objective_saved",
    ]
    # changing the wording keeps the code (a different code would be a different goal)
    edited = client.post(
        f"/kinerja/rencana/tujuan/{goal.pk}/ubah/",
        {"code": "T9", "statement": "Meningkatnya kemandirian PPKS"},
    )
    assert edited.status_code == 302
    assert list(Goal.objects.values_list("code", "statement")) == [
        ("T1", "Meningkatnya kemandirian PPKS")
    ]


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            "/kinerja/rencana/periode/baru/",
            {"name": "Renstra", "start_year": "2031", "end_year": "2030"},
            "Tahun terakhir rencana lebih awal dari tahun pertamanya",
        ),
        (
            "/kinerja/rencana/periode/baru/",
            {"name": "Renstra tumpang tindih", "start_year": "2027", "end_year": "2031"},
            "tumpang tindih",
        ),
        (
            "/kinerja/rencana/periode/baru/",
            {"name": "Renstra ganda", "start_year": "2025", "end_year": "2029"},
            "sudah ada",
        ),
        ("goal", {"code": "T1", "statement": "Tujuan kembar"}, "sudah mempunyai tujuan T1"),
        ("goal", {"code": "T2", "statement": ""}, "Isian ini wajib diisi."),
        ("objective", {"code": "S1", "statement": "Sasaran kembar"}, "sudah mempunyai sasaran S1"),
    ],
)
def test_bad_renstra_input_gets_a_message_and_nothing_changes(plan, people, url, data, message):
    url = {
        "goal": f"/kinerja/rencana/periode/{plan.period.pk}/tujuan/baru/",
        "objective": f"/kinerja/rencana/tujuan/{plan.goal.pk}/sasaran/baru/",
    }.get(url, url)
    before = plan_rows()
    response = client_of(people["planner"]).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert plan_rows() == before


def test_a_plan_cannot_end_before_a_year_with_figures(plan, people):
    # the small plan has targets in 2026
    response = client_of(people["planner"]).post(
        f"/kinerja/rencana/periode/{plan.period.pk}/ubah/",
        {"name": "Renstra dipendekkan", "end_year": "2025"},
    )
    assert response.status_code == 200
    assert "setelah 2025" in response.content.decode()
    assert RenstraPeriod.objects.get().end_year == 2029


def test_renstra_pages_authorization(plan, people):
    pages = [
        ("/kinerja/rencana/periode/baru/", {"name": "X", "start_year": "2040", "end_year": "2044"}),
        (f"/kinerja/rencana/periode/{plan.period.pk}/ubah/", {"name": "X", "end_year": "2029"}),
        (
            f"/kinerja/rencana/periode/{plan.period.pk}/tujuan/baru/",
            {"code": "T7", "statement": "X"},
        ),
        (f"/kinerja/rencana/tujuan/{plan.goal.pk}/ubah/", {"statement": "X"}),
        (f"/kinerja/rencana/tujuan/{plan.goal.pk}/sasaran/baru/", {"code": "S7", "statement": "X"}),
        (f"/kinerja/rencana/sasaran/{plan.objective.pk}/ubah/", {"statement": "X"}),
    ]
    for url, data in pages:
        assert_authorization(
            url=url,
            method="post",
            data=data,
            state=plan_rows,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people["worker"], 403),
                Expect("head of a UPT", people["head_a"], 403),
                Expect("head of office (reads only)", people["head"], 403),
                Expect("auditor", people["auditor"], 403),
            ],
        )
        assert_authorization(url=url, cases=[Expect("planner", people["planner"], 200)])
    client = client_of(people["planner"])
    for missing in [
        "/kinerja/rencana/periode/999999/ubah/",
        "/kinerja/rencana/periode/999999/tujuan/baru/",
        "/kinerja/rencana/tujuan/999999/ubah/",
        "/kinerja/rencana/tujuan/999999/sasaran/baru/",
        "/kinerja/rencana/sasaran/999999/ubah/",
    ]:
        assert client.get(missing).status_code == 404


# --- indicators and targets: denied writes change nothing ----------------------------------------


def test_indicator_and_target_writes_by_others_change_nothing(plan, people, units):
    def indicators():
        return list(Indicator.objects.order_by("pk").values_list("code", "name", "unit_id"))

    def targets():
        return list(
            Target.objects.order_by("pk").values_list("indicator_id", "year", "quarter", "value")
        )

    denied = [
        Expect("anonymous", None, 302),
        Expect("head of that UPT", people["head_a"], 403),
        Expect("head of office", people["head"], 403),
        Expect("auditor", people["auditor"], 403),
    ]
    new = {
        "code": "UPT-A-9",
        "name": "Indikator baru",
        "level": "unit",
        "unit": units.upt_a.pk,
        "unit_of_measure": "orang",
        "polarity": "maximize",
        "quarter_mode": "cumulative",
        "sort_order": "100",
    }
    assert_authorization(
        url="/kinerja/indikator/baru/?tahun=2026",
        method="post",
        data=new,
        state=indicators,
        cases=denied,
    )
    assert_authorization(
        url=f"/kinerja/indikator/{plan.upt_a_served.pk}/ubah/",
        method="post",
        data={**new, "code": "UPT-A-1", "name": "Diubah"},
        state=indicators,
        cases=denied,
    )
    assert_authorization(
        url=f"/kinerja/indikator/{plan.upt_a_served.pk}/target/2026/",
        method="post",
        data={"value_0": "999"},
        state=targets,
        cases=denied,
    )
    client = client_of(people["planner"])
    assert client.get(f"/kinerja/indikator/{plan.upt_a_served.pk}/target/2035/").status_code == 404
    assert client.get("/kinerja/indikator/baru/?tahun=2040").status_code == 404  # no plan


def test_range_targets_and_yes_no_targets_from_the_form(plan, people, units):
    client = client_of(people["planner"])
    bad = client.post(
        f"/kinerja/indikator/{plan.upt_b_occupancy.pk}/target/2027/",
        {"low_0": "95", "high_0": "80"},
    )
    assert bad.status_code == 200
    assert "Rentang 95-80 tidak dapat dipakai" in bad.content.decode()
    ok = client.post(
        f"/kinerja/indikator/{plan.upt_b_occupancy.pk}/target/2027/",
        {"low_0": "80", "high_0": "95"},
    )
    assert ok.status_code == 302
    assert Target.objects.filter(indicator=plan.upt_b_occupancy, year=2027).values_list(
        "low", "high", "value"
    ).get() == (Decimal("80.0000"), Decimal("95.0000"), None)


def test_indicator_form_links_budget_sub_kegiatan_from_the_budget_selectors(plan, people, units):
    from sinergi.budget.testing import make_small_budget

    budget = make_small_budget(units)
    client = client_of(people["planner"])
    form = client.get(f"/kinerja/indikator/{plan.upt_a_served.pk}/ubah/").context["form"]
    choices = dict(form.fields["sub_kegiatan_ids"].choices)
    sub_a = budget.line_a.sub_kegiatan_id
    assert choices[sub_a] == "2026 · 1.06.04.1.01.0001 Sub kegiatan 1.06.04.1.01.0001"
    assert len(choices) == 3
    data = {
        "code": "UPT-A-1",
        "name": "Klien terlayani",
        "level": "unit",
        "unit": units.upt_a.pk,
        "unit_of_measure": "orang",
        "polarity": "maximize",
        "quarter_mode": "cumulative",
        "sort_order": "100",
        "sub_kegiatan_ids": [str(sub_a)],
    }
    assert client.post(f"/kinerja/indikator/{plan.upt_a_served.pk}/ubah/", data).status_code == 302
    assert selectors.linked_sub_kegiatan_ids(plan.upt_a_served) == [sub_a]
    unknown = client.post(
        f"/kinerja/indikator/{plan.upt_a_served.pk}/ubah/", {**data, "sub_kegiatan_ids": ["999999"]}
    )
    assert unknown.status_code == 200
    assert selectors.linked_sub_kegiatan_ids(plan.upt_a_served) == [sub_a]


def test_unit_page_shows_target_achievement_and_absorption_side_by_side(plan, people, units):
    from sinergi.budget.testing import make_small_budget

    budget = make_small_budget(units)
    services.indicator_save(
        actor=None,
        period=plan.period,
        unit=units.upt_a,
        code="UPT-A-1",
        name="Klien terlayani",
        unit_of_measure="orang",
        parent=plan.iku,
        objective=plan.objective,
        sub_kegiatan_ids=[budget.line_a.sub_kegiatan_id],
    )
    services.realisation_enter(
        actor=None, indicator=plan.upt_a_served, year=2026, quarter=1, value="45", evidence_text="x"
    )
    response = client_of(people["head_a"]).get(
        f"/kinerja/unit/{units.upt_a.pk}/?tahun=2026&triwulan=1"
    )
    (detail, _complaints) = response.context["details"]
    assert detail.row.code == "UPT-A-1"
    # target 50, realisation 45: 90 %; UPT A's line: 400.000 of 1.000.000 paid by March = 40 %
    assert (detail.row.target, detail.row.realisation, detail.row.achievement) == (
        Decimal("50.0000"),
        Decimal("45.0000"),
        Decimal("90.00"),
    )
    assert detail.extra["absorption_total"] == Decimal("40.00")
    row = response.content.decode()
    assert "90,00%" in row
    assert "40,00%" in row
    assert "1.06.04.1.01.0001" in row
    # another UPT's head sees no absorption of a line outside their budget scope
    assert (
        selectors.absorption_of_links(
            viewer=people["head_b"], indicator_ids=[plan.upt_a_served.pk], year=2026
        )
        == {}
    )


# --- agreements, bands, LKjIP page, exports ------------------------------------------------------


def test_agreement_draw_and_pdf_authorization(plan, people, units):
    def agreements():
        return list(PerformanceAgreement.objects.values_list("unit_id", "year", "status"))

    assert_authorization(
        url="/kinerja/pk/baru/",
        method="post",
        data={"unit": units.upt_a.pk, "year": "2026", "head_name": "X", "head_position": "Y"},
        state=agreements,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of that UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    refused = client_of(people["planner"]).post(
        "/kinerja/pk/baru/",
        {"unit": units.upt_a.pk, "year": "2028", "head_name": "X", "head_position": "Y"},
    )
    assert "Belum ada indikator unit ini yang memiliki target 2028" in refused.content.decode()
    assert agreements() == []
    agreement = services.agreement_draw(
        actor=None, unit=units.upt_a, year=2026, head_name="Saroni", head_position="Kepala UPT"
    )
    assert_authorization(
        url=f"/kinerja/pk/{agreement.pk}/pk.pdf",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", people["worker"], 403),
            Expect("head of another UPT", people["head_b"], 404),
            Expect("head of office", people["head"], 200),
        ],
    )


def test_band_edit_by_others_changes_nothing_and_a_clash_is_refused(plan, people):
    band = Band.objects.get(scheme="achievement", label="Baik")

    def bands():
        return list(Band.objects.order_by("pk").values_list("label", "minimum", "source"))

    data = {"label": "Baik", "minimum": "70", "colour": "primary", "source": "SK Kadis"}
    assert_authorization(
        url=f"/kinerja/predikat/{band.pk}/ubah/",
        method="post",
        data=data,
        state=bands,
        cases=[
            Expect("anonymous", None, 302),
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    client = client_of(people["planner"])
    before = bands()
    clash = client.post(f"/kinerja/predikat/{band.pk}/ubah/", {**data, "minimum": "90"})
    assert "dimulai dari nilai yang sama" in clash.content.decode()
    assert bands() == before
    assert client.post(f"/kinerja/predikat/{band.pk}/ubah/", data).status_code == 302
    assert Band.objects.get(pk=band.pk).source == "SK Kadis"
    assert client.get("/kinerja/predikat/999999/ubah/").status_code == 404


def test_lkjip_page_pdf_and_export_authorization(plan, people):
    for url in [
        "/kinerja/lkjip/?tahun=2026",
        "/kinerja/lkjip/2026.pdf",
        "/kinerja/capaian.xlsx?tahun=2026",
    ]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("social worker", people["worker"], 403),
                Expect("head of a UPT", people["head_a"], 200),
                Expect("head of office", people["head"], 200),
            ],
        )


def test_period_reopen_needs_a_reason_and_is_audited(plan, people):
    services.period_lock(actor=None, year=2026, quarter=1)
    client = client_of(people["planner"])
    data = {"year": "2026", "quarter": "1", "action": "unlock", "reason": ""}
    client.post("/kinerja/verifikasi/periode/", data)
    assert PeriodLock.objects.filter(year=2026, quarter=1).exists()
    assert_authorization(
        url="/kinerja/verifikasi/periode/",
        method="post",
        data={**data, "reason": "Koreksi data TW I"},
        state=lambda: list(PeriodLock.objects.values_list("year", "quarter")),
        cases=[
            Expect("head of a UPT", people["head_a"], 403),
            Expect("head of office", people["head"], 403),
        ],
    )
    client.post("/kinerja/verifikasi/periode/", {**data, "reason": "Koreksi data TW I"})
    assert not PeriodLock.objects.exists()
    event = AuditEvent.objects.get(action="performance.period_unlocked")
    assert event.extra == {"reason": "Koreksi data TW I"}
    # nonsense in the form: a message, no server error, nothing closed
    for bad in [
        {"year": "x", "quarter": "1"},
        {"year": "99999", "quarter": "1"},
        {"year": "2026", "quarter": "7"},
    ]:
        assert client.post("/kinerja/verifikasi/periode/", bad).status_code == 302
    assert not PeriodLock.objects.exists()


def test_compute_now_with_a_bad_year_says_so(plan, people, units):
    from sinergi.core import metrics

    @metrics.register(code="testperf.page_fill", label="Uji", unit_of_measure="orang")
    def figure(query):
        return Decimal(2)

    try:
        indicator = services.indicator_save(
            actor=None,
            period=plan.period,
            unit=units.upt_a,
            code="AUTO-P",
            name="Otomatis",
            unit_of_measure="orang",
            metric_code="testperf.page_fill",
        )
        client = client_of(people["planner"])
        response = client.post(
            f"/kinerja/indikator/{indicator.pk}/hitung/", {"year": "2031"}, follow=True
        )
        assert "di luar periode Renstra 2025-2029" in response.content.decode()
        assert (
            client.post(f"/kinerja/indikator/{indicator.pk}/hitung/", {"year": "abc"}).status_code
            == 302
        )
        manual = client.post(
            f"/kinerja/indikator/{plan.upt_a_served.pk}/hitung/", {"year": "2025"}, follow=True
        )
        assert "diisi oleh unit" in manual.content.decode()
        detail = client.get(f"/kinerja/indikator/{indicator.pk}/?tahun=2026").content.decode()
        assert 'data-testid="metric">Uji' in detail
    finally:
        metrics.unregister("testperf.page_fill")


def test_verification_queue_pages_forward(plan, people, units):
    from sinergi.performance.testing import make_indicator

    for n in range(51):
        indicator = make_indicator(plan.period, units.upt_b, f"Q-{n:02d}")
        services.realisation_enter(
            actor=None, indicator=indicator, year=2026, quarter=1, value="1", evidence_text="x"
        )
    client = client_of(people["planner"])
    first = client.get("/kinerja/verifikasi/")
    page = first.context["page"]
    assert len(page.items) == 50
    assert page.next_cursor
    second = client.get(f"/kinerja/verifikasi/?cursor={page.next_cursor}")
    assert len(second.context["page"].items) == 1
    assert client.get("/kinerja/verifikasi/?cursor=rusak").status_code == 302


def test_signing_with_a_date_outside_the_year_is_refused(plan, people, units):
    agreement = services.agreement_draw(
        actor=None, unit=units.upt_a, year=2026, head_name="Saroni", head_position="Kepala UPT"
    )
    client = client_of(people["planner"])
    response = client.post(
        f"/kinerja/pk/{agreement.pk}/tanda-tangan/", {"signed_on": "2030-01-01"}, follow=True
    )
    assert "ditandatangani pada akhir tahun sebelumnya" in response.content.decode()
    assert PerformanceAgreement.objects.get().status == "draft"
    services.agreement_sign(actor=None, agreement=agreement, signed_on=dt.date(2026, 1, 2))


def test_lkjip_lists_the_final_sakip_evaluations_of_the_year(plan, people, units):
    from sinergi.sakip import services as sakip
    from sinergi.sakip.testing import answer_all, make_evaluation

    final = make_evaluation(units.upt_a, year=2026, previous_score=Decimal("71.5"))
    answer_all(final, grade="C")
    sakip.evaluation_finalise(actor=None, evaluation=final)
    make_evaluation(units.upt_b, year=2026)  # still open: not reported
    text = client_of(people["head"]).get("/kinerja/lkjip/2026.html").content.decode()
    section = text[text.index("Evaluasi internal SAKIP") :]
    assert "UPT RSBD Pasuruan" in section
    assert "60,00" in section
    assert "CC" in section
    assert "71,50" in section
    assert "UPT PSTW Magetan" not in section
    # a UPT head's draft reports only what their scope holds
    other = client_of(people["head_b"]).get("/kinerja/lkjip/2026.html").content.decode()
    assert "Belum ada evaluasi SAKIP tahun ini yang final." in other


def test_an_indicator_of_a_future_plan_opens_on_the_plans_first_year(people, units):
    from sinergi.performance.testing import make_indicator

    future = services.period_save(actor=None, name="Renstra", start_year=2030, end_year=2034)
    indicator = make_indicator(future, units.upt_a, "F-1")
    client = client_of(people["planner"])
    assert client.get(f"/kinerja/indikator/{indicator.pk}/").context["year"] == 2030
    assert client.get(f"/kinerja/indikator/{indicator.pk}/?tahun=2033").context["year"] == 2033
    assert client.get(f"/kinerja/indikator/{indicator.pk}/?tahun=2026").context["year"] == 2030

"""SP2D pages: cancelling an SP2D entered by mistake, and the query counts of the SP2D pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.audit.models import AuditEvent
from sinergi.budget import services
from sinergi.budget.models import Milestone, Realisation
from sinergi.budget.testing import grow_budget

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _numbers():
    return sorted(Realisation.objects.values_list("sp2d_number", flat=True))


def test_cancel_authorization(budget, people):
    sp2d = Realisation.objects.get(sp2d_number="SP2D-003")  # UPT B's line only
    url = f"/anggaran/sp2d/{sp2d.pk}/batal/"
    for who, user, status in [
        ("anonymous", None, 302),
        ("social worker", people["worker"], 403),
        ("head of office (reads only)", people["head"], 403),
        ("head of another UPT", people["head_a"], 403),
        ("head of that UPT (enters, does not cancel)", people["head_b"], 403),
        ("finance officer", people["finance"], 302),
    ]:
        assert_authorization(
            url=url,
            method="post",
            data={"reason": "Nilai salah"},
            cases=[Expect(who, user, status)],
            state=_numbers,
        )
    assert _numbers() == ["SP2D-001", "SP2D-002"]


def test_cancelling_a_missing_sp2d_is_404(budget, people):
    assert _client(people["finance"]).get("/anggaran/sp2d/999999/batal/").status_code == 404


def test_the_cancel_page_shows_what_the_sp2d_charged_and_asks_for_a_reason(budget, people):
    sp2d = Realisation.objects.get(sp2d_number="SP2D-002")
    client = _client(people["finance"])
    page = client.get(f"/anggaran/sp2d/{sp2d.pk}/batal/").content.decode()
    assert "1.06.04.1.01.0001 / 5.1.02.01.01.0024" in page
    assert "Rp 300.000" in page
    assert "Rp 200.000" in page
    refused = client.post(f"/anggaran/sp2d/{sp2d.pk}/batal/", {"reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    assert "SP2D-002" in _numbers()
    done = client.post(f"/anggaran/sp2d/{sp2d.pk}/batal/", {"reason": "Salah ketik"}, follow=True)
    assert "SP2D SP2D-002 telah dibatalkan" in done.content.decode()
    assert "SP2D-002" not in _numbers()
    assert AuditEvent.objects.filter(action="budget.realisation_cancelled").count() == 1


def test_only_finance_sees_the_cancel_buttons_and_not_in_a_closed_year(budget, people):
    sp2d = Realisation.objects.get(sp2d_number="SP2D-001")
    button = f'data-testid="cancel-sp2d-{sp2d.pk}"'
    assert button not in _client(people["head"]).get("/anggaran/sp2d/?tahun=2026").content.decode()
    finance = _client(people["finance"])
    assert button in finance.get("/anggaran/sp2d/?tahun=2026").content.decode()
    services.fiscal_year_set_status(actor=None, fiscal_year=budget.year, status="closed")
    assert button not in finance.get("/anggaran/sp2d/?tahun=2026").content.decode()
    refused = finance.post(f"/anggaran/sp2d/{sp2d.pk}/batal/", {"reason": "x"})
    assert "sudah ditutup" in refused.content.decode()
    assert "SP2D-001" in _numbers()


def _grow(budget, units, n):
    grow_budget(budget.year, units.upt_b, n, also_charge=budget.line_b)
    for day in range(1, n + 1):
        services.milestone_save(
            actor=None,
            fiscal_year=budget.year,
            due_on=dt.date(2026, 9, day),
            target_percent=Decimal(60),
            source="",
        )


@pytest.mark.parametrize(
    ("who", "url", "pinned"),
    [
        ("head_b", "/anggaran/sp2d/?tahun=2026", 8),  # a KPA: what SP2D charged its lines
        ("finance", "/anggaran/sp2d/?tahun=2026", 8),
        ("finance", "/anggaran/sp2d/{sp2d}/batal/", 8),
        ("head_b", "/anggaran/rekening/{line}/sp2d/baru/", 7),
        ("finance", "/anggaran/target/{milestone}/ubah/", 6),
        ("finance", "/anggaran/target/baru/?tahun=2026", 6),
        ("head", "/anggaran/rincian/?tahun=2026&bulan=3&per=account_class", 11),
    ],
)
def test_pages_take_a_fixed_number_of_queries(budget, people, units, who, url, pinned):
    url = url.format(
        sp2d=Realisation.objects.get(sp2d_number="SP2D-002").pk,
        line=budget.line_b.pk,
        milestone=Milestone.objects.get().pk,
    )
    client = _client(people[who])
    client.get(url)
    before = _count(client, url)
    _grow(budget, units, 4)
    client.get(url)
    assert (before, _count(client, url)) == (pinned, pinned)

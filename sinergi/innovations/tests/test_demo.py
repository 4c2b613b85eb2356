"""The demo carries the five innovations of seed 003 (Kovablik Jatim 2022) at the right UPT,
published on the public page; loading it twice changes nothing."""

import io

import pytest
from django.test import Client

from sinergi.audit.models import AuditEvent
from sinergi.innovations import demo
from sinergi.innovations.models import Innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim_units(db):
    from sinergi.organisation import demo as organisation_demo
    from sinergi.organisation.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level=1)  # keeps the region load out
    organisation_demo.load(io.StringIO())


def test_the_five_seed_innovations_are_loaded_at_their_upt(jatim_units):
    out = io.StringIO()
    demo.load(out)
    assert "5 innovations" in out.getvalue()
    loaded = {
        i.acronym: (i.unit.code, i.unit.name, i.is_published)
        for i in Innovation.objects.select_related("unit")
    }
    assert loaded == {
        "Pro Wes Difa": ("upt-rsbd-pasuruan", "UPT RSBD Pasuruan", True),
        "Bombastis": ("upt-rsbn-malang", "UPT RSBN Malang", True),
        "Jangkar Besi": ("upt-rsbk-madiun", "UPT RSBK Madiun", True),
        "Kojak": ("upt-psbr-blitar", "UPT PSBR Blitar", True),
        "Gitarr Melani": ("upt-pstw-magetan", "UPT PSTW Magetan", True),
    }
    pro_wes_difa = Innovation.objects.get(acronym="Pro Wes Difa")
    assert pro_wes_difa.name == "Program Wisata Edukasi Sosial Disabilitas"
    entries = {
        (e.competition, e.year, e.stage_reached.code, e.result) for e in pro_wes_difa.entries.all()
    }
    assert entries == {
        ("Kovablik Jawa Timur", 2020, "top", "Top 30"),
        (
            "Kovablik Jawa Timur",
            2022,
            "administrative",
            "Lolos seleksi administrasi (Jatim Newsroom, 10 Agustus 2022)",
        ),
    }
    for innovation in Innovation.objects.all():
        assert innovation.entries.filter(year=2022, stage_reached__code="administrative").exists()
        assert innovation.indicators.count() == 1
    public = Client().get("/inovasi/publik/").content.decode()
    for acronym in loaded:
        assert acronym in public
    counts = (Innovation.objects.count(), AuditEvent.objects.count())
    demo.load(io.StringIO())
    assert (Innovation.objects.count(), AuditEvent.objects.count()) == counts

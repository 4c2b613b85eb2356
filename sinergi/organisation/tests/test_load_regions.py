import hashlib
import time

import pytest
from django.core.management import CommandError, call_command

from sinergi.audit.models import AuditEvent
from sinergi.organisation import services
from sinergi.organisation.models import Region

pytestmark = pytest.mark.django_db


def _load(*args):
    from io import StringIO

    out = StringIO()
    call_command("load_regions", *args, stdout=out)
    return out.getvalue()


def test_loading_jawa_timur_gives_the_official_counts():
    output = _load("--province", "35")
    assert Region.objects.filter(level=1).count() == 1
    assert Region.objects.filter(level=2).count() == 38
    assert Region.objects.filter(level=3).count() == 666
    assert Region.objects.filter(level=4).count() == 8494
    assert Region.objects.filter(level=2, name__startswith="Kota ").count() == 9
    assert Region.objects.filter(level=2, name__startswith="Kabupaten ").count() == 29
    assert "9,199 inserted, 0 updated, 0 unchanged" in output


def test_kota_surabaya_is_35_78_under_jawa_timur():
    _load("--province", "35")
    surabaya = Region.objects.get(code="35.78")
    assert surabaya.name == "Kota Surabaya"
    assert surabaya.level == Region.Level.REGENCY
    assert surabaya.parent_id == "35"
    assert Region.objects.get(code="35").name == "Jawa Timur"
    village = Region.objects.select_related("parent__parent__parent").get(code="35.78.01.1001")
    assert [village.parent.code, village.parent.parent.code, village.parent.parent.parent.code] == [
        "35.78.01",
        "35.78",
        "35",
    ]


def test_a_second_run_changes_nothing():
    _load("--province", "35")
    before = list(Region.objects.values_list("code", "name", "level", "parent_id").order_by("code"))
    output = _load("--province", "35")
    assert "0 inserted, 0 updated, 9,199 unchanged" in output
    after = list(Region.objects.values_list("code", "name", "level", "parent_id").order_by("code"))
    assert after == before


def test_a_changed_name_is_restored_and_counted_as_updated():
    _load("--province", "35")
    Region.objects.filter(code="35.78").update(name="Surabaya (typo)")
    result = services.regions_load(actor=None, province="35")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 9198)
    assert Region.objects.get(code="35.78").name == "Kota Surabaya"


def test_each_load_writes_one_audit_event_with_counts_and_file_hashes():
    _load("--province", "35")
    _load("--province", "35")
    events = list(AuditEvent.objects.filter(action="organisation.regions_loaded").order_by("id"))
    assert len(events) == 2
    first, second = events[0].extra, events[1].extra
    assert (first["inserted"], first["updated"], first["unchanged"]) == (9199, 0, 0)
    assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, 9199)
    assert first["province"] == "35"
    assert first["rows_per_level"] == {"1": 1, "2": 38, "3": 666, "4": 8494}
    expected = hashlib.sha256((services.REGION_DATA / "villages.csv").read_bytes()).hexdigest()
    assert first["sha256"]["villages.csv"] == expected
    assert sorted(first["sha256"]) == [
        "districts.csv",
        "provinces.csv",
        "regencies.csv",
        "villages.csv",
    ]


def test_loading_one_province_leaves_the_others_alone():
    Region.objects.create(code="33", name="Jawa Tengah", level=1)
    _load("--province", "35")
    assert Region.objects.filter(code__startswith="33").count() == 1
    assert not Region.objects.filter(parent_id="33").exists()


def test_an_unknown_province_is_refused_with_a_clear_message_and_nothing_changes():
    with pytest.raises(CommandError, match="no province with code 99"):
        _load("--province", "99")
    assert Region.objects.count() == 0
    assert not AuditEvent.objects.filter(action="organisation.regions_loaded").exists()


def test_the_whole_country_loads_in_a_few_seconds_with_the_documented_counts():
    started = time.monotonic()
    result = services.regions_load(actor=None)
    elapsed = time.monotonic() - started
    assert result.per_level == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert (result.inserted, result.updated, result.unchanged) == (91599, 0, 0)
    assert Region.objects.count() == 91599
    assert elapsed < 10
    again = services.regions_load(actor=None)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 91599)

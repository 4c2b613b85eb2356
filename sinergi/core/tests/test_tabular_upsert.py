"""TableUpsert on real tables: defaults and timestamps for new rows, exact counts, no-op rows."""

import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from sinergi.core.tabular.staging import StagedRows, StagingWriter
from sinergi.core.tabular.upsert import TableUpsert


def model(name):
    return apps.get_model("organisation", name)


def staged(tmp_path, fields, rows) -> StagedRows:
    path = tmp_path / "rows.tsv"
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        writer = StagingWriter(handle, fields)
        for number, row in enumerate(rows, start=2):
            writer.write(number, row)
    return StagedRows(path, fields, len(rows))


UNIT_TYPE_FIELDS = [("code", "text"), ("name", "text")]


@pytest.mark.django_db
def test_new_rows_get_the_model_defaults_and_counts_are_exact(tmp_path):
    unit_type = model("UnitType")
    unit_type.objects.create(code="dinas", name="Dinas", sort_order=10)
    rows = [
        {"code": "dinas", "name": "Dinas"},  # unchanged
        {"code": "bidang", "name": "Bidang\tdengan tab\\garis"},  # new, with escapes
        {"code": "upt", "name": "UPT"},  # new
    ]
    upsert = TableUpsert(unit_type, fields=["code", "name"], key=["code"])
    result = upsert.run(staged(tmp_path, UNIT_TYPE_FIELDS, rows))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)
    assert list(
        unit_type.objects.order_by("code").values_list(
            "code", "name", "is_service_unit", "sort_order"
        )
    ) == [
        ("bidang", "Bidang\tdengan tab\\garis", False, 100),
        ("dinas", "Dinas", False, 10),  # a column the file does not carry is left alone
        ("upt", "UPT", False, 100),
    ]

    rows[2] = {"code": "upt", "name": "Unit Pelaksana Teknis"}
    result = upsert.run(staged(tmp_path, UNIT_TYPE_FIELDS, rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert unit_type.objects.get(code="upt").name == "Unit Pelaksana Teknis"


@pytest.mark.django_db
def test_timestamps_are_set_on_insert_and_only_updated_at_moves_on_change(tmp_path, units):
    unit = model("Unit")
    type_id = units.office.unit_type_id
    fields = [("code", "text"), ("name", "text"), ("unit_type_id", "int"), ("path", "text")]
    row = {"code": "uji", "name": "Unit Uji", "unit_type_id": type_id, "path": "/x/"}
    upsert = TableUpsert(unit, fields=[f for f, _ in fields], key=["code"])
    before = timezone.now()
    assert upsert.run(staged(tmp_path, fields, [row])).created == 1
    created = unit.objects.get(code="uji")
    assert created.created_at >= before
    assert created.updated_at == created.created_at
    assert (created.is_active, created.depth, created.short_name) == (True, 0, "")

    later = created.updated_at + dt.timedelta(minutes=5)
    with mock.patch("sinergi.core.tabular.upsert.timezone.now", return_value=later):
        assert upsert.run(staged(tmp_path, fields, [row])).unchanged == 1
        assert unit.objects.get(code="uji").updated_at == created.updated_at  # untouched
        assert upsert.run(staged(tmp_path, fields, [{**row, "name": "Unit Uji 2"}])).updated == 1
    changed = unit.objects.get(code="uji")
    assert changed.created_at == created.created_at
    assert changed.updated_at == later


@pytest.mark.django_db
def test_rows_of_only_the_key_insert_new_and_leave_old(tmp_path):
    unit_type = model("UnitType")
    unit_type.objects.create(code="dinas", name="Dinas")
    upsert = TableUpsert(unit_type, fields=["code"], key=["code"])
    result = upsert.run(staged(tmp_path, [("code", "text")], [{"code": "dinas"}, {"code": "baru"}]))
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)


def test_a_required_column_missing_from_the_fields_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="unit_type is required"):
        TableUpsert(model("Unit"), fields=["code", "name", "path"], key=["code"])


def test_the_key_must_be_among_the_fields():
    with pytest.raises(ImproperlyConfigured, match="natural-key"):
        TableUpsert(model("UnitType"), fields=["name"], key=["code"])

"""Test helpers: an innovation of a unit."""

import datetime as dt
from typing import Any

from sinergi.innovations import services
from sinergi.innovations.models import Innovation, Stage


def make_innovation(unit: Any, name: str = "Pro Wes Difa", **kwargs: Any) -> Innovation:
    values: dict[str, Any] = {
        "acronym": "PWD",
        "owner": "Tim UPT",
        "problem": "Masyarakat belum memahami disabilitas.",
        "description": "Wisata edukasi sosial disabilitas.",
        "started_on": dt.date(2019, 1, 1),
        "stage": Stage.objects.get(code="implemented"),
    }
    values.update(kwargs)
    return services.innovation_save(actor=None, name=name, unit=unit, **values)

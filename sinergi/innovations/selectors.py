"""Reads of the innovation registry: the internal list (scoped, filtered, keyset pages), one
innovation with its indicators, evidence and entries, and the public list of published ones."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from sinergi.core.pagination import Page, keyset_page
from sinergi.innovations.models import (
    CompetitionEntry,
    CompetitionStage,
    EffectIndicator,
    Evidence,
    Innovation,
    Stage,
)
from sinergi.innovations.permissions import access_innovation, access_part, scope_innovations

ORDERING = ("name", "id")


@dataclass(frozen=True)
class Filters:
    unit: int | None = None
    stage: str = ""
    year: int | None = None  # started in this year
    q: str = ""


def stages() -> QuerySet[Stage]:
    return Stage.objects.all()


def competition_stages() -> QuerySet[CompetitionStage]:
    return CompetitionStage.objects.all()


def _filtered(queryset: QuerySet[Innovation], filters: Filters) -> QuerySet[Innovation]:
    if filters.unit:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.stage:
        queryset = queryset.filter(stage__code=filters.stage)
    if filters.year:
        queryset = queryset.filter(started_on__year=filters.year)
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(acronym__icontains=filters.q))
    return queryset


def innovation_list(*, viewer: Any, filters: Filters | None = None) -> QuerySet[Innovation]:
    queryset = scope_innovations(Innovation.objects.select_related("unit", "stage"), viewer)
    return _filtered(queryset, filters or Filters())


def innovation_page(*, viewer: Any, filters: Filters, cursor: str | None) -> Page:
    return keyset_page(
        innovation_list(viewer=viewer, filters=filters), ordering=ORDERING, cursor=cursor
    )


def innovation_get(*, viewer: Any, pk: Any) -> Innovation:
    return access_innovation(viewer, pk)


def innovation_parts(innovation: Innovation) -> dict[str, list[Any]]:
    return {
        "indicators": list(innovation.indicators.all()),
        "evidence": list(innovation.evidence.all()),
        "entries": list(innovation.entries.select_related("stage_reached")),
    }


def evidence_get(*, viewer: Any, pk: Any) -> Evidence:
    """Evidence of an innovation in the viewer's scope (with its innovation and unit)."""
    return access_part(Evidence, viewer, pk)


def evidence_file_get(*, viewer: Any, pk: Any) -> Evidence:
    """Evidence with a stored file, for its download."""
    evidence = evidence_get(viewer=viewer, pk=pk)
    if not evidence.file:
        raise Http404
    return evidence


def indicator_get(*, viewer: Any, pk: Any) -> EffectIndicator:
    return access_part(EffectIndicator, viewer, pk)


def entry_get(*, viewer: Any, pk: Any) -> CompetitionEntry:
    return access_part(CompetitionEntry, viewer, pk)


# --- Public -------------------------------------------------------------------------------------


def public_list(*, filters: Filters | None = None) -> QuerySet[Innovation]:
    """Published innovations only, for everyone (no login)."""
    queryset = Innovation.objects.filter(is_published=True).select_related("unit", "stage")
    return _filtered(queryset, filters or Filters())


def public_page(*, filters: Filters, cursor: str | None) -> Page:
    return keyset_page(public_list(filters=filters), ordering=ORDERING, cursor=cursor)


def public_get(pk: Any) -> Innovation:
    try:
        return public_list().get(pk=pk)
    except (Innovation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_parts(innovation: Innovation) -> dict[str, list[Any]]:
    """What the public page shows besides the innovation: effect indicators, entries, links."""
    return {
        "indicators": list(innovation.indicators.all()),
        "entries": list(innovation.entries.select_related("stage_reached")),
        "links": list(innovation.evidence.exclude(link="").only("title", "link")),
    }

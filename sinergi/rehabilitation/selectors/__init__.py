"""Reads for clients, cases and assessments, always scoped to the viewer."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import scope_queryset, sees_everything
from sinergi.core.errors import ApplicationError
from sinergi.core.pagination import Page, decode_cursor, encode_cursor, keyset_page
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.models import (
    Assessment,
    Case,
    CaseEvent,
    Client,
    DisabilityType,
    FollowUp,
    Instrument,
    PpksCategory,
    ReferralSource,
    Stage,
    TerminationReason,
)
from sinergi.rehabilitation.permissions import (
    access_case,
    access_client,
    scope_cases,
)
from sinergi.rehabilitation.selectors import casework, reference, residential, transfers

ADL_INSTRUMENT_CODE = "barthel"
CLIENT_ORDERING = ("name", "id")

# --- Reference data ------------------------------------------------------------------------------


def stages() -> list[Stage]:
    """The active stages in order (cached: selectors/reference.py)."""
    return reference.stages()


stages_after = reference.stages_after
plan_stage = reference.plan_stage
ppks_category_choices = reference.ppks_category_choices


def stage_after(stage: Stage) -> Stage | None:
    return Stage.objects.after(stage)


def ppks_categories() -> QuerySet[PpksCategory]:
    return PpksCategory.objects.filter(is_active=True).order_by("number")


def disability_types() -> QuerySet[DisabilityType]:
    return DisabilityType.objects.filter(is_active=True).order_by("number")


def referral_sources() -> QuerySet[ReferralSource]:
    return ReferralSource.objects.filter(is_active=True).order_by("number")


def termination_reasons() -> QuerySet[TerminationReason]:
    return TerminationReason.objects.filter(is_active=True).order_by("number")


def instrument_current(code: str = ADL_INSTRUMENT_CODE) -> Instrument | None:
    """The active version of an instrument with its items and options (three queries)."""
    return (
        Instrument.objects.filter(code=code, is_active=True)
        .prefetch_related("items__options", "bands")
        .order_by("-effective_from", "-id")
        .first()
    )


def service_units(*, viewer: Any) -> QuerySet[Unit]:
    """The UPT of the viewer's scope (for the intake form and the search filter)."""
    qs = Unit.objects.filter(unit_type__is_service_unit=True, is_active=True)
    return scope_queryset(qs, viewer, unit_path_field="path").order_by("name")


def social_workers(*, unit: Unit) -> QuerySet[Any]:
    """Active users of `unit` holding the social worker or head of UPT role."""
    return (
        get_user_model()
        .objects.filter(unit=unit, is_active=True, roles__code__in=["social_worker", "head_of_upt"])
        .distinct()
        .order_by("full_name", "username")
    )


# --- Clients -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientFilters:
    nik: str = ""
    name: str = ""
    unit: int | None = None
    category: str = ""
    stage: str = ""

    @property
    def any(self) -> bool:
        return bool(self.nik or self.name or self.unit or self.category or self.stage)


def _scope_clients(queryset: QuerySet[Client], viewer: Any) -> QuerySet[Client]:
    """`permissions.scope_clients` spelled for big tables: the case's UPT among the unit ids of the
    viewer's subtree (a small hashed subquery) rather than a LIKE on the path of a joined unit for
    every client the keyset scan passes."""
    if sees_everything(viewer):
        return queryset
    units = scope_queryset(Unit.objects.all(), viewer, unit_path_field="path").values("pk")
    cases = Case.objects.filter(client=OuterRef("pk"), unit_id__in=units)
    return queryset.filter(Exists(cases))


def client_search(*, viewer: Any, filters: ClientFilters) -> QuerySet[Client]:
    """Clients of the viewer's scope matching the filters (NIK exact, name contains, UPT, PPKS
    category code, stage code of an open case), unordered."""
    qs = _scope_clients(Client.objects.all(), viewer)
    if filters.nik:
        qs = qs.filter(nik=filters.nik)
    if filters.name:
        qs = qs.filter(name__icontains=filters.name)
    if filters.category:
        # "= (SELECT id ...)": one value the index (ppks_category, name, id) walks in name order
        category = PpksCategory.objects.filter(code=filters.category).values("pk")[:1]
        qs = qs.filter(ppks_category_id=Subquery(category))
    if filters.unit or filters.stage:
        # EXISTS per client rather than "id IN (all matching cases)": the planner walks the name
        # index and probes each client's cases, instead of sorting thousands of matches
        cases = scope_cases(Case.objects.filter(client=OuterRef("pk")), viewer)
        if filters.unit:
            cases = cases.filter(unit_id=filters.unit)
        if filters.stage:
            stage = Stage.objects.filter(code=filters.stage).values("pk")[:1]
            cases = cases.filter(stage_id=Subquery(stage), status=Case.Status.OPEN)
        qs = qs.filter(Exists(cases))
    return qs


def _invalid_cursor() -> ApplicationError:
    return ApplicationError(
        _("The page link is invalid or out of date. Open the first page of the list again."),
        code="invalid_cursor",
    )


def client_page_cursor(client_id: Any, *, backwards: bool = False) -> str:
    """The cursor of the client list page after (or, backwards, before) this client: it holds the
    client's id only, never a name, so a page can be opened by address."""
    return encode_cursor([str(client_id)], backwards=backwards)


def client_search_page(
    *, viewer: Any, filters: ClientFilters, cursor: str | None, size: int = 25
) -> Page:
    """One keyset page of `client_search` by (name, id), each client with its visible cases
    (`visible_cases`). The cursor (`client_page_cursor`) names the client the page starts after;
    its name is read back (scoped) and bounds the index scan, so the last page costs the first's."""
    cases = scope_cases(Case.objects.all(), viewer).select_related("unit", "stage")
    qs = (
        client_search(viewer=viewer, filters=filters)
        .select_related("ppks_category")
        .prefetch_related(
            Prefetch("cases", queryset=cases.order_by("-admitted_on"), to_attr="visible_cases")
        )
    )
    keyset = None
    backwards = False
    if cursor:
        values, backwards = decode_cursor(cursor)
        if len(values) != 1 or not values[0]:
            raise _invalid_cursor()
        try:
            key_id = uuid.UUID(str(values[0]))
        except ValueError as exc:
            raise _invalid_cursor() from exc
        name = (
            _scope_clients(Client.objects.filter(pk=key_id), viewer)
            .values_list("name", flat=True)
            .first()
        )
        if name is None:
            raise _invalid_cursor()
        # (name, id) > (x, y) as the keyset spells it, plus name >= x: a bound the index uses
        qs = qs.filter(name__lte=name) if backwards else qs.filter(name__gte=name)
        keyset = encode_cursor([name, str(key_id)], backwards=backwards)
    page = keyset_page(qs, ordering=CLIENT_ORDERING, cursor=keyset, size=size)
    items = page.items
    return Page(
        items,
        client_page_cursor(items[-1].pk) if items and page.has_next else None,
        client_page_cursor(items[0].pk, backwards=True) if items and page.has_previous else None,
        page.has_next,
        page.has_previous,
    )


def client_get(*, viewer: Any, pk: Any) -> Client:
    """One client of the viewer's scope with its reference data, or Http404."""
    qs = Client.objects.select_related(
        "ppks_category",
        "disability_type",
        "referral_source",
        "village",
        "village__parent",
        "village__parent__parent",
    )
    return access_client(viewer, pk, queryset=qs)


def client_cases(*, viewer: Any, client: Client) -> list[Case]:
    """The client's cases the viewer may see, newest first."""
    qs = scope_cases(Case.objects.filter(client=client), viewer)
    return list(
        qs.select_related("unit", "stage", "social_worker", "termination_reason").order_by(
            "-admitted_on", "id"
        )
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    kind: str
    title: str
    detail: str
    case: Case


def client_timeline(*, viewer: Any, cases: list[Case]) -> list[TimelineEntry]:
    """Events and assessments of the given (already scoped) cases, newest first (two queries)."""
    by_id = {c.pk: c for c in cases}
    entries: list[TimelineEntry] = []
    events = CaseEvent.objects.filter(case_id__in=by_id).select_related(
        "from_stage", "to_stage", "actor"
    )
    for event in events:
        detail = " ".join(part for part in [event.reason, event.notes] if part)
        entries.append(
            TimelineEntry(
                event.at,
                event.kind,
                f"{event.get_kind_display()}: {event.to_stage.name}",
                detail,
                by_id[event.case_id],
            )
        )
    for assessment in Assessment.objects.filter(case_id__in=by_id).select_related("instrument"):
        at = timezone.make_aware(dt.datetime.combine(assessment.assessed_on, dt.time(12)))
        entries.append(
            TimelineEntry(
                at,
                "assessment",
                f"{assessment.instrument.name}: {assessment.total_score} ({assessment.band_label})",
                assessment.notes,
                by_id[assessment.case_id],
            )
        )
    entries += [TimelineEntry(i.at, i.kind, i.title, i.detail, by_id[i.case_id]) for i in casework.timeline_items(case_ids=list(by_id))]  # fmt: skip
    entries += [TimelineEntry(at, kind, title, detail, by_id[case_id]) for at, kind, title, detail, case_id in [*residential.timeline_rows(case_ids=list(by_id)), *transfers.timeline_rows(case_ids=list(by_id))]]  # fmt: skip
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def adl_series(*, cases: list[Case], code: str = ADL_INSTRUMENT_CODE) -> list[dict[str, Any]]:
    """The ADL totals of the given (scoped) cases in date order, for the trend chart."""
    rows = (
        Assessment.objects.filter(case__in=cases, instrument__code=code)
        .order_by("assessed_on", "id")
        .values("assessed_on", "total_score", "band_label")
    )
    return [
        {"date": r["assessed_on"].isoformat(), "score": r["total_score"], "band": r["band_label"]}
        for r in rows
    ]


# --- Cases ---------------------------------------------------------------------------------------


def case_list(
    *, viewer: Any, status: str = "", unit: int | None = None, worker: Any = None
) -> QuerySet[Case]:
    """Cases of the viewer's scope, unordered; optionally by status, UPT and social worker."""
    qs = scope_cases(Case.objects.all(), viewer)
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit_id=unit)
    if worker is not None:
        qs = qs.filter(social_worker=worker)
    return qs.select_related("client", "unit", "stage", "social_worker")


def case_get(*, viewer: Any, pk: Any) -> Case:
    """One case of the viewer's scope with client, UPT, stage and people, or Http404."""
    qs = Case.objects.select_related(
        "client",
        "client__ppks_category",
        "unit",
        "unit__unit_type",
        "stage",
        "social_worker",
        "stage_approved_by",
        "termination_reason",
        "destination_region",
    )
    return access_case(viewer, pk, queryset=qs)


def case_events(*, case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("-at", "-id")
    )


def case_assessments(*, case: Case) -> list[Assessment]:
    return list(
        Assessment.objects.filter(case=case)
        .select_related("instrument", "assessor")
        .order_by("-assessed_on", "-id")
    )


def case_follow_ups(*, case: Case) -> list[FollowUp]:
    """The aftercare follow-ups of a case (already access-checked), in order."""
    return list(
        FollowUp.objects.filter(case=case).select_related("recorded_by").order_by("number", "id")
    )


def follow_up_get(*, viewer: Any, case_pk: Any, pk: Any) -> FollowUp:
    """One follow-up of a case in the viewer's scope, or Http404."""
    case = case_get(viewer=viewer, pk=case_pk)
    try:
        follow_up = FollowUp.objects.get(case=case, pk=pk)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    follow_up.case = case
    return follow_up


def assessment_list(*, viewer: Any, case_id: Any = None) -> QuerySet[Assessment]:
    """Assessments of the cases in the viewer's scope, unordered."""
    cases = scope_cases(Case.objects.all(), viewer)
    qs = Assessment.objects.filter(case__in=cases.values("pk"))
    if case_id:
        qs = qs.filter(case_id=case_id)
    return qs.select_related("instrument", "case").prefetch_related("answers__item")


# --- Task list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tasks:
    open_cases: list[Case]
    assessments_due: list[Case]
    nik_missing: list[Case]
    approvals: list[Case]
    follow_ups_due: list[FollowUp]
    casework: "casework.OverdueCasework | None" = None


def worker_tasks(*, viewer: Any, today: dt.date | None = None) -> Tasks:
    """The viewer's open cases, those due for an ADL assessment, clients still without NIK, and
    (for approvers) cases waiting for approval in the viewer's scope."""
    today = today or timezone.localdate()
    last_adl = (
        Assessment.objects.filter(case=OuterRef("pk"), instrument__code=ADL_INSTRUMENT_CODE)
        .values("case")
        .annotate(last=Max("assessed_on"))
        .values("last")
    )
    mine: list[Case] = list(
        case_list(viewer=viewer, status=Case.Status.OPEN, worker=viewer)
        .annotate(last_adl_on=Subquery(last_adl))
        .order_by("stage__number", "admitted_on", "id")[:200]
    )
    instrument = Instrument.objects.filter(code=ADL_INSTRUMENT_CODE, is_active=True).first()
    every = instrument.reassess_every_days if instrument else None
    due: list[Case] = []
    for case in mine:
        last: dt.date | None = getattr(case, "last_adl_on", None)
        if last is None or (every and last + dt.timedelta(days=every) <= today):
            due.append(case)
    approvals: list[Case] = []
    if viewer.has_perm("rehabilitation.approve_case"):
        approvals = list(
            case_list(viewer=viewer, status=Case.Status.OPEN)
            .filter(stage__requires_approval=True, stage_approved_at__isnull=True)
            .order_by("stage_entered_at", "id")[:200]
        )
    follow_ups_due = list(
        FollowUp.objects.filter(
            case__social_worker=viewer,
            case__status=Case.Status.OPEN,
            done_on__isnull=True,
            due_on__lte=today,
        )
        .select_related("case", "case__client")
        .order_by("due_on", "id")[:200]
    )
    return Tasks(
        open_cases=list(mine),
        follow_ups_due=follow_ups_due,
        assessments_due=list(due),
        nik_missing=[c for c in mine if not c.client.nik],
        approvals=approvals,
        casework=casework.overdue_casework(viewer=viewer, today=today),
    )


def open_case_count_by_stage(*, viewer: Any) -> dict[int, int]:
    """{stage id: open cases} in the viewer's scope (one grouped query)."""
    rows = (
        scope_cases(Case.objects.filter(status=Case.Status.OPEN), viewer)
        .values("stage_id")
        .annotate(n=Count("id"))
    )
    return {r["stage_id"]: r["n"] for r in rows}

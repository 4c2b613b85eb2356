"""Reads of consent records and client documents, scoped to the viewer through the client.

`client_has_consent` is THE question every publication or data-sharing feature asks: "has this
client consented to X now?".
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.permissions import sees_everything
from sinergi.rehabilitation.models import (
    Assessment,
    Case,
    CaseEvent,
    Client,
    ClientDocument,
    ConsentRecord,
    ConsentScope,
    DocumentType,
    FollowUp,
)
from sinergi.rehabilitation.permissions import access_client, scope_clients
from sinergi.rehabilitation.selectors import ADL_INSTRUMENT_CODE


def client_in_scope(viewer: Any, client: Client) -> bool:
    """Whether the client has a case in the viewer's scope (one query unless office-wide)."""
    if sees_everything(viewer):
        return True
    return scope_clients(Client.objects.filter(pk=client.pk), viewer).exists()


# --- Consent --------------------------------------------------------------------------------------


def _in_force_on(on: dt.date) -> Q:
    return Q(consented_on__lte=on) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


def client_has_consent(*, client: Any, scope: str, on: dt.date | None = None) -> bool:
    """Whether the client (or their guardian) has consented to `scope` and not withdrawn it, on
    `on` (default today). One query. `client` is a Client or its id."""
    client_id = getattr(client, "pk", client)
    on = on or timezone.localdate()
    return ConsentRecord.objects.filter(_in_force_on(on), client_id=client_id, scope=scope).exists()


@dataclass(frozen=True)
class ConsentState:
    scope: str
    label: str
    record: ConsentRecord | None  # the consent in force, if any

    @property
    def given(self) -> bool:
        return self.record is not None


def consent_states(*, client: Client, records: list[ConsentRecord]) -> list[ConsentState]:
    """For every scope, the consent in force today among `records` (the client's history)."""
    today = timezone.localdate()
    in_force = {
        r.scope: r
        for r in records
        if r.consented_on <= today and (r.withdrawn_on is None or r.withdrawn_on > today)
    }
    return [
        ConsentState(value, str(label), in_force.get(value))
        for value, label in ConsentScope.choices
    ]


def consent_history(*, client: Client) -> list[ConsentRecord]:
    """Every consent of an (already access-checked) client, newest first, withdrawn ones too."""
    return list(
        ConsentRecord.objects.filter(client=client)
        .select_related("recorded_by", "withdrawn_by", "form_document")
        .order_by("-consented_on", "-created_at")
    )


def consent_get(*, viewer: Any, client_pk: Any, pk: Any) -> ConsentRecord:
    """One consent record of a client in the viewer's scope, or Http404."""
    client = access_client(viewer, client_pk)
    try:
        record = ConsentRecord.objects.get(client=client, pk=pk)
    except (ConsentRecord.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    record.client = client
    return record


# --- Documents ------------------------------------------------------------------------------------


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True).order_by("number")


def client_documents(*, client: Client) -> list[ClientDocument]:
    """The documents of an (already access-checked) client, newest first."""
    return list(
        ClientDocument.objects.filter(client=client)
        .select_related("document_type", "uploaded_by")
        .order_by("-created_at", "id")
    )


def document_get(*, viewer: Any, pk: Any) -> ClientDocument:
    """A document whose client is in the viewer's scope, or Http404 (missing or forbidden)."""
    qs = ClientDocument.objects.select_related("document_type", "client")
    try:
        document = qs.get(pk=pk)
    except (ClientDocument.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not client_in_scope(viewer, document.client):
        raise Http404
    return document


# --- Case summary (PDF) ---------------------------------------------------------------------------


def _casework_model(name: str) -> Any:
    """A casework model when that part of the app exists (it is built beside this one)."""
    try:
        return apps.get_model("rehabilitation", name)
    except LookupError:
        return None


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    events: list[CaseEvent]
    assessments: list[Assessment]
    adl_first: Assessment | None
    adl_last: Assessment | None
    services_count: int | None  # None when the service log does not exist
    services_by_type: list[tuple[str, int]]
    goals: list[Any]  # goals of the latest intervention plan, when plans exist
    follow_ups: list[FollowUp]


def case_summary(*, case: Case) -> CaseSummary:
    """What the case summary PDF shows of an (already access-checked) case, in a fixed number of
    queries whatever the number of events, assessments or services."""
    events = list(
        CaseEvent.objects.filter(case=case)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("at", "id")
    )
    assessments = list(
        Assessment.objects.filter(case=case)
        .select_related("instrument", "assessor")
        .order_by("assessed_on", "id")
    )
    adl = [a for a in assessments if a.instrument.code == ADL_INSTRUMENT_CODE]
    services_count: int | None = None
    by_type: list[tuple[str, int]] = []
    service_entry = _casework_model("ServiceEntry")
    if service_entry is not None:
        rows = (
            service_entry.objects.filter(case=case)
            .values("service_type__name")
            .annotate(n=Count("*"))
            .order_by("service_type__name")
        )
        by_type = [(r["service_type__name"], r["n"]) for r in rows]
        services_count = sum(n for _name, n in by_type)
    goals: list[Any] = []
    plan_model = _casework_model("InterventionPlan")
    if plan_model is not None:
        plan = plan_model.objects.filter(case=case).order_by("-revision", "-created_at").first()
        if plan is not None:
            goals = list(plan.goals.order_by("number"))
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("number", "id"))
    return CaseSummary(
        case=case,
        events=events,
        assessments=assessments,
        adl_first=adl[0] if adl else None,
        adl_last=adl[-1] if len(adl) > 1 else None,
        services_count=services_count,
        services_by_type=by_type,
        goals=goals,
        follow_ups=follow_ups,
    )

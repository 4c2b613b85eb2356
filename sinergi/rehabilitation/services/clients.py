"""Intake: register a client (or reuse the person with the same NIK) and open a case in a UPT."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import unit_in_scope
from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, parse_nik
from sinergi.organisation.fields import district_exists
from sinergi.rehabilitation.models import AuditAction, Case, CaseEvent, Client, Stage
from sinergi.rehabilitation.permissions import can_change_client, client_open_case
from sinergi.rehabilitation.services.common import full_clean_or_error

CLIENT_FIELDS = [
    "nik",
    "no_nik_reason",
    "kk_number",
    "name",
    "sex",
    "birth_place",
    "birth_on",
    "address",
    "village",
    "ppks_category",
    "disability_type",
    "referral_source",
    "guardian_name",
    "guardian_relationship",
    "guardian_phone",
    "dtsen_desil",
]


@dataclass(frozen=True)
class DuplicateCandidate:
    """What intake shows about a possible same person: enough to recognise, no NIK."""

    client_id: Any
    name: str
    birth_on: dt.date
    village_name: str
    unit_names: list[str]


def likely_duplicates(
    *, name: str, birth_on: dt.date, regency_code: str, limit: int = 5
) -> list[DuplicateCandidate]:
    """Clients in ANY UPT with the same name (case-insensitive) and birth date from the same
    regency: the same person may come again without NIK (two queries). Part of the intake rule,
    so it lives here; the candidates carry no NIK."""
    qs = Client.objects.filter(
        name__iexact=name.strip(), birth_on=birth_on, regency_id=regency_code
    ).select_related("village")
    found = list(qs.order_by("id")[:limit])
    units: dict[Any, list[str]] = {}
    cases = Case.objects.filter(client__in=found).select_related("unit").order_by("-admitted_on")
    for case in cases:
        units.setdefault(case.client_id, []).append(case.unit.name)
    return [
        DuplicateCandidate(c.pk, c.name, c.birth_on, c.village.name, units.get(c.pk, []))
        for c in found
    ]


class LikelyDuplicate(ApplicationError):
    """Intake found clients with the same name, birth date and regency; the user must confirm."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__(
            _(
                "A client with the same name and date of birth from the same regency is already "
                "registered. Check the list below: if it is the same person, enter their NIK; if "
                'not, tick "This is a different person" and save again.'
            ),
            code="likely_duplicate",
        )
        self.candidates = candidates


def _check_unit(actor: Any, unit: Any) -> None:
    if unit is None or not unit.unit_type.is_service_unit or not unit.is_active:
        raise ApplicationError(
            _("Clients are registered in a UPT. Choose an active UPT."),
            field_errors={"unit": [_("Choose a UPT.")]},
        )
    if actor is not None and not unit_in_scope(actor, unit):
        raise ApplicationError(
            _("You can only register clients in your own UPT. Choose your UPT."),
            field_errors={"unit": [_("Choose a UPT of your own unit.")]},
        )


def _check_birth_date(birth_on: dt.date | None, today: dt.date) -> None:
    if birth_on is not None and birth_on > today:
        raise ApplicationError(
            _(
                "The date of birth %(date)s is in the future. Enter the date of birth as on the "
                "KTP or family card; if it is unknown, enter an estimate and say so in the notes."
            )
            % {"date": birth_on.strftime("%d-%m-%Y")},
            field_errors={"birth_on": [_("The date of birth cannot be in the future.")]},
        )


def _check_nik(fields: dict[str, Any]) -> None:
    nik = fields.get("nik")
    if not nik:
        if not (fields.get("no_nik_reason") or "").strip():
            raise ApplicationError(
                _(
                    'Enter the NIK, or, if the client has none yet, say why in "Reason there '
                    'is no NIK yet" (the case will then carry a task to obtain one).'
                ),
                field_errors={"no_nik_reason": [_("Say why there is no NIK yet.")]},
            )
        return
    try:
        parse_nik(
            nik,
            birth_date=fields.get("birth_on"),
            sex=fields.get("sex") or None,
            district_exists=district_exists,
        )
    except IdentityError as error:
        messages = [p.message for p in error.problems]
        raise ApplicationError(" ".join(messages), field_errors={"nik": messages}) from None


def _check_social_worker(unit: Any, social_worker: Any) -> None:
    if social_worker is not None and social_worker.unit_id != unit.pk:
        raise ApplicationError(
            _("The social worker must work in the same UPT. Choose one from the list."),
            field_errors={"social_worker": [_("Choose a social worker of this UPT.")]},
        )


@transaction.atomic
def client_intake(
    *,
    actor: Any,
    unit: Any,
    admitted_on: dt.date,
    social_worker: Any = None,
    confirm_not_duplicate: bool = False,
    notes: str = "",
    **fields: Any,
) -> Case:
    """Register the client (the same NIK reuses the existing person) and open a case at the
    first stage. Raises LikelyDuplicate unless `confirm_not_duplicate`, and ApplicationError
    for bad input; nothing is saved then."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    today = timezone.localdate()
    fields["nik"] = (fields.get("nik") or "").strip() or None
    _check_unit(actor, unit)
    _check_birth_date(fields.get("birth_on"), today)
    if admitted_on > today:
        raise ApplicationError(
            _("The admission date is in the future. Enter the day the client arrived."),
            field_errors={"admitted_on": [_("The admission date cannot be in the future.")]},
        )
    _check_nik(fields)
    _check_social_worker(unit, social_worker)

    client = Client.objects.filter(nik=fields["nik"]).first() if fields["nik"] else None
    if client is not None:
        if Case.objects.filter(client=client, status=Case.Status.OPEN).exists():
            raise ApplicationError(
                _(
                    "The person with this NIK already has an open case in a UPT. A person can "
                    "stay in one UPT at a time: ask that UPT to end or transfer the case first."
                ),
                code="open_case_exists",
                field_errors={"nik": [_("This person already has an open case.")]},
            )
    else:
        village = fields.get("village")
        if village is None:
            raise ApplicationError(
                _("Choose the village (desa/kelurahan) of the client's address."),
                field_errors={"village": [_("Choose the village.")]},
            )
        if not confirm_not_duplicate:
            candidates = likely_duplicates(
                name=fields.get("name") or "",
                birth_on=fields["birth_on"],
                regency_code=village.code[:5],
            )
            if candidates:
                raise LikelyDuplicate(candidates)
        client = Client(**fields, regency_id=village.code[:5], created_by=actor)
        full_clean_or_error(client)
        client.save(force_insert=True)
        audit.record(
            actor=actor,
            action=AuditAction.CLIENT_CREATED,
            target=client,
            # Personal data stays out of the audit trail: field names only, no values.
            extra={"fields": sorted(k for k, v in fields.items() if v not in (None, ""))},
        )

    now = timezone.now()
    stage = Stage.objects.first_stage()
    if stage is None:
        raise ApplicationError(
            _("The stages are not set up. Ask the administrator to load the reference data.")
        )
    case = Case(
        client=client,
        unit=unit,
        social_worker=social_worker,
        stage=stage,
        admitted_on=admitted_on,
        stage_entered_at=now,
    )
    full_clean_or_error(case, validate_constraints=False)
    case.save(force_insert=True)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.OPENED, to_stage=stage, notes=notes, actor=actor, at=now
    )
    audit.record(
        actor=actor,
        action=AuditAction.CASE_OPENED,
        target=case,
        changes={
            "client": [None, str(client.pk)],
            "unit": [None, unit.pk],
            "stage": [None, stage.code],
            "social_worker": [None, social_worker.pk if social_worker else None],
        },
    )
    return case


class StaleClient(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this client's record after you opened it. Reload the page "
                "to see the latest version, then make your change again."
            ),
            code="stale",
        )


def _check_nik_free(nik: str | None, client: Client) -> None:
    if nik and Client.objects.filter(nik=nik).exclude(pk=client.pk).exists():
        raise ApplicationError(
            _(
                "This NIK is already registered for another client. Check the digits against "
                "the KTP or family card; if both records are the same person, ask the "
                "administrator to merge them."
            ),
            code="nik_taken",
            field_errors={"nik": [_("This NIK belongs to another client.")]},
        )


@transaction.atomic
def client_update(*, actor: Any, client: Client, expected_version: int, **fields: Any) -> Client:
    """Correct or complete a client's record (e.g. the NIK obtained later from Dukcapil) with the
    checks of intake. Fields not given keep their value; a NIK clears the no-NIK reason; a NIK of
    another client is refused; a save over a newer version raises StaleClient. Audited with the
    names of the changed fields only (no personal data in the trail)."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    current = Client.objects.select_for_update().get(pk=client.pk)
    if current.version != expected_version:
        raise StaleClient()
    if actor is not None and not can_change_client(actor, current, client_open_case(current)):
        raise ApplicationError(
            _(
                "Only the social worker assigned to the client's open case, or the head of its "
                "UPT, can change the client's record."
            ),
            code="not_assigned",
        )
    values = {name: fields.get(name, getattr(current, name)) for name in CLIENT_FIELDS}
    values["nik"] = (values["nik"] or "").strip() or None
    if values["nik"]:
        values["no_nik_reason"] = ""
    _check_birth_date(values["birth_on"], timezone.localdate())
    _check_nik(values)
    _check_nik_free(values["nik"], current)
    if values["village"] is None:
        raise ApplicationError(
            _("Choose the village (desa/kelurahan) of the client's address."),
            field_errors={"village": [_("Choose the village.")]},
        )
    changed = sorted(name for name in CLIENT_FIELDS if getattr(current, name) != values[name])
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.regency_id = values["village"].code[:5]
    current.version = expected_version + 1
    full_clean_or_error(current)
    current.save()
    audit.record(
        actor=actor,
        action=AuditAction.CLIENT_UPDATED,
        target=current,
        changes={"version": [expected_version, current.version]},
        extra={"fields": changed},
    )
    return current

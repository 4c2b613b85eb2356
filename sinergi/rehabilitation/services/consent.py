"""Recording and withdrawing consent (UU 27/2022 Ps 20-26): history is kept, nothing is deleted.

A child's consent is given by a parent or guardian (Ps 25); for a person with a disability the
person and/or a guardian consent (Ps 26), so both are accepted and the guardian is named when it is
the guardian. The age below which a client counts as a child is a setting
(`SINERGI["CONSENT_ADULT_AGE_YEARS"]`, default 18: UU 35/2014 Ps 1 angka 1).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, parse_nik
from sinergi.organisation.fields import district_exists
from sinergi.rehabilitation.models import (
    ClientDocument,
    ConsentGiver,
    ConsentRecord,
    ConsentScope,
    DocumentType,
    RecordsAuditAction,
)
from sinergi.rehabilitation.services.common import full_clean_or_error
from sinergi.rehabilitation.services.documents import (
    can_record_consent,
    can_withdraw_consent,
    document_upload,
)

CONSENT_FORM_TYPE = "formulir-persetujuan"


def adult_age_years() -> int:
    value: Any = getattr(settings, "SINERGI", {}).get("CONSENT_ADULT_AGE_YEARS", 18)
    return int(value)


def age_on(birth_on: dt.date, on: dt.date) -> int:
    return on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))


def _check_giver(
    client: Any,
    *,
    given_by: str,
    consented_on: dt.date,
    guardian_name: str,
    guardian_relationship: str,
    guardian_nik: str,
) -> None:
    if given_by not in ConsentGiver.values:
        raise ApplicationError(
            _("Choose who gives the consent."),
            field_errors={"given_by": [_("Choose who gives the consent.")]},
        )
    adult_age = adult_age_years()
    if given_by == ConsentGiver.CLIENT and age_on(client.birth_on, consented_on) < adult_age:
        raise ApplicationError(
            _(
                "The client was under %(age)d years old on %(date)s: a child's consent is given by "
                "a parent or guardian (UU 27/2022 Ps 25). Choose “A parent or guardian” and enter "
                "their name and relationship."
            )
            % {"age": adult_age, "date": consented_on.strftime("%d-%m-%Y")},
            code="guardian_required",
            field_errors={"given_by": [_("A child's consent is given by a parent or guardian.")]},
        )
    if given_by == ConsentGiver.GUARDIAN:
        missing: dict[str, list[str]] = {}
        if not guardian_name:
            missing["guardian_name"] = [_("Enter the guardian's name.")]
        if not guardian_relationship:
            missing["guardian_relationship"] = [_("Enter how the guardian is related.")]
        if missing:
            raise ApplicationError(
                _(
                    "Enter the name of the parent or guardian who consents and how they are "
                    "related to the client."
                ),
                code="guardian_missing",
                field_errors=missing,
            )
        if guardian_nik:
            try:
                parse_nik(guardian_nik, district_exists=district_exists)
            except IdentityError as error:
                messages = [p.message for p in error.problems]
                raise ApplicationError(
                    " ".join(messages), field_errors={"guardian_nik": messages}
                ) from None


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    client: Any,
    scope: str,
    given_by: str,
    consented_on: dt.date,
    guardian_name: str = "",
    guardian_relationship: str = "",
    guardian_nik: str = "",
    notes: str = "",
    form_document: ClientDocument | None = None,
    form_upload: Any = None,
) -> ConsentRecord:
    """Record a consent of `client` to `scope`, optionally with the signed form (an existing
    document of the client, or a file uploaded now). Refused while a consent to the same scope is
    in force (withdraw it first); nothing is saved on any refusal."""
    if actor is not None and not can_record_consent(actor, client):
        raise ApplicationError(
            _("You cannot record consent for this client. Ask their social worker."),
            code="forbidden",
        )
    if scope not in ConsentScope.values:
        raise ApplicationError(
            _("Choose what the client consents to."),
            field_errors={"scope": [_("Choose what the client consents to.")]},
        )
    today = timezone.localdate()
    if consented_on > today:
        raise ApplicationError(
            _("The consent date is in the future. Enter the day the form was signed."),
            field_errors={"consented_on": [_("The date cannot be in the future.")]},
        )
    if consented_on < client.birth_on:
        raise ApplicationError(
            _("The consent date is before the client's birth. Check the date."),
            field_errors={"consented_on": [_("Check the date.")]},
        )
    guardian_name, guardian_relationship = guardian_name.strip(), guardian_relationship.strip()
    guardian_nik = "".join(ch for ch in guardian_nik if ch.isdigit())
    if given_by == ConsentGiver.CLIENT:
        guardian_name = guardian_relationship = guardian_nik = ""
    _check_giver(
        client,
        given_by=given_by,
        consented_on=consented_on,
        guardian_name=guardian_name,
        guardian_relationship=guardian_relationship,
        guardian_nik=guardian_nik,
    )
    in_force = ConsentRecord.objects.filter(client=client, scope=scope, withdrawn_on__isnull=True)
    if in_force.exists():
        raise ApplicationError(
            _(
                "A consent to “%(scope)s” is already in force for this client. To record a new "
                "one, withdraw the current consent first (the old one stays in the history)."
            )
            % {"scope": ConsentScope(scope).label},
            code="consent_in_force",
            field_errors={"scope": [_("A consent to this is already in force.")]},
        )
    if form_document is not None and form_document.client_id != client.pk:
        raise ApplicationError(_("The consent form belongs to another client."), code="invalid")
    record = ConsentRecord(
        client=client,
        scope=scope,
        given_by=given_by,
        guardian_name=guardian_name,
        guardian_relationship=guardian_relationship,
        guardian_nik=guardian_nik,
        consented_on=consented_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    full_clean_or_error(record, exclude=["form_document"], validate_constraints=False)
    if form_upload is not None:
        form_type = DocumentType.objects.filter(code=CONSENT_FORM_TYPE, is_active=True).first()
        if form_type is None:
            raise ApplicationError(
                _("The consent form document type is not set up. Ask the administrator.")
            )
        form_document = document_upload(
            actor=actor,
            client=client,
            document_type=form_type,
            upload=form_upload,
            description=_("Consent form: %(scope)s") % {"scope": ConsentScope(scope).label},
        )
    record.form_document = form_document
    try:
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError as exc:  # the same consent saved at the same moment by someone else
            raise ApplicationError(
                _("A consent to this was just recorded by someone else. Reload the page."),
                code="consent_in_force",
            ) from exc
        audit.record(
            actor=actor,
            action=RecordsAuditAction.CONSENT_RECORDED,
            target=record,
            changes={
                "scope": [None, scope],
                "given_by": [None, given_by],
                "consented_on": [None, consented_on.isoformat()],
                "form_document": [None, str(form_document.pk) if form_document else None],
            },
            extra={"client": str(client.pk)},
        )
    except BaseException:
        # The transaction rolls the document row back; the stored file must go with it.
        if form_upload is not None and form_document is not None:
            form_document.file.delete(save=False)
        raise
    return record


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: ConsentRecord, withdrawn_on: dt.date, reason: str
) -> ConsentRecord:
    """Withdraw a consent in force: the record keeps its history with the date and reason."""
    current = ConsentRecord.objects.select_for_update().select_related("client").get(pk=consent.pk)
    if actor is not None and not can_withdraw_consent(actor, current.client):
        raise ApplicationError(
            _("You cannot withdraw consent for this client. Ask their social worker."),
            code="forbidden",
        )
    if current.withdrawn_on is not None:
        raise ApplicationError(
            _("This consent was already withdrawn on %(date)s. Reload the page.")
            % {"date": current.withdrawn_on.strftime("%d-%m-%Y")},
            code="already_withdrawn",
        )
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write why the consent is withdrawn (e.g. the client's own request)."),
            field_errors={"reason": [_("Write the reason.")]},
        )
    if withdrawn_on > timezone.localdate() or withdrawn_on < current.consented_on:
        raise ApplicationError(
            _("The withdrawal date must lie between the consent date and today. Check the date."),
            field_errors={"withdrawn_on": [_("Enter a date between the consent and today.")]},
        )
    ConsentRecord.objects.filter(pk=current.pk).update(
        withdrawn_on=withdrawn_on,
        withdrawal_reason=reason,
        withdrawn_by=actor,
        updated_at=timezone.now(),
    )
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action=RecordsAuditAction.CONSENT_WITHDRAWN,
        target=current,
        changes={"withdrawn_on": [None, withdrawn_on.isoformat()]},
        extra={"client": str(current.client_id), "scope": current.scope},
    )
    return current

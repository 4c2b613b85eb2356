"""Writes of the registry: members, their bank account and status, training records."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, parse_nik
from sinergi.organisation.fields import district_exists
from sinergi.organisation.models import Region
from sinergi.pillars.models import (
    AuditAction,
    Bank,
    Member,
    MemberStatus,
    PillarType,
    Training,
    normalise_name,
)
from sinergi.pillars.permissions import ADD_MEMBER, CHANGE_MEMBER, can_manage_unit

# Fields a change records in the audit trail (the NIK itself is never written there).
MEMBER_FIELDS = [
    "pillar_type",
    "role",
    "name",
    "sex",
    "born_on",
    "phone",
    "email",
    "regency",
    "district",
    "unit",
    "member_number",
    "decree_number",
    "decree_on",
    "active_from",
    "active_until",
    "status",
    "employee",
]
ACCOUNT_FIELDS = ["bank", "account_number", "account_holder", "account_ready"]


def _fail(message: str, field: str | None = None, *, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, field_errors={field: [message]} if field else None)


def check_nik(nik: str, *, born_on: dt.date | None, sex: str | None, exists: Any = None) -> str:
    """The NIK's digits, checked against the region table, the birth date and the sex."""
    try:
        info = parse_nik(
            nik, birth_date=born_on, sex=sex, district_exists=exists or district_exists
        )
    except IdentityError as error:
        messages = [p.message for p in error.problems]
        raise ApplicationError(
            " ".join(messages), code="invalid_nik", field_errors={"nik": messages}
        ) from None
    return info.number


def check_area(pillar_type: PillarType, regency: Any, district: Any) -> None:
    if regency is None or regency.level != Region.Level.REGENCY:
        raise _fail(_("Choose the regency or city of duty."), "regency")
    if district is not None and (
        district.level != Region.Level.DISTRICT or district.parent_id != regency.pk
    ):
        raise _fail(
            _("The kecamatan %(district)s does not lie in %(regency)s. Choose a kecamatan of it.")
            % {"district": district.name, "regency": regency.name},
            "district",
        )
    if pillar_type.requires_district and district is None:
        raise _fail(
            _("A %(type)s serves one kecamatan: choose the kecamatan of duty.")
            % {"type": pillar_type.name},
            "district",
        )


def check_account(bank: Bank | None, number: str, holder: str) -> tuple[str, str]:
    """Bank, number and holder given together; the number all digits, of the bank's length."""
    number = "".join((number or "").split())
    holder = " ".join((holder or "").split())
    if bank is None and not number and not holder:
        return "", ""
    if bank is None or not number or not holder:
        raise _fail(
            _("Enter the bank, the account number and the holder's name together."),
            "account_number" if bank is not None and not number else "bank",
        )
    if not number.isdigit():
        raise _fail(
            _("The account number may hold digits only. Remove dots, dashes and letters."),
            "account_number",
        )
    low, high = bank.account_length_min, bank.account_length_max
    if not low <= len(number) <= high:
        length = str(low) if low == high else f"{low}-{high}"
        raise _fail(
            _(
                "An account number of %(bank)s has %(length)s digits; this one has %(count)d. "
                "Check it against the savings book."
            )
            % {"bank": bank.short_name, "length": length, "count": len(number)},
            "account_number",
        )
    return number, holder


def _check_duplicate_account(bank: Bank | None, number: str, member_pk: int | None) -> None:
    if not number:
        return
    clash = Member.objects.filter(bank=bank, account_number=number)
    if member_pk is not None:
        clash = clash.exclude(pk=member_pk)
    if clash.exists():
        raise _fail(
            _(
                "This %(bank)s account number is already registered for another member. Each "
                "member is paid into their own account: check the number."
            )
            % {"bank": bank.short_name if bank else ""},
            "account_number",
            code="duplicate_account",
        )


def _check_one_per_district(member: Member) -> None:
    if not member.district_exclusive or member.status == MemberStatus.ENDED:
        return
    clash = (
        Member.objects.filter(district_id=member.district_id, district_exclusive=True)
        .exclude(status=MemberStatus.ENDED)
        .exclude(pk=member.pk)
    )
    if clash.exists():
        raise _one_per_district_error(member)


def _one_per_district_error(member: Member) -> ApplicationError:
    district = member.district.name if member.district else ""
    return _fail(
        _(
            "Kecamatan %(district)s already has a %(type)s whose service has not ended. Only one "
            "per kecamatan is allowed: end the service of the current one first (status Ended)."
        )
        % {"district": district, "type": member.pillar_type.name},
        "district",
        code="district_taken",
    )


def _check_holder(member: Member, *, actor: Any, confirm_holder: bool) -> None:
    """A holder name that differs from the member's must be confirmed by an officer."""
    if not member.account_number:
        member.holder_confirmed_by = None
        member.holder_confirmed_at = None
        member.account_ready = False
        return
    if normalise_name(member.account_holder) == normalise_name(member.name):
        member.holder_confirmed_by = None
        member.holder_confirmed_at = None
        member.account_ready = True
        return
    if not confirm_holder:
        raise _fail(
            _(
                "The account holder %(holder)s is not the member's name %(name)s. Check the "
                "savings book; if the account is right, tick the confirmation box."
            )
            % {"holder": member.account_holder, "name": member.name},
            "account_holder",
            code="holder_mismatch",
        )
    member.holder_confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    member.holder_confirmed_at = timezone.now()
    member.account_ready = True


def _save(member: Member) -> None:
    member.full_clean(exclude=["nik", "holder_confirmed_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent save won the race for a unique value
        name = str(exc)
        # PostgreSQL names the constraint, SQLite the columns.
        if "pillars_one_tksk_per_district" in name or name.endswith(".district"):
            raise _one_per_district_error(member) from exc
        if "pillars_member_account_uniq" in name or "account_number" in name:
            _check_duplicate_account(member.bank, member.account_number, member.pk)
        raise _fail(
            _("This member is already registered for this pillar type (same NIK)."),
            "nik",
            code="duplicate_nik",
        ) from exc


@transaction.atomic
def member_create(
    *,
    actor: Any,
    pillar_type: PillarType,
    nik: str,
    name: str,
    sex: str,
    born_on: dt.date,
    regency: Region,
    unit: Any,
    active_from: dt.date,
    role: str = "member",
    district: Region | None = None,
    phone: str = "",
    email: str = "",
    member_number: str = "",
    decree_number: str = "",
    decree_on: dt.date | None = None,
    active_until: dt.date | None = None,
    bank: Bank | None = None,
    account_number: str = "",
    account_holder: str = "",
    confirm_holder: bool = False,
    employee: Any = None,
) -> Member:
    """Register a member. Refused: a bad NIK, a second TKSK in a kecamatan, a duplicate NIK of the
    type or account number, a holder name that differs and is not confirmed."""
    if not can_manage_unit(actor, unit, ADD_MEMBER):
        raise _fail(
            _("You can only register members of your own unit. Choose your unit."),
            "unit",
            code="forbidden",
        )
    nik = check_nik(nik, born_on=born_on, sex=sex)
    check_area(pillar_type, regency, district)
    if active_until is not None and active_until < active_from:
        raise _fail(
            _("The active period ends before it starts. Correct the dates."), "active_until"
        )
    if Member.objects.filter(pillar_type=pillar_type, nik=nik).exists():
        raise _fail(
            _(
                "A %(type)s with this NIK is already registered. Open that member instead of "
                "registering them again."
            )
            % {"type": pillar_type.name},
            "nik",
            code="duplicate_nik",
        )
    account_number, account_holder = check_account(bank, account_number, account_holder)
    member = Member(
        pillar_type=pillar_type,
        role=role,
        nik=nik,
        name=" ".join(name.split()),
        sex=sex,
        born_on=born_on,
        phone=phone,
        email=email,
        regency=regency,
        district=district,
        unit=unit,
        member_number=member_number,
        decree_number=decree_number,
        decree_on=decree_on,
        active_from=active_from,
        active_until=active_until,
        bank=bank if account_number else None,
        account_number=account_number,
        account_holder=account_holder,
        district_exclusive=pillar_type.one_per_district,
        employee=employee,
    )
    _check_one_per_district(member)
    _check_duplicate_account(member.bank, account_number, None)
    _check_holder(member, actor=actor, confirm_holder=confirm_holder)
    _save(member)
    changes = {k: [None, v] for k, v in audit.snapshot(member, MEMBER_FIELDS).items()}
    changes.update({k: [None, v] for k, v in audit.snapshot(member, ACCOUNT_FIELDS).items()})
    audit.record(actor=actor, action=AuditAction.MEMBER_CREATED, target=member, changes=changes)
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    """Change a member's identity, duty area, decree or period (not the status or account)."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("pillar_type")
        .get(pk=member.pk)
    )
    if not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise _fail(_("You cannot change members of another unit."), code="forbidden")
    allowed = set(MEMBER_FIELDS) - {"status"} | {"nik"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"member_update cannot change {sorted(unknown)}")
    before = audit.snapshot(member, MEMBER_FIELDS)
    old_nik = member.nik
    for key, value in fields.items():
        setattr(member, key, value)
    if "unit" in fields and not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise _fail(
            _("You can only move a member to a unit of your own."), "unit", code="forbidden"
        )
    member.name = " ".join(member.name.split())
    member.nik = check_nik(member.nik, born_on=member.born_on, sex=member.sex)
    check_area(member.pillar_type, member.regency, member.district)
    if member.active_until is not None and member.active_until < member.active_from:
        raise _fail(
            _("The active period ends before it starts. Correct the dates."), "active_until"
        )
    member.district_exclusive = member.pillar_type.one_per_district
    if (
        Member.objects.filter(pillar_type=member.pillar_type, nik=member.nik)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise _fail(
            _("Another member of this type has this NIK. Check the NIK against the KTP."),
            "nik",
            code="duplicate_nik",
        )
    _check_one_per_district(member)
    if "name" in fields and member.account_number:
        # A new name may no longer match the account holder: it must be confirmed again.
        _check_holder(member, actor=actor, confirm_holder=bool(member.holder_confirmed_at))
    changes = audit.changes_between(before, audit.snapshot(member, MEMBER_FIELDS))
    if member.nik != old_nik:
        changes["nik"] = ["…", "…"]  # recorded as changed, the numbers stay out of the log
    if changes:
        _save(member)
        audit.record(actor=actor, action=AuditAction.MEMBER_UPDATED, target=member, changes=changes)
    return member


@transaction.atomic
def member_set_account(
    *,
    actor: Any,
    member: Member,
    bank: Bank | None,
    account_number: str,
    account_holder: str,
    confirm_holder: bool = False,
) -> Member:
    """Set a member's bank account (e.g. a new account after a failed transfer)."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("pillar_type")
        .get(pk=member.pk)
    )
    if not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise _fail(_("You cannot change members of another unit."), code="forbidden")
    before = audit.snapshot(member, ACCOUNT_FIELDS)
    number, holder = check_account(bank, account_number, account_holder)
    member.bank = bank if number else None
    member.account_number = number
    member.account_holder = holder
    _check_duplicate_account(member.bank, number, member.pk)
    _check_holder(member, actor=actor, confirm_holder=confirm_holder)
    changes = audit.changes_between(before, audit.snapshot(member, ACCOUNT_FIELDS))
    if changes or member.holder_confirmed_at:
        _save(member)
        audit.record(
            actor=actor,
            action=AuditAction.MEMBER_ACCOUNT_CHANGED,
            target=member,
            changes=changes,
            extra={"holder_confirmed": bool(member.holder_confirmed_at)},
        )
    return member


@transaction.atomic
def member_set_status(
    *,
    actor: Any,
    member: Member,
    status: str,
    reason: str,
    ended_on: dt.date | None = None,
) -> Member:
    """Suspend, end or reactivate a member. Ending frees the kecamatan of a TKSK."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("pillar_type")
        .get(pk=member.pk)
    )
    if not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise _fail(_("You cannot change members of another unit."), code="forbidden")
    if status not in MemberStatus.values:
        raise _fail(_("Choose a status: active, suspended or ended."), "status")
    if status != MemberStatus.ACTIVE and not reason.strip():
        raise _fail(_("Write the reason for suspending or ending the service."), "reason")
    before = audit.snapshot(member, ["status", "status_reason", "active_until"])
    member.status = status
    member.status_reason = reason.strip()
    if status == MemberStatus.ENDED:
        member.active_until = ended_on or member.active_until or dt.date.today()
        if member.active_until < member.active_from:
            raise _fail(_("The end date lies before the start of service."), "ended_on")
    _check_one_per_district(member)
    changes = audit.changes_between(
        before, audit.snapshot(member, ["status", "status_reason", "active_until"])
    )
    if changes:
        _save(member)
        audit.record(
            actor=actor, action=AuditAction.MEMBER_STATUS_CHANGED, target=member, changes=changes
        )
    return member


@transaction.atomic
def training_add(
    *,
    actor: Any,
    member: Member,
    course: str,
    organiser: str,
    held_on: dt.date,
    certificate_number: str = "",
    certificate: Any = None,
) -> Training:
    """Record a course the member followed, with its certificate file when given."""
    if not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise _fail(_("You cannot change members of another unit."), code="forbidden")
    if held_on > dt.date.today():
        raise _fail(
            _("The training date lies in the future. Enter the date it was held."), "held_on"
        )
    training = Training(
        member=member,
        course=course.strip(),
        organiser=organiser.strip(),
        held_on=held_on,
        certificate_number=certificate_number.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    training.full_clean(exclude=["certificate", "created_by"])
    training.save()
    if certificate is not None:
        training.certificate.save(certificate.name, certificate, save=True)
    audit.record(
        actor=actor,
        action=AuditAction.TRAINING_ADDED,
        target=member,
        changes={"course": [None, training.course], "organiser": [None, training.organiser]},
        extra={"training": training.pk, "held_on": held_on.isoformat()},
    )
    return training

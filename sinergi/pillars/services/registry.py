"""Writes of the registry: members, their bank account and status, training records."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.organisation.models import Region
from sinergi.pillars.models import AuditAction, Bank, Member, MemberStatus, PillarType, Training
from sinergi.pillars.permissions import ADD_MEMBER, CHANGE_MEMBER, can_manage_unit
from sinergi.pillars.services.checks import (
    check_account,
    check_area,
    check_duplicate_account,
    check_employee,
    check_holder,
    check_nik,
    check_one_per_district,
    fail,
    one_per_district_error,
    recheck_holder_after_rename,
)

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


def _save(member: Member) -> None:
    member.full_clean(
        exclude=["nik", "holder_confirmed_by", "employee"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent save won the race for a unique value
        name = str(exc)
        # PostgreSQL names the constraint, SQLite the columns.
        if "pillars_one_tksk_per_district" in name or name.endswith(".district_id"):
            raise one_per_district_error(member) from exc
        if "pillars_member_account_uniq" in name or "account_number" in name:
            check_duplicate_account(member.bank, member.account_number, member.pk)
            raise fail(
                _("This account number was just registered for another member."),
                "account_number",
                code="duplicate_account",
            ) from exc
        if "pillars_member_employee_uniq" in name or name.endswith(".employee_id"):
            raise _employee_taken() from exc
        raise fail(
            _("This member is already registered for this pillar type (same NIK)."),
            "nik",
            code="duplicate_nik",
        ) from exc


def _employee_taken() -> Exception:
    return fail(
        _(
            "This employee is already registered as a member of this pillar type. Open that "
            "member instead."
        ),
        "employee_nip",
        code="duplicate_employee",
    )


def _check_employee_free(member: Member) -> None:
    if member.employee_id is None:
        return
    clash = Member.objects.filter(pillar_type=member.pillar_type, employee_id=member.employee_id)
    if member.pk is not None:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        raise _employee_taken()


def _locked_for_change(actor: Any, member: Member) -> Member:
    """The member's row, locked until the end of the transaction, if the actor may change it."""
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("pillar_type")
        .get(pk=member.pk)
    )
    if not can_manage_unit(actor, locked.unit, CHANGE_MEMBER):
        raise fail(_("You cannot change members of another unit."), code="forbidden")
    return locked


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
    employee_nip: str = "",
) -> Member:
    """Register a member. Refused: a bad NIK, a second TKSK in a kecamatan, a duplicate NIK of the
    type or account number, a holder name that differs and is not confirmed, an employee NIP that
    is not a UPT employee's (for members who come from the UPT staff)."""
    if not can_manage_unit(actor, unit, ADD_MEMBER):
        raise fail(
            _("You can only register members of your own unit. Choose your unit."),
            "unit",
            code="forbidden",
        )
    nik = check_nik(nik, born_on=born_on, sex=sex)
    check_area(pillar_type, regency, district)
    if active_until is not None and active_until < active_from:
        raise fail(_("The active period ends before it starts. Correct the dates."), "active_until")
    if Member.objects.filter(pillar_type=pillar_type, nik=nik).exists():
        raise fail(
            _(
                "A %(type)s with this NIK is already registered. Open that member instead of "
                "registering them again."
            )
            % {"type": pillar_type.name},
            "nik",
            code="duplicate_nik",
        )
    employee = check_employee(pillar_type, employee_nip, born_on=born_on, sex=sex)
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
    check_one_per_district(member)
    _check_employee_free(member)
    check_duplicate_account(member.bank, account_number, None)
    check_holder(member, actor=actor, confirm_holder=confirm_holder)
    _save(member)
    changes = {k: [None, v] for k, v in audit.snapshot(member, MEMBER_FIELDS).items()}
    changes.update({k: [None, v] for k, v in audit.snapshot(member, ACCOUNT_FIELDS).items()})
    audit.record(actor=actor, action=AuditAction.MEMBER_CREATED, target=member, changes=changes)
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    """Change a member's identity, duty area, decree, period or employee link (not the status or
    the account). A new name that no longer matches the account holder makes the account not
    ready until an officer confirms it again (`member.holder_needs_confirmation` is then True)."""
    member = _locked_for_change(actor, member)
    allowed = set(MEMBER_FIELDS) - {"status", "employee"} | {"nik", "employee_nip"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"member_update cannot change {sorted(unknown)}")
    before = audit.snapshot(member, MEMBER_FIELDS)
    old_nik, old_name = member.nik, member.name
    employee_nip = fields.pop("employee_nip", None)
    for key, value in fields.items():
        setattr(member, key, value)
    if "unit" in fields and not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise fail(_("You can only move a member to a unit of your own."), "unit", code="forbidden")
    member.name = " ".join(member.name.split())
    member.nik = check_nik(member.nik, born_on=member.born_on, sex=member.sex)
    check_area(member.pillar_type, member.regency, member.district)
    if member.active_until is not None and member.active_until < member.active_from:
        raise fail(_("The active period ends before it starts. Correct the dates."), "active_until")
    member.district_exclusive = member.pillar_type.one_per_district
    if (
        Member.objects.filter(pillar_type=member.pillar_type, nik=member.nik)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise fail(
            _("Another member of this type has this NIK. Check the NIK against the KTP."),
            "nik",
            code="duplicate_nik",
        )
    if employee_nip is not None:
        member.employee = check_employee(
            member.pillar_type, employee_nip, born_on=member.born_on, sex=member.sex
        )
    elif member.employee_id is not None and not member.pillar_type.from_staff:
        member.employee = None  # the type changed to one that does not come from the staff
    _check_employee_free(member)
    check_one_per_district(member)
    account_before = audit.snapshot(member, ACCOUNT_FIELDS)
    member.holder_needs_confirmation = member.name != old_name and recheck_holder_after_rename(
        member
    )
    changes = audit.changes_between(before, audit.snapshot(member, MEMBER_FIELDS))
    changes.update(audit.changes_between(account_before, audit.snapshot(member, ACCOUNT_FIELDS)))
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
    member = _locked_for_change(actor, member)
    before = audit.snapshot(member, ACCOUNT_FIELDS)
    number, holder = check_account(bank, account_number, account_holder)
    member.bank = bank if number else None
    member.account_number = number
    member.account_holder = holder
    check_duplicate_account(member.bank, number, member.pk)
    check_holder(member, actor=actor, confirm_holder=confirm_holder)
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
    member = _locked_for_change(actor, member)
    if status not in MemberStatus.values:
        raise fail(_("Choose a status: active, suspended or ended."), "status")
    if status != MemberStatus.ACTIVE and not reason.strip():
        raise fail(_("Write the reason for suspending or ending the service."), "reason")
    before = audit.snapshot(member, ["status", "status_reason", "active_until"])
    member.status = status
    member.status_reason = reason.strip()
    if status == MemberStatus.ENDED:
        member.active_until = ended_on or member.active_until or dt.date.today()
        if member.active_until < member.active_from:
            raise fail(_("The end date lies before the start of service."), "ended_on")
    check_one_per_district(member)
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
    """Record a course the member followed (e.g. at BPSDM), with its certificate file."""
    if not can_manage_unit(actor, member.unit, CHANGE_MEMBER):
        raise fail(_("You cannot change members of another unit."), code="forbidden")
    if held_on > dt.date.today():
        raise fail(
            _("The training date lies in the future. Enter the date it was held."), "held_on"
        )
    training = Training(
        member=member,
        course=" ".join(course.split()),
        organiser=" ".join(organiser.split()),
        held_on=held_on,
        certificate_number=certificate_number.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not training.course or not training.organiser:
        raise fail(_("Write the course and who organised it."), "course")
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

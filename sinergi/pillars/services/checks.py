"""The registry's rules, checked before a member is saved: NIK, duty area, one TKSK per kecamatan,
bank account (digits, length, not another member's, holder name) and the employee record of a
member who comes from the UPT staff. Each refusal says what to fix, in the office's language."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.errors import ApplicationError
from sinergi.core.identity import IdentityError, parse_nik, parse_nip
from sinergi.organisation.fields import district_exists
from sinergi.organisation.models import Region
from sinergi.pillars.models import Bank, Member, MemberStatus, PillarType, normalise_name


def fail(message: str, field: str | None = None, *, code: str = "invalid") -> ApplicationError:
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
        raise fail(_("Choose the regency or city of duty."), "regency")
    if district is not None and (
        district.level != Region.Level.DISTRICT or district.parent_id != regency.pk
    ):
        raise fail(
            _("The kecamatan %(district)s does not lie in %(regency)s. Choose a kecamatan of it.")
            % {"district": district.name, "regency": regency.name},
            "district",
        )
    if pillar_type.requires_district and district is None:
        raise fail(
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
        raise fail(
            _("Enter the bank, the account number and the holder's name together."),
            "account_number" if bank is not None and not number else "bank",
        )
    if not number.isdigit():
        raise fail(
            _("The account number may hold digits only. Remove dots, dashes and letters."),
            "account_number",
        )
    low, high = bank.account_length_min, bank.account_length_max
    if not low <= len(number) <= high:
        length = str(low) if low == high else f"{low}-{high}"
        raise fail(
            _(
                "An account number of %(bank)s has %(length)s digits; this one has %(count)d. "
                "Check it against the savings book."
            )
            % {"bank": bank.short_name, "length": length, "count": len(number)},
            "account_number",
        )
    return number, holder


def check_duplicate_account(bank: Bank | None, number: str, member_pk: int | None) -> None:
    if not number:
        return
    clash = Member.objects.filter(bank=bank, account_number=number)
    if member_pk is not None:
        clash = clash.exclude(pk=member_pk)
    if clash.exists():
        raise fail(
            _(
                "This %(bank)s account number is already registered for another member. Each "
                "member is paid into their own account: check the number."
            )
            % {"bank": bank.short_name if bank else ""},
            "account_number",
            code="duplicate_account",
        )


def check_one_per_district(member: Member) -> None:
    if not member.district_exclusive or member.status == MemberStatus.ENDED:
        return
    clash = (
        Member.objects.filter(district_id=member.district_id, district_exclusive=True)
        .exclude(status=MemberStatus.ENDED)
        .exclude(pk=member.pk)
    )
    if clash.exists():
        raise one_per_district_error(member)


def one_per_district_error(member: Member) -> ApplicationError:
    district = member.district.name if member.district else ""
    return fail(
        _(
            "Kecamatan %(district)s already has a %(type)s whose service has not ended. Only one "
            "per kecamatan is allowed: end the service of the current one first (status Ended)."
        )
        % {"district": district, "type": member.pillar_type.name},
        "district",
        code="district_taken",
    )


def check_holder(member: Member, *, actor: Any, confirm_holder: bool) -> None:
    """A holder name that differs from the member's must be confirmed by an officer; the account
    is ready for transfers only then."""
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
        raise fail(
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


def recheck_holder_after_rename(member: Member) -> bool:
    """After a change of the member's name: a holder name that no longer matches needs a new
    confirmation, so the account stops being ready. Returns True when that happened."""
    if not member.account_number:
        return False
    if normalise_name(member.account_holder) == normalise_name(member.name):
        member.holder_confirmed_by = None
        member.holder_confirmed_at = None
        member.account_ready = True
        return False
    member.holder_confirmed_by = None
    member.holder_confirmed_at = None
    member.account_ready = False
    return True


def employee_by_nip(nip: str) -> Any:
    """The employee record with this NIP, with its unit (None when there is none).

    Read through the member's own relation, on the staff app's documented contract with other
    apps (`nip`, `name`, `unit`, `active_from`, `active_until`), not through its scoped pages."""
    employee_model: Any = Member._meta.get_field("employee").related_model
    return employee_model._default_manager.select_related("unit__unit_type").filter(nip=nip).first()


def check_employee(pillar_type: PillarType, nip: str, *, born_on: dt.date, sex: str) -> Any:
    """The employee record a member who comes from the UPT staff links to (None without a NIP):
    an employee of a UPT, still in service, whose NIP agrees with the member's birth date and
    sex. Only those pillar types link to the staff records."""
    nip = "".join((nip or "").split())
    if not nip:
        return None
    if not pillar_type.from_staff:
        raise fail(
            _(
                "Only members who come from the UPT staff (such as the Jatim Social Care team) "
                "are linked to an employee record. Leave the NIP empty."
            ),
            "employee_nip",
        )
    employee = employee_by_nip(nip)
    if employee is None:
        raise fail(
            _(
                "No employee with NIP %(nip)s is in the staff records. Check the NIP, or leave it "
                "empty when the employee is not recorded yet."
            )
            % {"nip": nip},
            "employee_nip",
            code="unknown_employee",
        )
    if not employee.unit.unit_type.is_service_unit:
        raise fail(
            _(
                "%(name)s works at %(unit)s, not at a UPT: Jatim Social Care members come from "
                "the UPT staff."
            )
            % {"name": employee.name, "unit": employee.unit.name},
            "employee_nip",
            code="not_upt_staff",
        )
    if employee.active_until is not None and employee.active_until < timezone.localdate():
        raise fail(
            _("%(name)s left the service on %(date)s. Choose an employee still in service.")
            % {"name": employee.name, "date": employee.active_until.strftime("%d-%m-%Y")},
            "employee_nip",
            code="employee_left",
        )
    try:
        parse_nip(employee.nip, birth_date=born_on, sex=sex)
    except IdentityError:
        raise fail(
            _(
                "The NIP %(nip)s of %(name)s does not agree with this member's birth date and "
                "sex. Check that it is the same person."
            )
            % {"nip": nip, "name": employee.name},
            "employee_nip",
            code="employee_mismatch",
        ) from None
    return employee

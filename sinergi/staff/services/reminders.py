"""The daily reminder job: employees who have not reported last month, a few days before the due
day; their direct supervisor once it has passed. In-app notifications with an email copy, each with
a dedupe key, so running the job twice (or on two hosts) sends nothing twice."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.notifications import services as notifications
from sinergi.staff.models import Employee, MonthClosure
from sinergi.staff.models.periods import due_on, month_label, previous_month


def reminder_days() -> int:
    """SINERGI["SKP_REMINDER_DAYS"] (default 3): how many days before the due day to remind."""
    value: Any = settings.SINERGI.get("SKP_REMINDER_DAYS", 3)
    return int(value)


def send_reminders(*, today: dt.date | None = None) -> str:
    """Remind about last month's realisation; returns a one-line summary for the job log."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    due = due_on(year, month)
    if MonthClosure.objects.filter(year=year, month=month).exists():
        return f"{year}-{month:02d} is closed: no reminders"
    with translation.override(settings.LANGUAGE_CODE):
        label = month_label(year, month)
        url = reverse("staff:my_skp")
        if due - dt.timedelta(days=reminder_days()) <= today <= due:
            return _remind_employees(year, month, label, due, url)
        if today > due:
            return _remind_supervisors(year, month, label, due)
    return f"{year}-{month:02d}: nothing to send before {due - dt.timedelta(days=reminder_days())}"


def _remind_employees(year: int, month: int, label: str, due: dt.date, url: str) -> str:
    sent = 0
    for employee in (
        Employee.objects.not_submitted(year, month)
        .filter(user__is_active=True)
        .select_related("user")
    ):
        notifications.notify(
            recipient=employee.user,
            title=_("Report your SKP realisation for %(month)s") % {"month": label},
            body=_(
                "The monthly SKP realisation for %(month)s is due by %(date)s. Write the "
                "realisation of each RHK with its evidence and submit it in Sinergi."
            )
            % {"month": label, "date": due.strftime("%d-%m-%Y")},
            url=url,
            level="warning",
            email=True,
            dedupe_key=f"staff.skp_due.{year}-{month:02d}",
        )
        sent += 1
    return f"{year}-{month:02d}: reminded {sent} employee(s) before {due}"


def _remind_supervisors(year: int, month: int, label: str, due: dt.date) -> str:
    late: dict[int, list[str]] = defaultdict(list)
    for supervisor_id, name in (
        Employee.objects.not_submitted(year, month)
        .filter(supervisor__isnull=False)
        .values_list("supervisor_id", "name")
    ):
        late[supervisor_id].append(name)
    supervisors = Employee.objects.filter(pk__in=late, user__is_active=True).select_related("user")
    compliance = reverse("staff:compliance")
    sent = 0
    for supervisor in supervisors:
        names = sorted(late[supervisor.pk])
        notifications.notify(
            recipient=supervisor.user,
            title=_("%(count)d of your staff have not reported %(month)s")
            % {"count": len(names), "month": label},
            body=_(
                "The SKP realisation for %(month)s was due by %(date)s. Not yet submitted: "
                "%(names)s."
            )
            % {"month": label, "date": due.strftime("%d-%m-%Y"), "names": ", ".join(names)},
            url=f"{compliance}?tahun={year}&bulan={month}",
            level="warning",
            email=True,
            dedupe_key=f"staff.skp_overdue.{year}-{month:02d}",
        )
        sent += 1
    return f"{year}-{month:02d}: reminded {sent} supervisor(s) after {due}"

"""The audit actions of the staff app (AuditEvent.action values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    EMPLOYEE_CREATED = "staff.employee_created", _("Employee created")
    EMPLOYEE_UPDATED = "staff.employee_updated", _("Employee changed")
    EMPLOYEE_VIEWED = "staff.employee_viewed", _("Employee record opened")
    EMPLOYEES_IMPORTED = "staff.employees_imported", _("Employees imported")
    SKP_CREATED = "staff.skp_created", _("SKP drafted")
    SKP_UPDATED = "staff.skp_updated", _("SKP changed")
    SKP_SUBMITTED = "staff.skp_submitted", _("SKP submitted for approval")
    SKP_APPROVED = "staff.skp_approved", _("SKP approved")
    SKP_RETURNED = "staff.skp_returned", _("SKP returned for correction")
    SKP_REVISION_OPENED = "staff.skp_revision_opened", _("SKP revision opened")
    RHK_SAVED = "staff.rhk_saved", _("Planned work result saved")
    RHK_DELETED = "staff.rhk_deleted", _("Planned work result deleted")
    REALISATION_SAVED = "staff.realisation_saved", _("Monthly realisation saved")
    MONTH_SUBMITTED = "staff.month_submitted", _("Monthly realisation submitted")
    MONTH_CLOSED = "staff.month_closed", _("Month closed")
    MONTH_REOPENED = "staff.month_reopened", _("Month reopened")
    EVALUATION_SAVED = "staff.evaluation_saved", _("Periodic evaluation saved")
    LATE_LIST_EXPORTED = "staff.late_list_exported", _("Late list exported")
    EVIDENCE_DOWNLOADED = "staff.evidence_downloaded", _("Evidence file opened")

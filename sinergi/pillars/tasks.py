"""Background jobs of the pillars app: a daftar nominatif too big for the request."""

from typing import Any

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.translation import gettext as _

from sinergi.core.exports import render_pdf
from sinergi.pillars import selectors, services
from sinergi.pillars.models import NominativeDocument


@task()
def write_nominative(document_id: int) -> dict[str, Any]:
    """Render a queued daftar nominatif as its requester. Safe to run twice (done stays done)."""
    document = NominativeDocument.objects.select_related("batch__cycle", "requested_by").get(
        pk=document_id
    )
    if document.status != NominativeDocument.Status.QUEUED:
        return {"status": document.status}
    try:
        batch = selectors.batch_get(viewer=document.requested_by, pk=document.batch_id)
        context = {**selectors.nominative_context(batch), "title": _("Daftar nominatif")}
        content = render_pdf(template="pillars/nominative_pdf.html", context=context)
        services.record_nominative(actor=document.requested_by, batch=batch, rows=context["count"])
    except Exception as exc:  # the page shows the failure; the job itself must not crash the worker
        document.status = NominativeDocument.Status.FAILED
        document.message = str(exc)[:500]
        document.save(update_fields=["status", "message", "updated_at"])
        return {"status": document.status}
    document.file.save(f"{document.pk}.pdf", ContentFile(content), save=False)
    document.status = NominativeDocument.Status.DONE
    document.save(update_fields=["file", "status", "updated_at"])
    return {"status": document.status}

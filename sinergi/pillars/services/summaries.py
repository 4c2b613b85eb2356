"""The batch summary rows (count and amount per pillar type, regency and status) and the batch
totals derived from them: rebuilt set-based inside the transaction of every write that changes a
batch's entitlements, so no page sums the entitlements of a batch per request."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Sum

from sinergi.pillars.models import Batch, BatchSummary, Entitlement, EntitlementStatus

ZERO = Decimal("0")


def summaries_rebuild(batch_ids: Iterable[int]) -> None:
    """Replace the summary rows of these batches by one GROUP BY over their entitlements."""
    ids = sorted(set(batch_ids))
    if not ids:
        return
    BatchSummary.objects.filter(batch_id__in=ids).delete()
    groups = (
        Entitlement.objects.filter(batch_id__in=ids)
        .values_list("batch_id", "pillar_type_id", "regency_id", "status")
        .annotate(n=Count("*"), total=Sum("amount"))
        .order_by()
    )
    # At most types x regencies x statuses rows a batch (a few hundred), whatever its size.
    BatchSummary.objects.bulk_create(
        [
            BatchSummary(
                batch_id=batch_id,
                pillar_type_id=type_id,
                regency_id=regency,
                status=status,
                count=n,
                amount=total,
            )
            for batch_id, type_id, regency, status, n, total in groups
        ],
        batch_size=1000,
    )


def refresh_totals(batch: Batch) -> Batch:
    """Rebuild the batch's summary and set its count and total (excluded entitlements left out)."""
    summaries_rebuild([batch.pk])
    totals = (
        BatchSummary.objects.filter(batch=batch)
        .exclude(status=EntitlementStatus.EXCLUDED)
        .aggregate(count=Sum("count"), total=Sum("amount"))
    )
    batch.entitlement_count = totals["count"] or 0
    batch.total_amount = totals["total"] or ZERO
    batch.save(update_fields=["entitlement_count", "total_amount", "updated_at"])
    return batch

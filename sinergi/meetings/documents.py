"""The data of the compiled Rakortek document: every report of a meeting and the summary table
(shared by the services that write the PDF and the pages that offer the xlsx summary)."""

from decimal import Decimal
from typing import Any

from sinergi.meetings.models import Meeting, Report

__all__ = ["compile_rows", "summary_rows"]


def compile_rows(meeting: Meeting) -> list[Report]:
    """Every report of the meeting (the compiled document is office-wide), by unit (1 query)."""
    return list(
        Report.objects.filter(meeting=meeting)
        .select_related("unit", "meeting")
        .order_by("unit__path", "id")
    )


def summary_rows(reports: list[Report]) -> list[dict[str, Any]]:
    rows = []
    for n, report in enumerate(reports, start=1):
        absorption = report.absorption or {}
        rows.append(
            {
                "number": n,
                "code": report.unit.code,
                "unit": report.unit.name,
                "status": report.get_status_display(),
                "late": report.is_late,
                "submitted_at": report.submitted_at,
                "indicators": len(report.achievements),
                "achievement": (
                    Decimal(str(report.average_achievement))
                    if report.average_achievement is not None
                    else None
                ),
                "pagu": Decimal(absorption["pagu"]) if absorption.get("pagu") else None,
                "realised": Decimal(absorption["realised"]) if absorption.get("realised") else None,
                "absorption": (
                    Decimal(absorption["absorption"]) if absorption.get("absorption") else None
                ),
                "follow_up_needed": report.follow_up_needed,
            }
        )
    return rows

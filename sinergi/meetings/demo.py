"""Demo data of the coordination meetings: "Rapat Koordinasi Teknis Program Kesejahteraan Sosial
dan Evaluasi Akuntabilitas Kinerja" (seed 000, Bhirawa) for 2026 quarter III, where every unit
presents its achievements, progress and problems. Most units have submitted (UPT RSBD Pasuruan
among them), one submitted late, a few are still drafting; two follow-up actions were agreed.
Narratives are illustrative; the figures are read from the performance and budget demo data.

Idempotent: nothing is loaded when the meeting already exists.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sinergi.meetings import selectors, services
from sinergi.meetings.models import Meeting, Report

TITLE = "Rakortek Program Kesejahteraan Sosial dan Evaluasi Akuntabilitas Kinerja Triwulan III 2026"
DEADLINE = dt.date(2026, 10, 7)
LATE_UNIT = "upt-psbr-blitar"
DRAFT_UNITS = {"upt-rsbl-kediri", "upt-rsblk-tuban", "bidang-pfm"}
NOT_STARTED = {"upt-pmks-sidoarjo"}


@transaction.atomic
def load(stdout: Any) -> None:
    if Meeting.objects.filter(title=TITLE).exists():
        return
    meeting = services.meeting_create(
        actor=None,
        title=TITLE,
        year=2026,
        quarter=3,
        month=None,
        held_on=dt.date(2026, 10, 14),
        place="Aula Gedung A Dinas Sosial Provinsi Jawa Timur, Surabaya",
        deadline_on=DEADLINE,
    )
    # the figures as the planning officer sees them (office-wide); none without the demo user
    viewer = get_user_model().objects.filter(username="perencanaan").first()
    on_time = timezone.make_aware(dt.datetime(2026, 10, 6, 10, 0))
    late = timezone.make_aware(dt.datetime(2026, 10, 10, 9, 30))
    submitted = 0
    for report in Report.objects.filter(meeting=meeting).select_related("unit", "meeting"):
        code = report.unit.code
        if code in NOT_STARTED:
            continue
        achievements, absorption = (
            selectors.prefill(viewer=viewer, meeting=meeting, unit=report.unit)
            if viewer is not None
            else ([], {})
        )
        services.report_save(
            actor=None,
            report=report,
            progress=f"Kegiatan {report.unit.short_name or report.unit.name} triwulan III berjalan "
            "sesuai rencana aksi; layanan kepada penerima manfaat terlaksana.",
            problems="Serapan anggaran belanja modal tertinggal dari anggaran kas karena proses "
            "pengadaan.",
            follow_up_needed="Percepatan pengadaan belanja modal sebelum akhir Oktober."
            if code in {"upt-rsbd-pasuruan", "sekretariat"}
            else "",
            achievements=achievements,
            absorption=absorption,
            submit=code not in DRAFT_UNITS,
        )
        if code not in DRAFT_UNITS:
            # the demo's submission times: all before the deadline except the late unit
            Report.objects.filter(pk=report.pk).update(
                submitted_at=late if code == LATE_UNIT else on_time
            )
            submitted += 1
    for code, text in [
        ("upt-rsbd-pasuruan", "Percepat pengadaan belanja modal (alat bantu disabilitas)."),
        ("sekretariat", "Susun rencana percepatan serapan anggaran triwulan IV."),
    ]:
        report = Report.objects.select_related("unit").get(meeting=meeting, unit__code=code)
        services.follow_up_create(
            actor=None,
            meeting=meeting,
            owner_unit=report.unit,
            description=text,
            due_on=dt.date(2026, 10, 31),
            report=report,
        )
    stdout.write(f"  Rakortek 2026 Q3: {submitted} reports submitted (1 late)")

"""P8: the compiled Rakortek PDF of 40 units takes <= 2x the WeasyPrint reference for a comparable
document (ratio reference/measured >= 0.5).

- measured: what the planning officer's "compile" runs: `meetings.documents.compile_rows` (the
  reports of the meeting from PostgreSQL), `summary_rows`, and `meetings.services.compiled_pdf`
  (the Django template with cover, table of contents with page numbers, the summary table of all
  units, then each unit's report with its indicator table and absorption by program) to PDF bytes;
- reference: WeasyPrint alone on a hand-built HTML string of the same content (cover, contents,
  a 40-row summary table, 40 sections each with a 10-row indicator table, a 3-row program table
  and three paragraphs), no template engine, no database.

The 40 units, the meeting and the submitted reports are created in a transaction that is rolled
back at the end, so the bench database is left as it was.
"""

import datetime as dt
import html
import statistics
import time
from decimal import Decimal
from typing import Any

from bench.p1_csv_import import Result

BUDGET = 0.5  # measured may take up to 2x the reference
UNITS = 40
INDICATORS = 10
PROGRAMS = 3


def _achievements(n: int) -> list[dict[str, Any]]:
    return [
        {
            "code": f"IK-{n:02d}.{i:02d}",
            "name": f"Persentase penerima manfaat yang mencapai kemandirian, indikator {i}",
            "unit_of_measure": "%",
            "target": "80.00",
            "realisation": str(60 + (n + i) % 35),
            "achievement": str(Decimal(60 + (n + i) % 35) * 100 / 80)[:6],
            "band": "Baik",
            "automatic": i % 3 == 0,
            "verified": True,
        }
        for i in range(1, INDICATORS + 1)
    ]


def _absorption(n: int) -> dict[str, Any]:
    return {
        "month": 9,
        "pagu": "1500000000.00",
        "plan": "1000000000.00",
        "realised": str(600_000_000 + n * 5_000_000) + ".00",
        "absorption": "46.66",
        "plan_percent": "66.67",
        "programs": [
            {
                "code": f"1.06.0{p}",
                "name": f"Program {p}",
                "pagu": "500000000.00",
                "realised": "233300000.00",
                "absorption": "46.66",
            }
            for p in range(1, PROGRAMS + 1)
        ],
    }


NARRATIVE = (
    "Kegiatan triwulan berjalan sesuai rencana aksi; layanan kepada penerima manfaat terlaksana "
    "dengan baik, namun pengadaan belanja modal tertinggal dari anggaran kas. "
) * 3


def make_meeting() -> Any:
    """A meeting with 40 UPT reports, submitted with their figures (inside the caller's atomic)."""
    from sinergi.meetings import services
    from sinergi.meetings.models import Report
    from sinergi.organisation import services as organisation
    from sinergi.organisation.testing import make_unit_tree

    tree = make_unit_tree()
    upt_type = tree.upt_a.unit_type
    units = [
        organisation.unit_create(
            actor=None,
            code=f"bench-p8-upt-{n:02d}",
            name=f"UPT Uji Bench {n:02d}",
            unit_type=upt_type,
            parent=tree.rehab_division,
        )
        for n in range(1, UNITS + 1)
    ]
    meeting = services.meeting_create(
        actor=None,
        title="Rakortek Triwulan III (bench P8)",
        year=2026,
        quarter=3,
        month=None,
        held_on=dt.date(2026, 10, 14),
        place="Aula Gedung A",
        deadline_on=dt.date(2026, 10, 7),
        units=units,
    )
    now = dt.datetime(2026, 10, 6, 10, tzinfo=dt.UTC)
    reports = list(Report.objects.filter(meeting=meeting).order_by("id"))
    for n, report in enumerate(reports, start=1):
        report.status = Report.Status.SUBMITTED
        report.submitted_at = now
        report.progress = report.problems = report.follow_up_needed = NARRATIVE
        report.achievements = _achievements(n)
        report.absorption = _absorption(n)
    Report.objects.bulk_update(
        reports,
        ["status", "submitted_at", "progress", "problems", "follow_up_needed", "achievements",
         "absorption"],
    )  # fmt: skip
    return meeting


def measured_pdf(meeting: Any) -> tuple[float, bytes]:
    from sinergi.meetings.documents import compile_rows, summary_rows
    from sinergi.meetings.services import compiled_pdf

    started = time.perf_counter()
    reports = compile_rows(meeting)
    content = compiled_pdf(meeting, reports, summary_rows(reports))
    return time.perf_counter() - started, content


def reference_html() -> str:
    """The same content as one HTML string built by hand."""
    e = html.escape
    style = (
        "@page { size: A4 landscape; margin: 22mm 15mm 18mm 15mm; }"
        "html { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; }"
        "table { width: 100%; border-collapse: collapse; } thead { display: table-header-group; }"
        "th, td { border: 0.5pt solid #adb5bd; padding: 1.2mm 1.6mm; } th { background: #e9ecef; }"
        ".cover, .toc { page-break-after: always; } .unit { page-break-before: always; }"
    )
    parts = [f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>"]
    parts.append(
        "<section class='cover'><h1>Rakortek Triwulan III</h1><p>Aula Gedung A</p></section>"
    )
    parts.append("<section class='toc'><h2>Daftar isi</h2><ul>")
    parts.extend(f"<li>UPT Uji Bench {n:02d}</li>" for n in range(1, UNITS + 1))
    parts.append("</ul></section><h2>Ringkasan</h2><table><thead><tr>")
    parts.extend(f"<th>{h}</th>" for h in ["#", "Unit", "Status", "Indikator", "Capaian", "Pagu",
                                          "Realisasi", "Serapan"])  # fmt: skip
    parts.append("</tr></thead><tbody>")
    for n in range(1, UNITS + 1):
        parts.append(
            f"<tr><td>{n}</td><td>UPT Uji Bench {n:02d}</td><td>Terkirim</td><td>{INDICATORS}</td>"
            "<td>95,00%</td><td>Rp 1.500.000.000</td><td>Rp 700.000.000</td><td>46,66%</td></tr>"
        )
    parts.append("</tbody></table>")
    for n in range(1, UNITS + 1):
        parts.append(f"<section class='unit'><h2>UPT Uji Bench {n:02d}</h2><table><thead><tr>")
        parts.extend(f"<th>{h}</th>" for h in ["Kode", "Indikator", "Target", "Realisasi",
                                              "Capaian", "Kategori"])  # fmt: skip
        parts.append("</tr></thead><tbody>")
        for a in _achievements(n):
            parts.append(
                f"<tr><td>{e(a['code'])}</td><td>{e(a['name'])}</td><td>{a['target']} %</td>"
                f"<td>{a['realisation']}</td><td>{a['achievement']}%</td><td>{a['band']}</td></tr>"
            )
        parts.append("</tbody></table><table><thead><tr><th>Program</th><th>Pagu</th>"
                     "<th>Realisasi</th><th>Serapan</th></tr></thead><tbody>")  # fmt: skip
        for p in _absorption(n)["programs"]:
            parts.append(
                f"<tr><td>{p['code']} {p['name']}</td><td>Rp 500.000.000</td>"
                "<td>Rp 233.300.000</td><td>46,66%</td></tr>"
            )
        parts.append("</tbody></table>")
        for heading in ("Progres kegiatan", "Permasalahan", "Tindak lanjut"):
            parts.append(f"<h3>{heading}</h3><p>{e(NARRATIVE)}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def reference_pdf() -> tuple[float, bytes]:
    from django.conf import settings
    from weasyprint import HTML

    started = time.perf_counter()
    document = reference_html()
    content = HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf()
    return time.perf_counter() - started, bytes(content)


def run(*, runs: int = 3, log: Any = print) -> Result:
    from django.db import transaction

    result = Result(
        code="P8",
        title=f"compiled Rakortek PDF ({UNITS} units)",
        budget=BUDGET,
        reference_label="WeasyPrint on hand-built HTML",
        measured_label="meetings compile (DB + template + WeasyPrint)",
        rows=UNITS,
    )
    pages = []
    with transaction.atomic():
        meeting = make_meeting()
        reference_pdf()  # warm up fonts and Pango once for both sides
        for number in range(1, runs + 1):
            seconds, reference = reference_pdf()
            result.reference_seconds.append(seconds)
            log(f"  P8 run {number}/{runs}: reference {seconds:.2f} s")
            seconds, measured = measured_pdf(meeting)
            result.measured_seconds.append(seconds)
            log(f"  P8 run {number}/{runs}: compiled {seconds:.2f} s")
            if not measured.startswith(b"%PDF") or b"%PDF" not in reference[:8]:
                raise RuntimeError("one side did not produce a PDF")
            pages.append(measured.count(b"/Type /Page\n") or measured.count(b"/Type/Page"))
        transaction.set_rollback(True)
    result.note = (
        f"median {statistics.median(result.measured_seconds):.2f} s for {UNITS} units "
        f"vs {statistics.median(result.reference_seconds):.2f} s"
    )
    return result


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    outcome = run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(f"P8 ratio {outcome.ratio:.3f} (budget {BUDGET}: measured <= 2x the reference)")

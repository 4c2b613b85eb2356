"""Demo data of the residential side: rooms and beds for each demo UPT, residents in about 85-95% of
the beds, two on home leave or in hospital, one waiting for a bed, one pending transfer between RSBD
Pasuruan and PSTW Magetan; consent records and a few scanned documents of the residents.
Idempotent: a UPT with rooms is left alone, a client with a consent record too.

The beds of a UPT follow its official capacity (organisation master data, `Unit.capacity`, with its
source in units_jatim.csv); residents are added set-based until 85-95% of the beds are taken (NIKs
from the UPT's regency, as demo.py makes them). A UPT whose capacity is not known yet gets beds for
the residents the rehabilitation demo admitted at about 90%: no capacity is invented.
"""

import datetime as dt
import math
import random
import struct
import zlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sinergi.core.identity import make_kk, make_nik
from sinergi.organisation.models import Region, Unit
from sinergi.rehabilitation.models import (
    Bed,
    Case,
    CaseEvent,
    Client,
    ConsentGiver,
    ConsentRecord,
    ConsentScope,
    DocumentType,
    MovementType,
    PpksCategory,
    ReferralSource,
    Residence,
    ResidenceEvent,
    Room,
    Stage,
    Transfer,
)
from sinergi.rehabilitation.services import residential as services
from sinergi.rehabilitation.services import transfers as transfer_services
from sinergi.rehabilitation.services.consent import age_on
from sinergi.rehabilitation.services.documents import document_types_load, document_upload

BEDS_PER_ROOM = 4
WITHOUT_CAPACITY_OCCUPANCY = 0.9
WISMA = ["Wisma Melati", "Wisma Mawar", "Wisma Anggrek", "Wisma Kenanga"]
NAMES = {
    "L": ["Slamet", "Suparno", "Bambang", "Ahmad", "Sugeng", "Mulyono", "Joko", "Agus", "Hadi"],
    "P": ["Siti", "Sumarni", "Sri", "Tumini", "Kasiyem", "Suminah", "Nur", "Dewi", "Painem"],
}
FAMILY = ["Santoso", "Wahyudi", "Lestari", "Rahayu", "Handayani", "Susanto", "Purnomo", "Utami"]
DOCUMENTS_IN = {"upt-rsbd-pasuruan", "upt-pstw-magetan", "upt-rsbn-malang"}


def _png() -> bytes:
    """A tiny grey PNG standing for a scanned card (demo data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xc8" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str) -> bytes:
    """A one-page PDF with a line of text (demo data)."""
    text = f"BT /F1 12 Tf 72 770 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _rooms(unit: Unit, beds: int) -> list[Bed]:
    """Rooms of BEDS_PER_ROOM beds (the last one smaller) holding `beds` beds, set-based."""
    rooms = Room.objects.bulk_create(
        Room(
            unit=unit,
            wisma=WISMA[number // 3 % len(WISMA)],
            name=f"Kamar {number + 1}",
        )
        for number in range(math.ceil(beds / BEDS_PER_ROOM))
    )
    Bed.objects.bulk_create(
        Bed(room=room, unit=unit, label=str(label))
        for number, room in enumerate(rooms)
        for label in range(1, min(BEDS_PER_ROOM, beds - number * BEDS_PER_ROOM) + 1)
    )
    return list(Bed.objects.filter(unit=unit).order_by("room_id", "id"))


def _more_residents(unit: Unit, count: int, ordinal: int, rng: random.Random) -> list[Case]:
    """`count` more demo clients with open cases in stages 1-5 of `unit`, set-based."""
    if count <= 0 or unit.regency_id is None:
        return []
    from sinergi.rehabilitation.demo import PROFILE  # the UPT type's client group

    villages = list(
        Region.objects.filter(
            level=Region.Level.VILLAGE, code__startswith=f"{unit.regency_id}."
        ).values_list("code", flat=True)[:40]
    )
    if not villages:
        return []
    ppks, _disability, youngest, oldest = PROFILE.get(
        unit.upt_type.code if unit.upt_type else "", ("PD", "", 18, 60)
    )
    category = PpksCategory.objects.get(code=ppks)
    referral = ReferralSource.objects.order_by("number").first()
    stages = list(Stage.objects.filter(number__lte=5).order_by("number"))
    worker = (
        get_user_model().objects.filter(username=f"peksos.{unit.code.removeprefix('upt-')}").first()
    )
    today, now = timezone.localdate(), timezone.now()
    clients, cases = [], []
    for i in range(count):
        sex = "P" if i % 2 else "L"
        birth_on = dt.date(
            today.year - rng.randint(youngest, oldest), rng.randint(1, 12), rng.randint(1, 28)
        )
        village = villages[i % len(villages)]
        serial = 2000 + (ordinal * 250 + i) % 7900
        client = Client(
            nik=make_nik(village[:8], birth_on, sex, serial),
            kk_number=make_kk(village[:8], dt.date(2016, 1 + i % 12, 1 + i % 27), serial),
            name=f"{rng.choice(NAMES[sex])} {rng.choice(FAMILY)}",
            sex=sex,
            birth_on=birth_on,
            address=f"Dusun Krajan RT 0{1 + i % 5} RW 0{1 + i % 3}",
            village_id=village,
            regency_id=unit.regency_id,
            ppks_category=category,
            referral_source=referral,
            guardian_name=f"{rng.choice(NAMES['L'])} {rng.choice(FAMILY)}",
            guardian_relationship="Keluarga",
        )
        clients.append(client)
        cases.append(
            Case(
                client=client,
                unit=unit,
                social_worker=worker,
                stage=stages[i % len(stages)],
                admitted_on=today - dt.timedelta(days=20 + rng.randint(0, 400)),
                stage_entered_at=now,
            )
        )
    Client.objects.bulk_create(clients)
    Case.objects.bulk_create(cases)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.OPENED,
            to_stage=case.stage,
            notes="Data demo.",
            at=now,
        )
        for case in cases
    )
    return cases


def _place(cases: list[Case], beds: list[Bed], away: list[MovementType | None]) -> int:
    """Residences of `cases` in `beds` (set-based) with their events; `away[i]` sends the i-th
    resident away (home leave, hospital) two days ago."""
    today, now = timezone.localdate(), timezone.now()
    residences = Residence.objects.bulk_create(
        Residence(
            case=case,
            unit_id=case.unit_id,
            bed=bed,
            started_on=case.admitted_on,
            is_away=index < len(away) and away[index] is not None,
            away_type=away[index] if index < len(away) else None,
        )
        for index, (case, bed) in enumerate(zip(cases, beds, strict=False))
    )
    events = []
    for residence in residences:
        events.append(
            ResidenceEvent(
                residence=residence,
                kind=ResidenceEvent.Kind.ADMITTED,
                occurred_on=residence.started_on,
                to_bed=residence.bed,
                note="Data demo.",
                at=now,
            )
        )
        if residence.is_away:
            events.append(
                ResidenceEvent(
                    residence=residence,
                    kind=ResidenceEvent.Kind.MOVEMENT,
                    movement_type=residence.away_type,
                    occurred_on=max(today - dt.timedelta(days=2), residence.started_on),
                    note="Data demo.",
                    at=now,
                )
            )
    ResidenceEvent.objects.bulk_create(events)
    return len(residences)


@transaction.atomic
def load(stdout: Any) -> None:
    services.movement_types_load(actor=None)
    leave = MovementType.objects.filter(code="cuti-pulang").first()
    hospital = MovementType.objects.filter(code="rawat-inap").first()
    placed = 0
    units = (
        Unit.objects.filter(unit_type__is_service_unit=True, is_active=True)
        .select_related("upt_type")
        .order_by("code")
    )
    for ordinal, unit in enumerate(units):
        if Room.objects.filter(unit=unit).exists():
            continue
        cases = list(
            Case.objects.filter(
                unit=unit, status=Case.Status.OPEN, termination_on__isnull=True
            ).order_by("admitted_on", "id")
        )
        if not cases:
            continue
        rng = random.Random(f"hunian-{unit.code}")
        # one resident waits for a bed; the others (and the added ones) fill the beds
        waiting, residents = cases[-1:], cases[:-1]
        if unit.capacity:
            bed_count = unit.capacity
            wanted = min(round(bed_count * rng.uniform(0.85, 0.95)), bed_count - 1)
            residents = residents[:wanted]
            residents += _more_residents(unit, wanted - len(residents), ordinal, rng)
        else:
            bed_count = max(
                math.ceil(len(residents) / WITHOUT_CAPACITY_OCCUPANCY), len(residents) + 1
            )
        beds = _rooms(unit, bed_count)
        placed += _place(residents, beds, [None, leave, None, hospital])
        for case in waiting:
            services.waiting_add(
                actor=None, case=case, requested_on=case.admitted_on, priority=2, note="Data demo."
            )
    _pending_transfer()
    consents, documents = _consents_and_documents()
    stdout.write(
        f"  rehabilitation (residential): {placed} residents placed in beds, {consents} consent "
        f"records, {documents} documents"
    )


def _consents_and_documents() -> tuple[int, int]:
    """Consent to care for every resident (a guardian for children), to data sharing for most,
    to publication for a few, one publication consent withdrawn; a scanned KTP and a referral
    letter for the first residents of three UPT."""
    today = timezone.localdate()
    residents = list(
        Residence.objects.filter(ended_on__isnull=True)
        .exclude(case__client__consents__isnull=False)
        .select_related("case__client", "unit")
        .order_by("unit__code", "started_on", "id")
    )
    records = []
    for index, residence in enumerate(residents):
        client = residence.case.client
        on = residence.started_on
        child = age_on(client.birth_on, on) < 18
        guardian = {
            "given_by": ConsentGiver.GUARDIAN if child else ConsentGiver.CLIENT,
            "guardian_name": (client.guardian_name or "Wali (data demo)") if child else "",
            "guardian_relationship": (client.guardian_relationship or "Wali") if child else "",
        }
        scopes = [ConsentScope.CARE]
        if index % 5:
            scopes.append(ConsentScope.DATA_SHARING)
        if index % 9 == 4:
            scopes.append(ConsentScope.PUBLICATION)
        for scope in scopes:
            records.append(
                ConsentRecord(
                    client=client,
                    scope=scope,
                    consented_on=on,
                    notes="Data demo.",
                    **guardian,
                )
            )
    withdrawn = next((r for r in records if r.scope == ConsentScope.PUBLICATION), None)
    if withdrawn is not None:
        withdrawn.withdrawn_on = max(withdrawn.consented_on, today - dt.timedelta(days=3))
        withdrawn.withdrawal_reason = "Keluarga tidak berkenan foto dipublikasikan (data demo)."
    ConsentRecord.objects.bulk_create(records)
    return len(records), _documents(residents)


def _documents(residents: list[Residence]) -> int:
    if not residents:
        return 0
    if not DocumentType.objects.exists():
        document_types_load(actor=None)
    types = {t.code: t for t in DocumentType.objects.filter(code__in=["ktp", "surat-rujukan"])}
    if len(types) < 2:
        return 0
    stored = 0
    for code in sorted(DOCUMENTS_IN):
        for residence in [r for r in residents if r.unit.code == code][:3]:
            client = residence.case.client
            if client.nik:
                document_upload(
                    actor=None,
                    client=client,
                    document_type=types["ktp"],
                    upload=SimpleUploadedFile("ktp.png", _png()),
                    description="Pindaian KTP (data demo)",
                )
                stored += 1
            document_upload(
                actor=None,
                client=client,
                case=residence.case,
                document_type=types["surat-rujukan"],
                upload=SimpleUploadedFile("rujukan.pdf", _pdf("Surat rujukan (data demo)")),
                description="Surat pengantar dari dinas sosial kabupaten (data demo)",
            )
            stored += 1
    return stored


def _pending_transfer() -> None:
    source = Unit.objects.filter(code="upt-rsbd-pasuruan").first()
    target = Unit.objects.filter(code="upt-pstw-magetan").first()
    if source is None or target is None or Transfer.objects.filter(from_unit=source).exists():
        return
    case = (
        Case.objects.filter(unit=source, status=Case.Status.OPEN, termination_on__isnull=True)
        .order_by("-admitted_on", "id")
        .first()
    )
    if case is None:
        return
    requester = get_user_model().objects.filter(username="peksos.rsbd.pasuruan").first()
    transfer_services.transfer_request(
        actor=None,
        case=case,
        to_unit=target,
        reason="Data demo: PM sudah lanjut usia, layanan lebih sesuai di PSTW.",
        requested_on=max(case.admitted_on, timezone.localdate() - dt.timedelta(days=1)),
    )
    if requester is not None:
        Transfer.objects.filter(case=case).update(requested_by=requester)

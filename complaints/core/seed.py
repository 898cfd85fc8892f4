"""Idempotent loading of reference data (catalogues) and of the demo office."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from complaints.accounts import service as accounts
from complaints.accounts.models import Division, Position, User
from complaints.core import clock
from complaints.core.catalogue_data import COMPLAINT_TYPES, DIVISIONS, SERVICES
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintType,
    Confidentiality,
    LetterVia,
    Service,
    Status,
    Weight,
)
from complaints.tickets.service import apply_changes

DEMO_PASSWORD = "pengaduan-demo"  # noqa: S105 - printed on purpose for the demo
DEMO_USERS: list[tuple[str, str, list[tuple[Position, str | None]]]] = [
    ("admin", "Admin Sistem", [(Position.ADMIN, None)]),
    ("loket", "Rina Loket", [(Position.LOKET, None)]),
    ("registrar", "Dedi Sekretariat", [(Position.REGISTRAR, None)]),
    ("petugas", "Sari Penanganan", [(Position.HANDLER, "perizinan")]),
    ("kabid", "Budi Kepala Bidang", [(Position.KABID, "perizinan")]),
    ("sekretaris", "Hendra Sekretaris", [(Position.SEKRETARIS, None)]),
    ("kadis", "Ir. Kepala Dinas", [(Position.KADIS, None)]),
]


@transactional
def seed_reference() -> None:
    """Create the divisions, services and complaint types that are missing."""
    divisions = {d.code: d for d in db.session.scalars(select(Division))}
    for code, name in DIVISIONS:
        if code not in divisions:
            divisions[code] = Division(code=code, name=name, active=True)
            db.session.add(divisions[code])
    db.session.flush()
    known_services = set(db.session.scalars(select(Service.code)))
    for sort, data in enumerate(SERVICES):
        if data["code"] not in known_services:
            division = None if data["code"] == "lainnya" else divisions["perizinan"]
            db.session.add(Service(sort=sort, active=True, division=division, **data))
    known_types = set(db.session.scalars(select(ComplaintType.code)))
    for sort, (code, name_id, name_en) in enumerate(COMPLAINT_TYPES):
        if code not in known_types:
            db.session.add(ComplaintType(code=code, name_id=name_id, name_en=name_en,
                                         sort=sort, active=True))
    from complaints.workflow.admin import seed_defaults

    seed_defaults()  # keyword rules and canned replies (joins this transaction)


def seed_demo_users() -> list[tuple[str, str]]:
    """Create the demo staff that are missing; return (username, position) pairs."""
    created = []
    for username, full_name, positions in DEMO_USERS:
        if accounts.user_by_username(username) is None:
            accounts.create_user(username, full_name, DEMO_PASSWORD, positions=positions,
                                 email=f"{username}@demo.invalid")
        created.append((username, ", ".join(p.value for p, _ in positions)))
    return created


def seed_demo() -> list[tuple[str, str]]:
    """Load the demo office: reference data, users, complaints in several states."""
    seed_reference()
    users = seed_demo_users()
    if db.session.scalar(select(Complaint.id).limit(1)) is None:
        _demo_complaints()
    from complaints.workflow.seed import seed_workflow_demo

    seed_workflow_demo()
    from complaints.reports.seed import seed_reports_demo

    seed_reports_demo()
    from complaints.notifications.jobs import send_outbox

    # Deliver the receipts and notices now (to the outbox log without SMTP/Twilio), so the
    # demo's outbox page shows them before the scheduler runs; SMS in quiet hours wait.
    send_outbox()
    return users


def _ids() -> dict:
    def one(model, code):
        return db.session.scalar(select(model.id).where(model.code == code))

    return {
        "perizinan": one(Division, "perizinan"),
        "sikot": one(Service, "sikot"),
        "siktg": one(Service, "siktg"),
        "sikro": one(Service, "sikro"),
        "waktu": one(ComplaintType, "waktu"),
        "biaya": one(ComplaintType, "biaya"),
        "informasi": one(ComplaintType, "informasi"),
        "sistem": one(ComplaintType, "sistem"),
        "loket": accounts.user_by_username("loket"),
        "registrar": accounts.user_by_username("registrar"),
        "petugas": accounts.user_by_username("petugas"),
    }


def _demo_complaints() -> None:
    ids = _ids()
    now = clock.now()
    loket: User = ids["loket"]
    samples = [
        (IntakeRecord(channel=Channel.SURAT, letter_number="005/SM/2026/114",
                      letter_via=LetterVia.KOTAK_SARAN, complainant_name="Ahmad Fauzi",
                      complainant_address="Jl. Tuanku Tambusai No. 12, Pekanbaru",
                      complainant_phone="081234567890", service_id=ids["sikot"],
                      body="Permohonan SIKOT saya sudah lebih dari dua minggu belum selesai, "
                      "padahal standar pelayanan menyebut 2 hari kerja.",
                      received_at=now - timedelta(days=9)), None),
        (IntakeRecord(channel=Channel.TELEPON, contact_number="0761 555 123",
                      contact_at=now - timedelta(days=6), complainant_name="Siti Aminah",
                      complainant_phone="0761555123", service_id=ids["siktg"],
                      body="Akun SIMPLE saya tidak bisa masuk sejak kemarin, mohon bantuan.",
                      received_at=now - timedelta(days=6)),
         (Status.REGISTERED, None)),
        (IntakeRecord(channel=Channel.LANGSUNG, officer_on_duty_id=loket.id,
                      complainant_name="Rahmat Hidayat", complainant_nik="1471010101800001",
                      confidentiality=Confidentiality.RAHASIA, service_id=ids["sikro"],
                      body="Ada oknum yang meminta uang pelicin agar izin cepat keluar.",
                      received_at=now - timedelta(days=4)),
         (Status.TRIAGED, Weight.BERAT)),
        (IntakeRecord(channel=Channel.FAX, contact_number="(0761) 40001",
                      complainant_name="CV Maju Bersama", service_id=ids["sikot"],
                      body="Mohon informasi persyaratan perpanjangan SIKOT untuk karyawan kami.",
                      received_at=now - timedelta(days=3)),
         (Status.IN_HANDLING, Weight.RINGAN)),
        (IntakeRecord(channel=Channel.LAPOR, lapor_tracking_id="LAPOR-8812345",
                      confidentiality=Confidentiality.ANONIM,
                      body="Loket pelayanan sering tutup sebelum jam 16.00.",
                      received_at=now - timedelta(days=20)),
         (Status.ANSWERED, Weight.SEDANG)),
        (IntakeRecord(channel=Channel.SURAT, letter_number="005/SM/2026/090",
                      letter_via=LetterVia.POS, complainant_name="Yayasan Sehat Riau",
                      complainant_address="Jl. Sudirman No. 100, Pekanbaru",
                      body="Terima kasih atas pelayanan yang cepat; kami sarankan ruang tunggu "
                      "diberi pendingin udara.",
                      received_at=now - timedelta(days=35)),
         (Status.CLOSED, Weight.RINGAN)),
    ]
    for record, target in samples:
        record.acknowledge = True  # as the intake form does: a contact gets the receipt
        result = create_complaint(record, actor=loket)
        if target:
            _advance(result.complaint_id, target[0], target[1], ids)


@transactional
def _advance(complaint_id: int, status: Status, weight: Weight | None, ids: dict) -> None:
    complaint = db.session.get_one(Complaint, complaint_id)
    registrar = ids["registrar"]
    apply_changes(complaint, registrar, status=Status.REGISTERED)
    if status == Status.REGISTERED:
        return
    apply_changes(complaint, registrar, weight=weight, division_id=ids["perizinan"],
                  holder_id=ids["petugas"].id, status=Status.TRIAGED)
    for step in (Status.IN_HANDLING, Status.ANSWERED, Status.CLOSED):
        if status == Status.TRIAGED:
            break
        apply_changes(complaint, ids["petugas"], status=step)
        if step == status:
            break
    if status == Status.CLOSED:
        complaint.closed_at = clock.now()

"""Demo complaints for the workflow: waiting for triage, and ringan/sedang/berat at work.

Idempotent: each demo complaint has a source_key, so a second run finds it and moves on.
The steps go through the real services, acted by the demo users of their positions.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from complaints.accounts import service as accounts
from complaints.accounts.models import Division
from complaints.core import clock
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintType,
    Confidentiality,
    Service,
    Weight,
)
from complaints.workflow import handling, service
from complaints.workflow.handling import CoordinationInput
from complaints.workflow.service import TriageInput


def _records() -> list[tuple[str, IntakeRecord, str | None]]:
    """Return (key, record, stage) of the demo complaints; stage None: waiting to register."""
    now = clock.now()
    service_ids = dict(db.session.execute(select(Service.code, Service.id)).all())
    sikot, siktg, sikro = (service_ids.get(code) for code in ("sikot", "siktg", "sikro"))
    return [
        ("wf-1", IntakeRecord(
            channel=Channel.SURAT, letter_number="005/SM/2026/131", complainant_name="Nurhayati",
            complainant_address="Jl. Arifin Ahmad No. 7, Pekanbaru",
            body="Saat mengurus SIKOT saya dimintai pungutan liar Rp 500.000 oleh oknum "
            "yang mengaku petugas.", service_id=sikot, received_at=now - timedelta(days=1)),
         None),
        ("wf-2", IntakeRecord(
            channel=Channel.EMAIL, complainant_name="Ahmad Fauzi",
            complainant_email="ahmad.fauzi@example.org", complainant_phone="081234567890",
            body="Menyusul surat saya: permohonan SIKOT saya sudah lebih dari dua minggu belum "
            "selesai.", service_id=sikot, received_at=now - timedelta(hours=20)), "registered"),
        ("wf-3", IntakeRecord(
            channel=Channel.WHATSAPP, complainant_name="Dewi Lestari",
            complainant_phone="081377712345",
            body="Akun SIMPLE saya tidak bisa masuk setelah ganti nomor HP.", service_id=siktg,
            received_at=now - timedelta(days=2)), "answered_ringan"),
        ("wf-4", IntakeRecord(
            channel=Channel.SMS, complainant_phone="085211122233",
            body="Mohon info persyaratan SIKTG untuk lulusan baru.", service_id=siktg,
            received_at=now - timedelta(days=3)), "info_ringan"),
        ("wf-5", IntakeRecord(
            channel=Channel.WEB, complainant_name="Rudi Hartono",
            complainant_email="rudi@example.org",
            body="Izin SIKRO saya terlambat tiga minggu dan petugas bersikap kasar.",
            service_id=sikro,
            received_at=now - timedelta(days=5)), "coordination_sedang"),
        ("wf-6", IntakeRecord(
            channel=Channel.LAPOR, lapor_tracking_id="LAPOR-8899001",
            confidentiality=Confidentiality.ANONIM,
            body="Ada calo di sekitar kantor yang menjanjikan izin cepat dengan uang pelicin.",
            received_at=now - timedelta(days=6)), "decided_berat"),
    ]


def seed_workflow_demo() -> None:
    """Create the workflow demo complaints that are missing and move each to its stage."""
    loket = accounts.user_by_username("loket")
    for key, record, stage in _records():
        record.source_key = f"demo-{key}"
        if db.session.scalar(select(Complaint.id).where(Complaint.source_key == record.source_key)):
            continue
        record.acknowledge = True  # the demo outbox log shows the receipts
        result = create_complaint(record, actor=loket)
        if stage is not None:
            _advance(result.complaint_id, stage)


def _people() -> dict:
    return {name: accounts.user_by_username(name)
            for name in ("registrar", "petugas", "kabid", "kadis")}


def _triage(cid: int, people: dict, weight: Weight, type_code: str) -> None:
    division = db.session.scalar(select(Division.id).where(Division.code == "perizinan"))
    type_id = db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == type_code))
    service.triage(cid, None, people["registrar"],
                   TriageInput(type_id, weight, division, people["petugas"].id))
    service.start_handling(cid, None, people["petugas"])


def _advance(cid: int, stage: str) -> None:
    people = _people()
    service.register(cid, None, people["registrar"])
    if stage == "registered":
        return
    if stage in ("answered_ringan", "info_ringan"):
        _triage(cid, people, Weight.RINGAN, "sistem" if stage == "answered_ringan" else
                "informasi")
        if stage == "info_ringan":
            handling.request_info(cid, None, people["petugas"],
                                  "Mohon sebutkan jenis ijazah Anda (D3 atau D4).")
            return
        handling.answer(cid, None, people["petugas"],
                        "Akun SIMPLE Anda sudah kami atur ulang ke nomor HP yang baru.")
        return
    weight = Weight.SEDANG if stage == "coordination_sedang" else Weight.BERAT
    _triage(cid, people, weight, "waktu" if weight == Weight.SEDANG else "biaya")
    service.start_coordination(cid, None, people["petugas"])
    if stage == "decided_berat":
        handling.record_coordination(cid, None, people["kadis"], CoordinationInput(
            clock.now().date(), "Kepala Dinas; Sekretaris",
            "Temuan diserahkan ke Inspektorat; papan larangan calo dipasang di loket.",
            officials="Asisten I Sekretariat Daerah Kota Pekanbaru"))


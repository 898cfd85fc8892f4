"""Tables of the tickets domain: complaints, their events, attachments and catalogues."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.accounts.models import Division, User
from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model


def str_enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """Return a portable (VARCHAR + CHECK-free) column type storing the enum's values."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Channel(enum.StrEnum):
    """How the complaint reached the office (seeds item a)."""

    SURAT = "surat"
    EMAIL = "email"
    WEB = "web"
    TELEPON = "telepon"
    FAX = "fax"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    LANGSUNG = "langsung"
    LAPOR = "lapor"  # forwarded from SP4N-LAPOR!
    API = "api"
    LAINNYA = "lainnya"


class LetterVia(enum.StrEnum):
    """How a letter came in."""

    KOTAK_SARAN = "kotak_saran"
    LOKET = "loket"
    POS = "pos"


class Confidentiality(enum.StrEnum):
    """biasa: identity known; anonim: public, identity hidden; rahasia: not public at all."""

    BIASA = "biasa"
    ANONIM = "anonim"
    RAHASIA = "rahasia"


class Kind(enum.StrEnum):
    """Complaint, suggestion or input (pengaduan, saran, masukan)."""

    PENGADUAN = "pengaduan"
    SARAN = "saran"
    MASUKAN = "masukan"


class Weight(enum.StrEnum):
    """The bobot set at triage (seeds item b)."""

    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


class Status(enum.StrEnum):
    """Where the complaint stands in the procedure."""

    RECEIVED = "received"
    REGISTERED = "registered"
    TRIAGED = "triaged"
    IN_HANDLING = "in_handling"
    IN_COORDINATION = "in_coordination"
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"
    FORWARDED = "forwarded"  # outside our authority, sent to the competent agency


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.REGISTERED,
    Status.TRIAGED,
    Status.IN_HANDLING,
    Status.IN_COORDINATION,
)


class Service(Model):
    """A service of the office with its published standard (the four of the seeds, lainnya)."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    requirements: Mapped[str | None] = mapped_column(Text)
    procedure: Mapped[str | None] = mapped_column(Text)
    duration: Mapped[str | None] = mapped_column(String(200))
    cost: Mapped[str | None] = mapped_column(String(200))
    product: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)

    division: Mapped[Division | None] = relationship()

    def __str__(self) -> str:
        return self.name


class ComplaintType(Model):
    """A jenis (type) of complaint, from an editable list."""

    __tablename__ = "complaint_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)

    def label(self, locale: str) -> str:
        """Return the name in the given locale."""
        return self.name_en if locale == "en" else self.name_id


class Counter(Model):
    """A gapless per-year sequence (register numbers, outgoing letter numbers)."""

    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("name", "year", name="uq_counter_name_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(Model):
    """One complaint, suggestion or input, whatever its channel: a line of the Buku Pengaduan."""

    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_complaint_year_seq"),
        Index("ix_complaint_status_id", "status", "id"),
        Index("ix_complaint_division_id_id", "division_id", "id"),
        Index("ix_complaint_holder_id_id", "holder_id", "id"),
        Index("ix_complaint_received_at_id", "received_at", "id"),
        Index("ix_complaint_channel_id", "channel", "id"),
        Index("ix_complaint_next_due_at_id", "next_due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    kind: Mapped[Kind] = mapped_column(str_enum(Kind), default=Kind.PENGADUAN)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # Channel details.
    letter_number: Mapped[str | None] = mapped_column(String(64))  # nomor surat masuk
    letter_date: Mapped[date | None] = mapped_column(Date)
    letter_via: Mapped[LetterVia | None] = mapped_column(str_enum(LetterVia))
    contact_number: Mapped[str | None] = mapped_column(String(32))  # caller / fax number
    contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # time of call or fax
    officer_on_duty_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lapor_tracking_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel_note: Mapped[str | None] = mapped_column(String(500))

    # Complainant (all optional) and the confidentiality choice.
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_address: Mapped[str | None] = mapped_column(String(500))
    complainant_phone: Mapped[str | None] = mapped_column(String(32), index=True)
    complainant_email: Mapped[str | None] = mapped_column(String(254), index=True)
    complainant_nik: Mapped[str | None] = mapped_column(String(16))
    confidentiality: Mapped[Confidentiality] = mapped_column(
        str_enum(Confidentiality), default=Confidentiality.BIASA
    )

    # What it is about.
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    type_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_type.id"))
    weight: Mapped[Weight | None] = mapped_column(str_enum(Weight))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    summary: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    incident_date: Mapped[date | None] = mapped_column(Date)

    # Where it stands.
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.RECEIVED)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    follow_up: Mapped[str | None] = mapped_column(Text)  # tindak lanjut, shown in the register
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    access_code_hash: Mapped[str] = mapped_column(String(128))
    # Due dates on the working-day calendar, kept by workflow.deadline_service whenever
    # weight, status or the clock (clock_paused / clock_resumed events) changes.
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # resolution, by weight
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # earliest still pending
    clock_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The channel's own identity of the message that created it (Message-ID, MessageSid…),
    # so a redelivered message never makes a second complaint.
    source_key: Mapped[str | None] = mapped_column(String(255), unique=True)

    service: Mapped[Service | None] = relationship()
    type: Mapped[ComplaintType | None] = relationship()
    division: Mapped[Division | None] = relationship()
    holder: Mapped[User | None] = relationship(foreign_keys=[holder_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    officer_on_duty: Mapped[User | None] = relationship(foreign_keys=[officer_on_duty_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", viewonly=True
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="complaint", order_by="Attachment.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.BIASA

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintEvent(Model):
    """A line of the kartu kendali: append-only, never updated or deleted."""

    __tablename__ = "complaint_event"
    __table_args__ = (Index("ix_complaint_event_complaint_id_id", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # created, status, weight, division, holder, handover, type, note, attachment, ...
    kind: Mapped[str] = mapped_column(String(32))
    from_value: Mapped[str | None] = mapped_column(String(200))
    to_value: Mapped[str | None] = mapped_column(String(200))
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # shown on the tracking page

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    from_user: Mapped[User | None] = relationship(foreign_keys=[from_user_id])
    to_user: Mapped[User | None] = relationship(foreign_keys=[to_user_id])


class Attachment(Model):
    """A file kept with a complaint, stored outside the web root under a random name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    public: Mapped[bool] = mapped_column(Boolean, default=True)  # sent by the complainant

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


@event.listens_for(ComplaintEvent, "before_update")
def _refuse_event_update(mapper, connection, target):
    raise RuntimeError("kartu kendali events are append-only")


@event.listens_for(ComplaintEvent, "before_delete")
def _refuse_event_delete(mapper, connection, target):
    raise RuntimeError("kartu kendali events are append-only")

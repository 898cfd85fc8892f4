"""Tables of the accounts domain."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model


class Position(enum.StrEnum):
    """The office's positions (jabatan) that act in the complaint procedure."""

    LOKET = "loket"  # petugas loket: counter officer at the complaints desk
    REGISTRAR = "registrar"  # pejabat fungsional umum of the Sekretariat
    HANDLER = "handler"  # petugas penanganan pengaduan
    KABID = "kabid"  # Kepala Bidang
    SEKRETARIS = "sekretaris"
    KADIS = "kadis"  # Kepala Dinas
    ADMIN = "admin"


class Division(Model):
    """A bidang (division) of the office, or the Sekretariat."""

    __tablename__ = "division"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class User(UserMixin, Model):
    """A staff member who logs in."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(32))  # civil-servant number, for signatures
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing it invalidates every session of the user (logout everywhere, password change).
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return bool(self.active)

    def __str__(self) -> str:
        return self.full_name


class Assignment(Model):
    """A user holding a position, in a division where the position has one; Plt. when acting."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    position: Mapped[Position] = mapped_column(
        Enum(Position, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id"))
    acting: Mapped[bool] = mapped_column(Boolean, default=False)  # Plt. (pelaksana tugas)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(back_populates="assignments")
    division: Mapped[Division | None] = relationship()

    def is_current(self, today: date) -> bool:
        """Return whether the assignment is in force on the given day."""
        if self.starts_on and today < self.starts_on:
            return False
        return not (self.ends_on and today > self.ends_on)


class AuditLog(Model):
    """An append-only record of security-relevant events (logins, identity views)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

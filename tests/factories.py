"""Factories with overrides: users and complaints made through the real services."""

from __future__ import annotations

import itertools
from contextlib import contextmanager

from flask import has_app_context

from complaints.accounts import service as accounts
from complaints.accounts.models import Position
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import Channel

_counter = itertools.count(1)
PASSWORD = "password-123"
HANDLER_DIVISIONS = {"handler", "kabid"}


class Factory:
    """Make objects in the app's database; usable inside or outside an app context."""

    def __init__(self, app):
        self.app = app

    @contextmanager
    def _context(self):
        if has_app_context():
            yield
        else:
            with self.app.app_context():
                yield
                db.session.remove()

    def _detach(self, obj, *relations: str):
        db.session.refresh(obj)
        for name in relations:
            getattr(obj, name)
        db.session.expunge(obj)
        return obj

    def user(self, username: str | None = None, positions=None, password: str = PASSWORD,
             **kwargs):
        """Create a user; positions are (position, division code) pairs."""
        n = next(_counter)
        parsed = []
        for position, division in positions or []:
            position = Position(position)
            parsed.append((position, division if position.value in HANDLER_DIVISIONS else None))
        with self._context():
            user = accounts.create_user(
                username or f"user{n}", kwargs.pop("full_name", f"User {n}"), password,
                positions=parsed, **kwargs,
            )
            return self._detach(user, "assignments")

    def complaint(self, actor=None, **overrides):
        """Create a complaint through the intake service; returns (complaint, access code)."""
        data = {"channel": Channel.SURAT, "body": f"Keluhan nomor {next(_counter)}",
                "complainant_name": "Budi Santoso", "complainant_phone": "081200000001"}
        data.update(overrides)
        with self._context():
            if actor is not None and not isinstance(actor, int):
                actor = db.session.get(type(actor), actor.id)
            result = create_complaint(IntakeRecord(**data), actor=actor)
            return self._detach(result.complaint), result.access_code

"""The blank complaint page, rendered once per language, catalogue and preselected service.

Building the complaint form, rendering its fields through WTForms widgets and the page
layout around them was most of the cost of GET /adukan. The blank page depends only on the
language, the active services (read from the database on every request, so a catalogue edit
changes the key in every worker at once), the preselected service, the address asked for
(the language switch returns to it) and the app's configuration (one cache per app). The
one per-visitor part, the CSRF token, is rendered as a per-process marker and put in on
every answer. Pages with a pending flash message, and forms that carry input or errors,
are always rendered afresh.
"""

from __future__ import annotations

import secrets

from flask import render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from complaints.core import security
from complaints.core.db import autocommit_rows
from complaints.core.kept import kept
from complaints.public.forms import ComplaintForm

MAX_ENTRIES = 64  # languages × catalogue versions × preselected services seen recently
EXTENSION = "public.blank_form"
TOKEN_MARK = "csrf-mark-" + secrets.token_hex(16)  # stands for the visitor's CSRF token


# The active services in catalogue order (the columns of tickets.models.Service).
ACTIVE_SERVICES = "SELECT id, code, name FROM service WHERE active ORDER BY sort, id"


def service_choices(services) -> list[tuple[int | None, str]]:
    """Return the choices of the service box: "not sure", then each (id, name) given."""
    return [(None, _("Not sure / another service")), *services]


def _catalogue() -> tuple[tuple, ...]:
    # One read in autocommit on a pooled connection: the page needs no ORM session and no
    # transaction, whose set-up and tear-down (BEGIN, ROLLBACK) cost more than this query.
    return tuple(tuple(row) for row in autocommit_rows(ACTIVE_SERVICES))


def page(code: str | None) -> str:
    """Return the blank complaint page, the service with this code preselected."""
    rows = _catalogue()
    selected = next((row[0] for row in rows if code and row[1] == code), None)
    if session.get("_flashes"):  # a message to show once: this page is not the common one
        return _render_page(rows, selected, security.csrf_token)
    key = (str(get_locale()), rows, selected, request.script_root, request.full_path)
    html = kept(EXTENSION, key, lambda: _render_page(rows, selected, lambda: TOKEN_MARK),
                MAX_ENTRIES)
    return html.replace(TOKEN_MARK, security.csrf_token())


def _render_page(rows, selected: int | None, token) -> str:
    form = ComplaintForm()
    form.service_id.choices = service_choices((row[0], row[2]) for row in rows)
    form.service_id.data = selected
    fields = Markup(render_template("public/_complain_fields.html", form=form, held=[]))  # noqa: S704
    return render_template("public/complain.html", form=None, blank_fields=fields,
                           csrf_token=token)

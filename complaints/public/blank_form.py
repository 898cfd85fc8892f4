"""The blank complaint form, rendered once per language, catalogue and preselected service.

Building the complaint form and rendering its fields through WTForms widgets was most of
the cost of GET /adukan. A blank form depends only on the language, the active services
(read from the database on every request, so a catalogue edit changes the key in every
worker at once), the preselected service and the app's configuration (one cache per app).
Forms that carry input or errors are always built and rendered afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Select, select

from complaints.extensions import db
from complaints.public.forms import ComplaintForm
from complaints.tickets.models import Service

MAX_ENTRIES = 64  # languages × catalogue versions × preselected services seen recently
EXTENSION = "public.blank_form"
_lock = threading.Lock()


@cache
def _active_services() -> Select:
    return (
        select(Service.id, Service.code, Service.name)
        .where(Service.active.is_(True))
        .order_by(Service.sort, Service.id)
    )


def service_choices(services) -> list[tuple[int | None, str]]:
    """Return the choices of the service box: "not sure", then each (id, name) given."""
    return [(None, _("Not sure / another service")), *services]


def fields(code: str | None) -> Markup:
    """Return the blank form's fields, the service with this code preselected."""
    rows = tuple(tuple(row) for row in db.session.execute(_active_services()))
    selected = next((row[0] for row in rows if code and row[1] == code), None)
    key = (str(get_locale()), rows, selected)
    cache = current_app.extensions.setdefault(EXTENSION, OrderedDict())
    with _lock:
        html = cache.get(key)
        if html is not None:
            cache.move_to_end(key)
            return html
    html = _render(rows, selected)
    with _lock:
        cache[key] = html
        while len(cache) > MAX_ENTRIES:
            cache.popitem(last=False)
    return html


def _render(rows, selected: int | None) -> Markup:
    form = ComplaintForm()
    form.service_id.choices = service_choices((row[0], row[2]) for row in rows)
    form.service_id.data = selected
    html = render_template("public/_complain_fields.html", form=form, held=[])
    return Markup(html)  # noqa: S704  (the output of an autoescaped template)

"""The top bar of every page, kept per app with holes for what each request prints.

base.html's top bar (brand, navigation, language switch, name, logout) took about a
tenth of the staff queue page's CPU in Jinja: some thirty calls for texts, links and
locale, the same on every page of a user. It is rendered once per language, address
prefix, login state, name and navigation links (templates/_topbar.html) with markers
where the request's own values go, and kept (core.kept); a page fills the markers with
its CSRF token, its address (the language switch returns there) and the unread badge.
"""

from __future__ import annotations

import re

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from complaints.core.kept import kept
from complaints.core.security import csrf_token

TOPBAR_EXTENSION = "core.topbar"
TOPBAR_MAX = 512  # languages × users × navigations seen recently

# A marker cannot come from escaped text (which has no "<") nor from our templates.
_HOLE = "<\x00{}\x00>"
_HOLES = re.compile(r"<\x00(\w+)\x00>")


def topbar(nav: str, unread: int | None) -> Markup:
    """Return the top bar: nav is the staff links (staff_nav(), "" when logged out) and
    unread the count of unread notices (None: no notices link)."""
    user = current_user
    name = user.full_name if user.is_authenticated else None
    key = (str(get_locale() or "id"), request.script_root, name, nav, unread is None)
    parts = kept(TOPBAR_EXTENSION, key, lambda: _shell(nav, unread is not None), TOPBAR_MAX)
    values = {"csrf": escape(csrf_token()), "next_path": escape(request.full_path),
              "unread_badge": _badge(unread)}
    # parts alternate: fixed text, a hole's name, fixed text, ...
    return Markup("".join(  # noqa: S704 - fixed parts are our template's, holes escaped
        part if i % 2 == 0 else values[part] for i, part in enumerate(parts)))


def _shell(nav: str, has_inbox: bool) -> tuple[str, ...]:
    """Render the top bar with markers for the holes; return it split at them."""
    holes = {name: Markup(_HOLE.format(name))  # noqa: S704 - a marker, no user text
             for name in ("csrf", "next_path", "unread_badge")}
    html = render_template("_topbar.html", nav=Markup(nav), has_inbox=has_inbox,  # noqa: S704
                           **holes)
    return tuple(_HOLES.split(html))


def _badge(unread: int | None) -> str:
    """Return the unread badge after "Notices" (nothing when none are unread)."""
    if not unread:
        return ""
    label = escape(_("%(n)s unread", n=unread))
    return f' <span class="badge badge-unread" aria-label="{label}">{unread}</span>'

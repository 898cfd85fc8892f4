"""The kept top bar (core.layout) prints what its template prints with the request's values."""

from __future__ import annotations

import pytest
from flask import render_template, render_template_string, request, session, template_rendered
from flask_babel import refresh
from flask_login import current_user, login_user
from markupsafe import Markup

from complaints.accounts.models import User
from complaints.accounts.views import staff_nav
from complaints.core.security import csrf_token
from complaints.extensions import db

# What base.html does now.
KEPT = ("{% if current_user.is_authenticated %}{{ topbar(staff_nav(), inbox_unread() "
        "if has_endpoint('inbox.index') else None) }}{% else %}{{ topbar('', None) }}{% endif %}")
PATH = "/staff/queue?view=all&q=%3Cb%3E%20%22x%22"  # the language switch returns here


def _normal(html: str) -> str:
    return " ".join(html.split())


def _both(unread: int) -> tuple[str, str]:
    """Return the reference's and the kept top bar of this request, for `unread` notices."""
    count = {"inbox_unread": lambda: unread}
    authenticated = current_user.is_authenticated
    reference = render_template(
        "_topbar.html", nav=Markup(staff_nav()) if authenticated else "",  # noqa: S704
        has_inbox=authenticated, csrf=csrf_token(), next_path=request.full_path,
        unread_badge=Markup(render_template_string(  # noqa: S704
            "{% if n %} <span class=\"badge badge-unread\" aria-label=\""
            "{{ _('%(n)s unread', n=n) }}\">{{ n }}</span>{% endif %}", n=unread)))
    return _normal(reference), _normal(render_template_string(KEPT, **count))


@pytest.fixture
def staff(factory):
    """The id of a registrar whose name needs escaping."""
    return factory.user(positions=[("registrar", None)], full_name='Siti <Nur> & "Aini"').id


def _login(user_id: int) -> User:
    user = db.session.get(User, user_id)
    login_user(user)
    return user


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_kept_top_bar_prints_what_the_template_printed(app, staff, lang):
    for logged_in in (False, True):
        for unread in (0, 3, 12):
            with app.test_request_context(PATH):
                session["lang"] = lang
                refresh()
                if logged_in:
                    _login(staff)
                reference, now = _both(unread)
                assert now == reference
                assert 'name="next" value="/staff/queue?view=all&amp;q=%3Cb%3E%20%22x%22"' in now
                assert ("Siti &lt;Nur&gt; &amp; &#34;Aini&#34;" in now) == logged_in
                assert ("badge-unread" in now) == (logged_in and unread > 0)


def test_the_top_bar_is_rendered_once_per_user_and_language_then_kept(app, staff):
    rendered = []

    def seen(sender, template, context, **extra):
        if template.name == "_topbar.html":
            rendered.append(context["current_user"].is_authenticated)

    template_rendered.connect(seen, app)
    try:
        for path, unread in (("/a", 0), ("/b?x=1", 2), ("/c", 5)):
            with app.test_request_context(path):
                _login(staff)
                page = render_template_string(KEPT, inbox_unread=lambda u=unread: u)
                full = path if "?" in path else path + "?"  # request.full_path
                assert f'name="next" value="{full}"' in page  # each page's own address
        assert len(rendered) == 1
        with app.test_request_context("/a"):
            render_template_string(KEPT)  # logged out: a shell of its own
        assert rendered == [True, False]
        with app.test_request_context("/a"):
            _login(staff).full_name = "Siti Aminah"  # renamed: a new shell, never the old name
            page = render_template_string(KEPT, inbox_unread=lambda: 0)
        assert "Siti Aminah" in page and "Nur" not in page and len(rendered) == 3
    finally:
        template_rendered.disconnect(seen, app)


def test_each_page_prints_its_session_token_in_the_top_bar(client, auth):
    auth.login_as("registrar")
    first = client.get("/staff/queue").get_data(as_text=True)
    client.post("/logout")
    auth.login_as("registrar")
    second = client.get("/staff/queue").get_data(as_text=True)

    def tokens(page: str) -> set[str]:
        head = page[page.index('<header class="topbar">'):page.index("</header>")]
        return {part.split('"')[0] for part in head.split('name="csrf_token" value="')[1:]}

    assert len(tokens(first)) == 1 and len(tokens(second)) == 1
    assert tokens(first) != tokens(second)  # a new session, a new token: none kept across

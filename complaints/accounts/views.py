"""Login and logout."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from complaints.accounts import service
from complaints.accounts.forms import LoginForm
from complaints.accounts.permissions import positions_of
from complaints.core.kept import kept
from complaints.core.views import landing_url, safe_next
from complaints.extensions import limiter

bp = Blueprint("accounts", __name__)
NAV_EXTENSION = "accounts.staff_nav"
NAV_MAX = 64  # languages × sets of positions seen recently


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    """Show the login form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(landing_url())
    form = LoginForm()
    if form.validate_on_submit():
        result = service.authenticate(form.username.data, form.password.data)
        if result.user is not None:
            lang = session.get("lang")
            session.clear()  # a new session at login (no fixation)
            if lang:
                session["lang"] = lang
            login_user(result.user)
            return redirect(safe_next(request.args.get("next"), landing_url()))
        if result.error == "locked":
            flash(_("Too many failed attempts. The account is locked for a while."), "error")
        else:
            flash(_("Wrong username or password."), "error")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign the user out."""
    service.logout(current_user)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have been logged out."), "info")
    return redirect(url_for("accounts.login"))


def staff_nav() -> Markup:
    """Return the staff links of the navigation (templates/_staff_nav.html).

    Which links a user gets follows from the positions they hold today alone, so the
    links are rendered once per language, set of positions and address prefix and kept;
    a change of positions is a new key and shows on the next page.
    """
    key = (str(get_locale() or "id"), request.script_root,
           frozenset(positions_of(current_user)))
    return kept(NAV_EXTENSION, key, lambda: Markup(  # noqa: S704  (our own template)
        render_template("_staff_nav.html")), NAV_MAX)


@bp.record_once
def _nav_helpers(state) -> None:
    state.app.jinja_env.globals.update({"staff_nav": staff_nav})

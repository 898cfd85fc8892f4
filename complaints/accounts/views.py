"""Login and logout."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from complaints.accounts import service
from complaints.accounts.forms import LoginForm
from complaints.core.views import landing_url, safe_next
from complaints.extensions import limiter

bp = Blueprint("accounts", __name__)


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

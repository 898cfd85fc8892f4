"""Pages to create, list and revoke personal API tokens: one's own, and (admin) any user's."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from complaints.accounts.models import User
from complaints.accounts.permissions import Perm, require
from complaints.api import tokens
from complaints.api.forms import TokenForm
from complaints.core.timefmt import office_tz
from complaints.extensions import db

bp = Blueprint("api_tokens", __name__)


def _form(user: User) -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(s, f"{s} — {tokens.SCOPE_LABELS[s]}")
                           for s in tokens.allowed_scopes(user)]
    return form


def _expiry(form: TokenForm) -> datetime | None:
    if form.expires_on.data is None:
        return None
    return datetime.combine(form.expires_on.data, datetime.max.time(), tzinfo=office_tz())


def _page(user: User, revoke_url, self_url: str):
    """Show the user's tokens; create one from a valid form (its value shown this once)."""
    form = _form(user)
    plain = None
    if form.validate_on_submit():
        try:
            _token, plain = tokens.create_token(user.id, form.name.data, form.scopes.data,
                                                current_user, _expiry(form))
        except tokens.TokenError as exc:
            flash(str(exc), "error")
        else:
            form = _form(user)
            form.name.data, form.scopes.data = "", []
    return render_template("api/tokens.html", user=user, form=form, plain=plain,
                           tokens=tokens.tokens_of(user.id), revoke_url=revoke_url,
                           self_url=self_url, own=user.id == current_user.id)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def mine():
    """The signed-in user's own tokens."""
    return _page(current_user,
                 lambda token_id: url_for("api_tokens.revoke_mine", token_id=token_id),
                 url_for("api_tokens.mine"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_mine(token_id: int):
    """Revoke one of one's own tokens."""
    try:
        tokens.revoke(token_id, current_user, owner_id=current_user.id)
    except tokens.TokenError:
        abort(404)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("api_tokens.mine"))


@bp.route("/admin/users/<int:user_id>/tokens", methods=["GET", "POST"])
@require(Perm.ADMIN)
def of_user(user_id: int):
    """An administrator's view of a user's tokens."""
    user = db.get_or_404(User, user_id)
    return _page(user, lambda token_id: url_for("api_tokens.revoke_of_user", user_id=user_id,
                                                token_id=token_id),
                 url_for("api_tokens.of_user", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/tokens/<int:token_id>/revoke")
@require(Perm.ADMIN)
def revoke_of_user(user_id: int, token_id: int):
    """Revoke a user's token (administrator)."""
    try:
        tokens.revoke(token_id, current_user, owner_id=user_id)
    except tokens.TokenError:
        abort(404)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("api_tokens.of_user", user_id=user_id))

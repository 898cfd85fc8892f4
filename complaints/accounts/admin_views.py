"""Admin pages: users, their positions, divisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from complaints.accounts import service
from complaints.accounts.forms import AssignmentForm, DivisionForm, UserForm
from complaints.accounts.models import Division, Position, User
from complaints.accounts.permissions import Perm, require
from complaints.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _division_choices() -> list[tuple[str, str]]:
    divisions = db.session.scalars(select(Division).order_by(Division.name))
    return [("", "—")] + [(d.code, d.name) for d in divisions]


@bp.get("/users")
@require(Perm.ADMIN)
def users():
    """List staff users with their positions."""
    rows = db.session.scalars(select(User).order_by(User.full_name)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@require(Perm.ADMIN)
def user_new():
    """Create a staff user."""
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A new user needs a password."))
        else:
            try:
                user = service.create_user(
                    form.username.data, form.full_name.data, form.password.data,
                    email=form.email.data, phone=form.phone.data, nip=form.nip.data,
                    actor=current_user,
                )
            except service.AccountError as exc:
                form.username.errors.append(str(exc))
            else:
                flash(_("User created. Now give them a position."), "success")
                return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Perm.ADMIN)
def user_edit(user_id: int):
    """Edit a user's details and password."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    assignment_form = AssignmentForm(prefix="a")
    assignment_form.division.choices = _division_choices()
    if form.validate_on_submit():
        try:
            service.update_user(user.id, full_name=form.full_name.data, email=form.email.data,
                                phone=form.phone.data, nip=form.nip.data,
                                active=form.active.data, actor=current_user)
            if form.password.data:
                service.set_password(user.id, form.password.data, actor=current_user)
        except service.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user,
                           assignment_form=assignment_form)


@bp.post("/users/<int:user_id>/positions")
@require(Perm.ADMIN)
def assignment_add(user_id: int):
    """Give a user a position."""
    user = db.get_or_404(User, user_id)
    form = AssignmentForm(prefix="a")
    form.division.choices = _division_choices()
    if form.validate_on_submit():
        try:
            service.assign_position(
                user.id, Position(form.position.data), form.division.data or None,
                acting=form.acting.data, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, actor=current_user,
            )
        except service.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Position added."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/positions/<int:assignment_id>/remove")
@require(Perm.ADMIN)
def assignment_remove(assignment_id: int):
    """Take a position away."""
    try:
        user_id = service.assignment_user_id(assignment_id)
        service.remove_assignment(assignment_id, actor=current_user)
    except service.AccountError:
        return redirect(url_for("admin.users"))
    flash(_("Position removed."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/divisions", methods=["GET", "POST"])
@require(Perm.ADMIN)
def divisions():
    """List divisions and add or rename one."""
    form = DivisionForm()
    if form.validate_on_submit():
        try:
            service.upsert_division(form.code.data, form.name.data, form.active.data)
        except service.AccountError as exc:
            form.code.errors.append(str(exc))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.divisions"))
    rows = db.session.scalars(select(Division).order_by(Division.name)).all()
    return render_template("admin/divisions.html", form=form, divisions=rows)

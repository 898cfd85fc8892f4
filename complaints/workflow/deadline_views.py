"""Pages of deadlines: the calendar (admin), where delays happen (Sekretaris, Kepala Dinas)."""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.models import Position, User
from complaints.accounts.permissions import Perm, positions_of, require
from complaints.core import clock
from complaints.extensions import db
from complaints.workflow import calendar as workdays
from complaints.workflow import calendar_service, delays, presenters
from complaints.workflow.deadline_forms import DayOffForm

bp = Blueprint("deadlines", __name__)
DELAY_READERS = {Position.SEKRETARIS, Position.KADIS}


def require_positions(allowed: set[Position]):
    """View decorator: login required, 403 unless the user holds one of the positions."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from complaints.extensions import login

                return login.unauthorized()
            if not positions_of(current_user) & allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.route("/admin/calendar", methods=["GET", "POST"])
@require(Perm.ADMIN)
def calendar():
    """Show the year's holidays and local days off; add a local day off."""
    year = request.args.get("year", type=int) or clock.now().year
    form = DayOffForm()
    if form.validate_on_submit():
        try:
            calendar_service.add_day_off(form.day.data, form.reason.data, actor=current_user)
        except calendar_service.CalendarError as exc:
            form.day.errors.append(str(exc))
        else:
            flash(_("Day off added; due dates of open complaints were recomputed."), "success")
            return redirect(url_for("deadlines.calendar", year=form.day.data.year))
    return render_template("workflow/calendar.html", form=form, year=year,
                           holidays=workdays.holiday_names(year),
                           days_off=calendar_service.list_days_off(year))


@bp.post("/admin/calendar/<int:day_off_id>/delete")
@require(Perm.ADMIN)
def calendar_delete(day_off_id: int):
    """Remove a local day off."""
    try:
        calendar_service.remove_day_off(day_off_id)
    except calendar_service.CalendarError:
        abort(404)
    flash(_("Day off removed; due dates of open complaints were recomputed."), "success")
    return redirect(url_for("deadlines.calendar"))


@bp.get("/staff/delays")
@require_positions(DELAY_READERS)
def delays_page():
    """Show per month the stations where complaints waited longest."""
    raw = request.args.get("month") or clock.now().strftime("%Y-%m")
    try:
        month = datetime.strptime(raw, "%Y-%m")
    except ValueError:
        abort(400, "month must look like 2026-03")
    rows = delays.waits_by_station(month.year, month.month)
    users = {r.holder_id: db.session.get(User, r.holder_id) for r in rows if r.holder_id}
    today = clock.now().date()
    return render_template("workflow/delays.html", rows=rows, month=month.strftime("%Y-%m"),
                           users=users, position=lambda u: delays.position_of(u, today))


@bp.record_once
def _helpers(state) -> None:
    state.app.jinja_env.globals.update({
        "due_state": presenters.due_state, "is_past": presenters.is_past,
        "station_hours": presenters.station_hours,
        "holder_position": presenters.holder_position,
        "working_hours_text": presenters.hours_text,
        "can_read_delays": lambda: bool(positions_of(current_user) & DELAY_READERS),
    })

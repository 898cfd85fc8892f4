"""Staff intake: the counter and the Secretariat record letters, calls, faxes and walk-ins."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, can_view_complaint, require
from complaints.core import clock
from complaints.core.timefmt import from_local, office_tz
from complaints.extensions import db
from complaints.intake import catalog
from complaints.intake.forms import FORMS, STAFF_CHANNELS, IntakeForm
from complaints.intake.service import IntakeRecord, create_complaint, reset_access_code
from complaints.tickets.models import Channel, Complaint, Confidentiality, Kind, LetterVia

bp = Blueprint("intake", __name__, url_prefix="/staff/intake")
RECEIPT_KEY = "receipt"


def _channel(value: str) -> Channel:
    try:
        channel = Channel(value)
    except ValueError:
        abort(404)
    if channel not in STAFF_CHANNELS:
        abort(404)
    return channel


def _fill_choices(form: IntakeForm) -> None:
    form.service_id.choices = [(None, "—")] + catalog.service_choices()
    form.type_id.choices = [(None, "—")] + catalog.type_choices()
    form.division_id.choices = [(None, "—")] + catalog.division_choices()
    if hasattr(form, "officer_on_duty_id"):
        form.officer_on_duty_id.choices = catalog.officer_choices()


def _record(form: IntakeForm, channel: Channel) -> IntakeRecord:
    record = IntakeRecord(
        channel=channel,
        body=form.body.data,
        summary=form.summary.data or "",
        kind=Kind(form.kind.data),
        received_at=from_local(form.received_at.data),
        complainant_name=form.complainant_name.data,
        complainant_address=form.complainant_address.data,
        complainant_phone=form.complainant_phone.data,
        complainant_email=form.complainant_email.data,
        complainant_nik=form.complainant_nik.data,
        confidentiality=Confidentiality(form.confidentiality.data),
        service_id=form.service_id.data,
        type_id=form.type_id.data,
        division_id=form.division_id.data,
        uploads=form.files.uploads,
        # The service guarantee: the complainant hears of the registration when a contact
        # (email, mobile) was given; letters without one get nothing.
        acknowledge=True,
    )
    for name in ("letter_number", "letter_date", "contact_number", "officer_on_duty_id",
                 "lapor_tracking_id", "channel_note"):
        if hasattr(form, name):
            setattr(record, name, getattr(form, name).data)
    if hasattr(form, "letter_via"):
        record.letter_via = LetterVia(form.letter_via.data)
    if hasattr(form, "contact_at"):
        record.contact_at = from_local(form.contact_at.data)
    return record


@bp.get("/")
@require(Perm.INTAKE)
def choose():
    """Let the officer pick how the complaint came in."""
    return render_template("intake/choose.html", channels=STAFF_CHANNELS)


@bp.route("/<channel>", methods=["GET", "POST"])
@require(Perm.INTAKE)
def new(channel: str):
    """Record a complaint that came by the given channel."""
    chosen = _channel(channel)
    form = FORMS[chosen]()
    _fill_choices(form)
    if not form.is_submitted():
        local_now = clock.now().astimezone(office_tz())
        form.received_at.data = local_now.replace(tzinfo=None, second=0, microsecond=0)
        if hasattr(form, "officer_on_duty_id"):
            form.officer_on_duty_id.data = current_user.id
    if form.validate_on_submit():
        result = create_complaint(_record(form, chosen), actor=current_user)
        session[RECEIPT_KEY] = {"id": result.complaint_id, "code": result.access_code}
        flash(_("Complaint %(number)s recorded.", number=result.number), "success")
        return redirect(url_for("intake.receipt", complaint_id=result.complaint_id))
    if form.is_submitted() and form.errors:
        flash(_("Please correct the marked fields."), "error")
    return render_template("intake/form.html", form=form, channel=chosen)


@bp.get("/receipt/<int:complaint_id>")
@require(Perm.INTAKE)
def receipt(complaint_id: int):
    """Show the printable receipt (tanda terima), with the access code while it is known."""
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    pending = session.get(RECEIPT_KEY) or {}
    code = pending.get("code") if pending.get("id") == complaint.id else None
    return render_template("intake/receipt.html", complaint=complaint, access_code=code)


@bp.post("/receipt/<int:complaint_id>/new-code")
@require(Perm.INTAKE)
def new_code(complaint_id: int):
    """Issue a new access code for a complainant who lost theirs, and show a new receipt."""
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    code = reset_access_code(complaint.id, current_user)
    session[RECEIPT_KEY] = {"id": complaint.id, "code": code}
    flash(_("A new access code was issued; the old one no longer works."), "info")
    return redirect(url_for("intake.receipt", complaint_id=complaint.id))

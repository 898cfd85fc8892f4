"""Public pages: how to complain, services, the form, receipt, tracking, message and rating."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError

from complaints.extensions import db, limiter
from complaints.intake import catalog
from complaints.intake.service import IntakeRecord
from complaints.public import blank_form, held_uploads, quota, service
from complaints.public.forms import ComplaintForm, MessageForm, RatingForm, ReopenForm, TrackForm
from complaints.tickets.models import Channel, Complaint, Confidentiality, Kind

bp = Blueprint("public", __name__)
bp.after_request(quota.add_headers)
RECEIPT_KEY = "public_receipt"
TRACKED_KEY = "public_tracked"


def _config(name: str) -> str:
    return current_app.config[name]


def _ip_key() -> str:
    return quota.pseudonym("ip", get_remote_address() or "")


def _number_key() -> str:
    return service.normalize_number(request.form.get("number") or "")


def _created(response) -> bool:
    return response.status_code == 302


def _failed(response) -> bool:
    return response.status_code != 302


def home():
    """Render the public start page: every channel, hours, what happens next, deadlines."""
    return render_template(
        "public/home.html",
        deadlines=service.handling_deadlines(),
        services=service.published_services(),
    )


@bp.get("/layanan")
def services():
    """List the services with a link to each published standard."""
    return render_template("public/services.html", services=service.published_services())


@bp.get("/layanan/<code>")
def service_page(code: str):
    """Show one service's published standard."""
    found = service.service_by_code(code)
    if found is None:
        abort(404)
    return render_template("public/service.html", service=found)


def _post_limit(setting: str, key_func, deduct_when, keyed: bool = False):
    """Limit POSTs by the configured rate per key; keyed limits skip requests without a key."""
    return limiter.limit(
        lambda: _config(setting),
        key_func=key_func,
        # On a GET the limit is skipped anyway: do not compute the key (it reads the form).
        exempt_when=(lambda: request.method != "POST" or not key_func()) if keyed else None,
        methods=["POST"],
        deduct_when=deduct_when,
    )


@limiter.request_filter
def _own_quota() -> bool:
    """Let Flask-Limiter skip the form: its submissions are counted by the quota."""
    return request.endpoint == "public.complain"


def _submission_quota() -> tuple[quota.Counter, ...]:
    form = request.form
    return quota.counters(request.endpoint or "", get_remote_address() or "",
                          form.get("complainant_email"), form.get("complainant_phone"))


@bp.route("/adukan", methods=["GET", "POST"])
def complain():
    """Show the complaint form; file the complaint through the one intake when it is valid.

    The submission quota is checked first (429 at a limit) and counted with the complaint.
    """
    if request.method != "POST":  # the blank form, a service preselected from its page
        return blank_form.page(request.args.get("layanan"))
    form = ComplaintForm()
    # "Not sure" needs no catalogue to be valid; a chosen service is checked against it.
    chosen = form.service_id.data is not None
    services = catalog.service_choices() if chosen else []
    form.service_id.choices = blank_form.service_choices(services)
    token = form.held.data or None
    if form.website.data:
        return redirect(url_for("core.home"))  # honeypot: a bot, answered like a success
    held_uploads.remove(token, {int(i) for i in request.form.getlist("drop") if i.isdigit()})
    form.files.already = len(held_uploads.listing(token))
    counters = _submission_quota()
    try:
        quota.check(counters)
        if form.validate_on_submit():
            record = _record(form)
            record.uploads = held_uploads.load(token) + form.files.uploads
            result = service.submit(record, language=str(get_locale() or "") or None,
                                    quota=counters)
            held_uploads.discard(token)
            session[RECEIPT_KEY] = {"id": result.complaint_id, "code": result.access_code}
            session[TRACKED_KEY] = {"id": result.complaint_id, "fp": result.fingerprint}
            return redirect(url_for("public.receipt"))
        refused = None
    except quota.QuotaExceeded as exc:  # what was typed comes back, with when to send it
        refused = exc
    form.held.data = held_uploads.hold(token, form.files.uploads) or ""
    if not chosen:
        form.service_id.choices = blank_form.service_choices(catalog.service_choices())
    page = render_template("public/complain.html", form=form,
                           held=held_uploads.listing(form.held.data),
                           retry_at=refused.retry_at() if refused else None)
    return page, 429 if refused else 200


def _record(form: ComplaintForm) -> IntakeRecord:
    return IntakeRecord(
        channel=Channel.WEB,
        body=form.body.data,
        kind=Kind(form.kind.data),
        complainant_name=form.complainant_name.data,
        complainant_email=form.complainant_email.data,
        complainant_phone=form.complainant_phone.data,
        confidentiality=Confidentiality(form.confidentiality.data),
        service_id=form.service_id.data,
        incident_date=form.incident_date.data,
    )


def _remember(complaint: Complaint) -> None:
    session[TRACKED_KEY] = {"id": complaint.id, "fp": service.fingerprint(complaint)}


def _tracked() -> Complaint | None:
    """Return the complaint this browser looked up, unless its code was reset since."""
    data = session.get(TRACKED_KEY) or {}
    complaint = db.session.get(Complaint, data.get("id")) if data.get("id") else None
    if complaint is None or data.get("fp") != service.fingerprint(complaint):
        session.pop(TRACKED_KEY, None)
        return None
    return complaint


@bp.get("/tanda-terima")
def receipt():
    """Show the register number and, this one time, the access code."""
    pending = session.pop(RECEIPT_KEY, None) or {}
    complaint = _tracked()
    if complaint is None or pending.get("id") != complaint.id:
        return redirect(url_for("public.track"))
    return render_template(
        "public/receipt.html", complaint=complaint, access_code=pending.get("code")
    )


@bp.route("/lacak", methods=["GET", "POST"])
@_post_limit("PUBLIC_TRACK_LIMIT_IP", _ip_key, _failed)
@_post_limit("PUBLIC_TRACK_LIMIT_NUMBER", _number_key, _failed, keyed=True)
def track():
    """Ask for number + code; one and the same answer for a wrong number or a wrong code."""
    form = TrackForm()
    if request.method == "GET" and request.args.get("nomor"):
        form.number.data = request.args["nomor"][:40]
    failed = False
    if form.validate_on_submit():
        complaint = service.lookup(form.number.data, form.code.data)
        if complaint is not None:
            _remember(complaint)
            return redirect(url_for("public.tracked"))
        failed = True
    return render_template(
        "public/track.html",
        form=form,
        failed=failed,
        current=_tracked() if request.method == "GET" else None,
    )


@bp.get("/lacak/pengaduan")
def tracked():
    """Show the tracked complaint: status, public timeline, replies, message and rating."""
    complaint = _tracked()
    if complaint is None:
        return redirect(url_for("public.track"))
    return _render_tracked(complaint)


def _render_tracked(complaint: Complaint, message_form=None, rating_form=None, status=200,
                    reopen_form=None):
    rating = service.rating_of(complaint.id)
    if rating_form is None:
        rating_form = RatingForm(formdata=None, obj=None)
        if rating is not None:
            rating_form.score.data, rating_form.comment.data = str(rating.score), rating.comment
    return render_template(
        "public/tracked.html",
        complaint=complaint,
        timeline=service.public_timeline(complaint),
        message_form=message_form or MessageForm(formdata=None),
        rating_form=rating_form,
        rating=rating,
        can_message=complaint.status not in service.MESSAGE_CLOSED,
        can_rate=service.can_rate(complaint) and service.rating_editable(rating),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        can_reopen=service.can_reopen(complaint),
    ), status


@bp.post("/lacak/pesan")
@limiter.limit(lambda: _config("PUBLIC_MESSAGE_LIMIT"), key_func=_ip_key, deduct_when=_created)
def message():
    """Add information or an answer from the complainant."""
    complaint = _tracked()
    if complaint is None:
        return redirect(url_for("public.track"))
    form = MessageForm()
    if not form.validate_on_submit():
        return _render_tracked(complaint, message_form=form)
    try:
        service.add_message(complaint.id, form.text.data, form.files.uploads)
    except service.PublicError:
        flash(_("This complaint is closed. Please send a new complaint."), "error")
        return redirect(url_for("public.tracked"))
    flash(_("Thank you. Your message was added to the complaint."), "success")
    return redirect(url_for("public.tracked"))


@bp.post("/lacak/buka-kembali")
@limiter.limit(lambda: _config("PUBLIC_MESSAGE_LIMIT"), key_func=_ip_key, deduct_when=_created)
def reopen():
    """Reopen an answered or closed complaint within the window, with the reason."""
    complaint = _tracked()
    if complaint is None:
        return redirect(url_for("public.track"))
    form = ReopenForm()
    if not form.validate_on_submit():
        return _render_tracked(complaint, reopen_form=form)
    try:
        service.reopen(complaint.id, form.reason.data)
    except service.PublicError:
        flash(_("This complaint can no longer be reopened. Please send a new complaint."),
              "error")
        return redirect(url_for("public.tracked"))
    flash(_("Your complaint was reopened. The office will look at it again."), "success")
    return redirect(url_for("public.tracked"))


@bp.post("/lacak/nilai")
def rate():
    """Record or change the rating of the handling."""
    complaint = _tracked()
    if complaint is None:
        return redirect(url_for("public.track"))
    form = RatingForm()
    if not form.validate_on_submit():
        return _render_tracked(complaint, rating_form=form)
    try:
        service.rate(complaint.id, int(form.score.data), form.comment.data)
    except service.PublicError:
        flash(_("This complaint cannot be rated now."), "error")
        return redirect(url_for("public.tracked"))
    flash(_("Thank you for your rating."), "success")
    return redirect(url_for("public.tracked"))


@bp.post("/lacak/keluar")
def forget():
    """Forget the tracked complaint in this browser (for shared phones and computers)."""
    session.pop(TRACKED_KEY, None)
    return redirect(url_for("public.track"))


@bp.errorhandler(429)
def too_many(error):
    """Explain the rate limit in the person's language, in the public layout."""
    return render_template(
        "public/error.html",
        code=429,
        message=_("Too many attempts. Please wait a while and try again."),
    ), 429


@bp.errorhandler(CSRFError)
def expired(error):
    """Explain an expired form in the public layout."""
    return render_template(
        "public/error.html",
        code=400,
        message=_("The form expired. Please go back, reload the page and send it again."),
    ), 400

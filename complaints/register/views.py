"""The Buku Pengaduan page and its XLSX and PDF exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, require
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.intake import catalog
from complaints.register import exports, service
from complaints.register.filters import QueryError, RegisterFilter, parse_filter

bp = Blueprint("register", __name__, url_prefix="/staff/register")


def _filter() -> RegisterFilter:
    """Return the selection of the request, answering 400 to unknown keys or values."""
    try:
        return parse_filter(request.args, clock.now().astimezone(office_tz()).date())
    except QueryError as exc:
        abort(400, str(exc))


@bp.get("/")
@require(Perm.REGISTER)
def index():
    """Show the register of a month or a year, filtered, one page at a time."""
    flt = _filter()
    try:
        page = service.register_page(flt, current_user, str(get_locale() or "id"),
                                     current_app.config["PAGE_SIZE"])
    except QueryError as exc:
        abort(400, str(exc))
    return render_template(
        "register/index.html", flt=flt, page=page,
        period_label=exports.period_label(flt.period),
        years=_year_choices(),
        type_choices=catalog.type_choices(), service_choices=catalog.service_choices(),
        division_choices=catalog.division_choices(),
    )


def _year_choices() -> list[int]:
    this_year = clock.now().astimezone(office_tz()).year
    return list(range(this_year, this_year - 10, -1))


def _export(fmt: str):
    flt = _filter()
    try:
        result = exports.export_register(flt, current_user, fmt)
    except QueryError as exc:
        abort(400, str(exc))
    except exports.ExportTooLarge as exc:
        flash(_("This selection has %(rows)s complaints, more than the %(limit)s a PDF may "
                "hold. Narrow it with the filters or export XLSX.", rows=exc.rows,
                limit=exc.limit), "error")
        return redirect(url_for("register.index", **flt.args()))
    return send_file(result.file, mimetype=result.mimetype, as_attachment=True,
                     download_name=result.filename, max_age=0)


@bp.get("/export.xlsx")
@require(Perm.REGISTER_EXPORT)
def export_xlsx():
    """Download the selection as a spreadsheet."""
    return _export("xlsx")


@bp.get("/export.pdf")
@require(Perm.REGISTER_EXPORT)
def export_pdf():
    """Download the selection as a PDF for the Sekretaris to sign."""
    return _export("pdf")

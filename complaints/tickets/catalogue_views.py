"""Admin pages for the catalogues: complaint types (jenis) and services with their standard."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, require
from complaints.extensions import db
from complaints.intake.catalog import division_choices
from complaints.tickets import catalogue
from complaints.tickets.catalogue_forms import ServiceForm, TypeForm
from complaints.tickets.models import ComplaintType, Service

bp = Blueprint("catalogue", __name__, url_prefix="/admin/catalogue")


@bp.get("/")
@require(Perm.ADMIN)
def index():
    """List complaint types and services."""
    return render_template("admin/catalogue.html", types=catalogue.all_types(),
                           services=catalogue.all_services())


@bp.route("/types/new", methods=["GET", "POST"], defaults={"type_id": None})
@bp.route("/types/<int:type_id>", methods=["GET", "POST"])
@require(Perm.ADMIN)
def type_edit(type_id: int | None):
    """Add or edit a complaint type."""
    item = db.get_or_404(ComplaintType, type_id) if type_id else None
    form = TypeForm(obj=item)
    if form.validate_on_submit():
        try:
            catalogue.save_type(type_id, code=form.code.data, name_id=form.name_id.data,
                                name_en=form.name_en.data, active=form.active.data,
                                sort=form.sort.data or 0, actor=current_user)
        except catalogue.CatalogueError as exc:
            form.code.errors.append(str(exc))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("catalogue.index"))
    return render_template("admin/catalogue_form.html", form=form, item=item,
                           title=_("Complaint type"))


@bp.route("/services/new", methods=["GET", "POST"], defaults={"service_id": None})
@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@require(Perm.ADMIN)
def service_edit(service_id: int | None):
    """Add or edit a service and its published standard."""
    item = db.get_or_404(Service, service_id) if service_id else None
    form = ServiceForm(obj=item)
    form.division_id.choices = [(None, "—")] + division_choices()
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in catalogue.SERVICE_FIELDS}
        try:
            catalogue.save_service(service_id, code=form.code.data,
                                   division_id=form.division_id.data, active=form.active.data,
                                   sort=form.sort.data or 0, actor=current_user, **fields)
        except catalogue.CatalogueError as exc:
            form.code.errors.append(str(exc))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("catalogue.index"))
    return render_template("admin/catalogue_form.html", form=form, item=item,
                           title=_("Service"))

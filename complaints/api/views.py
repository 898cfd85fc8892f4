"""The API blueprint: the document, its page, and the problem answers of every operation."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for

from complaints.api.messages import invalid_filter, stale_complaint
from complaints.api.problems import ApiProblem, problem_response
from complaints.api.spec import API_PREFIX, REGISTRY, build_document
from complaints.extensions import csrf
from complaints.public import quota
from complaints.tickets.queries import QueryError
from complaints.tickets.service import StaleComplaint, TicketError

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)
bp.after_request(quota.add_headers)  # the public submission quota's X-RateLimit-* headers


@bp.errorhandler(ApiProblem)
def _problem(error: ApiProblem):
    return problem_response(error.status, error.detail, error.errors, error.headers)


@bp.errorhandler(StaleComplaint)
def _stale(error: StaleComplaint):
    return problem_response(409, stale_complaint())


@bp.errorhandler(TicketError)
def _refused(error: TicketError):
    return problem_response(422, str(error))


@bp.errorhandler(QueryError)
def _bad_query(error: QueryError):
    return problem_response(400, invalid_filter(error))


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 document built from the operation registry."""
    return jsonify(build_document(url_for("api.openapi").removesuffix("/openapi.json")))


@bp.get("/docs")
def docs():
    """Render the documentation page from the same document (server-side, no script)."""
    document = build_document(API_PREFIX)
    return render_template("api/docs.html", doc=document, operations=REGISTRY)


def register_operations() -> None:
    """Import the handler modules, which register their operations on bp (once)."""
    from complaints.api import public_views, report_views, staff_views  # noqa: F401

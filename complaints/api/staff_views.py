"""Staff operations with a bearer token: the queue, a complaint, the workflow, the register."""

from __future__ import annotations

from flask import current_app

from complaints.api import present, service
from complaints.api.http import Call, operation
from complaints.api.messages import invalid_filter
from complaints.api.problems import ApiProblem
from complaints.api.schemas import ID, enum_of
from complaints.api.spec import Param
from complaints.api.views import bp
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.register import service as register_service
from complaints.register.filters import QueryError, parse_filter
from complaints.tickets import service as tickets
from complaints.tickets.models import Channel, Status, Weight
from complaints.tickets.queries import QUEUE_VIEWS, SORTS
from complaints.workflow import handling

COMPLAINT_ID = Param("complaint_id", "path", ID, "The complaint's numeric id")
ID_QUERY = {"type": "string", "pattern": "^[1-9][0-9]{0,8}$", "maxLength": 9}
LIST_PARAMS = [
    Param("view", "query", {"type": "string", "enum": list(QUEUE_VIEWS)},
          "Which queue (default open)"),
    Param("status", "query", enum_of(Status)),
    Param("channel", "query", enum_of(Channel)),
    Param("weight", "query", enum_of(Weight)),
    Param("division", "query", ID_QUERY, "Division id"),
    Param("type", "query", ID_QUERY, "Complaint type id"),
    Param("service", "query", ID_QUERY, "Service id"),
    Param("q", "query", {"type": "string", "maxLength": 200},
          "Words to search, or an exact register number"),
    Param("sort", "query", {"type": "string", "enum": list(SORTS)}, "newest (default) or oldest"),
    Param("after", "query", ID_QUERY, "Keyset cursor: next_after of the previous page"),
    Param("limit", "query", {"type": "string", "pattern": "^[1-9][0-9]{0,2}$", "maxLength": 3},
          f"Page size, 1–{service.MAX_LIMIT} (default {service.DEFAULT_LIMIT})"),
]
REGISTER_PARAMS = [
    Param("month", "query", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "maxLength": 7},
          "YYYY-MM (default: this month in office time)"),
    Param("year", "query", {"type": "string", "pattern": "^[0-9]{4}$", "maxLength": 4},
          "A whole year instead of a month"),
    Param("channel", "query", enum_of(Channel)),
    Param("weight", "query", enum_of(Weight)),
    Param("status", "query", enum_of(Status)),
    Param("type", "query", ID_QUERY), Param("service", "query", ID_QUERY),
    Param("division", "query", ID_QUERY),
    Param("after", "query", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{1,9}$",
                             "maxLength": 14}, "Keyset cursor: next_after of the previous page"),
]
DETAIL = {200: ("The complaint as it is now, with its kartu kendali", "ComplaintDetail")}
EVENT = {201: ("Recorded on the kartu kendali", "EventCreated")}



@operation(bp, "GET", "/complaints", tag="Staff", scope="complaints:read", params=LIST_PARAMS,
           summary="List and filter complaints (keyset pagination)",
           responses={200: ("One page; follow next_after for the next", "ComplaintPage")})
def list_complaints(call: Call):
    """Return one page of the queue the token's user may see."""
    return service.complaint_page(call.query, call.user), 200


@operation(bp, "GET", "/complaints/{complaint_id}", tag="Staff", scope="complaints:read",
           params=[COMPLAINT_ID], summary="Read a complaint with its kartu kendali",
           responses=DETAIL, errors=(404,))
def get_complaint(call: Call):
    """Return the complaint (identity masked as in the UI) and every event."""
    return service.complaint_detail(int(call.path["complaint_id"]), call.user), 200


def _detail_after(complaint_id: int, call: Call):
    return service.complaint_detail(complaint_id, call.user), 200


@operation(bp, "POST", "/complaints/{complaint_id}/register", tag="Staff",
           scope="complaints:triage", params=[COMPLAINT_ID], request="RegisterAction",
           summary="Register a received complaint", responses=DETAIL, errors=(404, 409),
           example={"version": 1, "note": "Dicatat di Buku Pengaduan"})
def register_complaint(call: Call):
    """Register through the workflow (optimistic locking on version)."""
    complaint_id = int(call.path["complaint_id"])
    service.register(complaint_id, call.user, call.body)
    return _detail_after(complaint_id, call)


@operation(bp, "POST", "/complaints/{complaint_id}/triage", tag="Staff",
           scope="complaints:triage", params=[COMPLAINT_ID], request="TriageAction",
           summary="Triage: type, weight, division and handling officer", responses=DETAIL,
           errors=(404, 409),
           example={"version": 2, "type_id": 1, "weight": "ringan", "division_id": 1,
                    "holder_id": 5, "note": "Kewenangan bidang perizinan"})
def triage_complaint(call: Call):
    """Triage through the workflow's own rules."""
    complaint_id = int(call.path["complaint_id"])
    service.triage(complaint_id, call.user, call.body)
    return _detail_after(complaint_id, call)


@operation(bp, "POST", "/complaints/{complaint_id}/status", tag="Staff",
           scope="complaints:write", params=[COMPLAINT_ID], request="StatusAction",
           summary="Change the status (handling, coordination, answer, close, reject, ...)",
           responses=DETAIL, errors=(404, 409),
           example={"version": 4, "action": "answer", "text": "Izin Anda telah terbit."},
           description="The allowed actions depend on status, weight and the user's position, "
                       "exactly as on the complaint page.")
def change_status(call: Call):
    """Run one workflow action."""
    complaint_id = int(call.path["complaint_id"])
    service.change_status(complaint_id, call.user, call.body)
    return _detail_after(complaint_id, call)


@operation(bp, "POST", "/complaints/{complaint_id}/notes", tag="Staff",
           scope="complaints:write", params=[COMPLAINT_ID], request="NoteInput",
           summary="Add an internal note (never shown to the complainant)", responses=EVENT,
           errors=(404,), example={"text": "Sudah dihubungi lewat telepon."})
def add_note(call: Call):
    """Add an internal note to the kartu kendali."""
    complaint_id = int(call.path["complaint_id"])
    service.visible(complaint_id, call.user)
    event = tickets.add_note(complaint_id, call.user, call.body["text"])
    return service.created_event(event.id, complaint_id), 201


@operation(bp, "POST", "/complaints/{complaint_id}/replies", tag="Staff",
           scope="complaints:write", params=[COMPLAINT_ID], request="ReplyInput",
           summary="Reply to the complainant (public)", responses=EVENT, errors=(404, 409),
           example={"version": 5, "text": "Berkas Anda sedang kami periksa."})
def add_reply(call: Call):
    """Record a public reply through the workflow."""
    complaint_id = int(call.path["complaint_id"])
    service.visible(complaint_id, call.user)
    event = handling.reply(complaint_id, call.body["version"], call.user, call.body["text"])
    return service.created_event(event.id, complaint_id), 201


@operation(bp, "GET", "/catalogue", tag="Staff", scope="complaints:read",
           summary="Types, services, divisions and handling officers (ids for triage)",
           responses={200: ("The catalogues", "Catalogue")})
def get_catalogue(call: Call):
    """Return the catalogues whose ids the triage takes."""
    return service.catalogue(), 200


@operation(bp, "GET", "/register", tag="Staff", scope="register:read", params=REGISTER_PARAMS,
           summary="Read the Buku Pengaduan of a month",
           responses={200: ("One page of the register", "RegisterPage")})
def read_register(call: Call):
    """Return a page of the register (identities masked as on the register page)."""
    try:
        flt = parse_filter(call.query, clock.now().astimezone(office_tz()).date())
        page = register_service.register_page(flt, call.user, "id",
                                              current_app.config["PAGE_SIZE"])
    except QueryError as exc:
        raise ApiProblem(400, invalid_filter(exc)) from exc
    return {
        "period": flt.period.slug, "total": page.total,
        "rows": [present.register_row(row) for row in page.rows],
        "next_after": f"{page.next_after[0]}-{page.next_after[1]}" if page.next_after else None,
    }, 200

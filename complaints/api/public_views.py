"""Public operations: file a complaint, follow it by number + access code, send a message."""

from __future__ import annotations

from functools import wraps

from flask import current_app, request
from flask_limiter.util import get_remote_address

from complaints.api import present, service
from complaints.api.http import Call, operation
from complaints.api.spec import Param
from complaints.api.views import bp
from complaints.extensions import limiter
from complaints.public import quota
from complaints.public.quota import pseudonym
from complaints.public.service import normalize_number

NUMBER = Param("number", "query", {"type": "string", "minLength": 1, "maxLength": 40},
               "Register number, e.g. ADU/2026/000123", required=True)
CODE = Param("X-Access-Code", "header", {"type": "string", "minLength": 1, "maxLength": 40},
             "The access code given when the complaint was filed", required=True)
EXAMPLE_COMPLAINT = {
    "kind": "pengaduan", "confidentiality": "biasa", "complainant_name": "Siti Aminah",
    "complainant_email": "siti@example.org", "service_id": None,
    "body": "Izin usaha saya belum selesai sejak tiga minggu.", "consent": True,
}


def _json_field(name: str) -> str:
    data = request.get_json(silent=True)
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _ip_key() -> str:
    return pseudonym("ip", get_remote_address() or "")


def _submission_quota() -> tuple[quota.Counter, ...]:
    return quota.counters(request.endpoint or "", get_remote_address() or "",
                          _json_field("complainant_email"), _json_field("complainant_phone"))


@limiter.request_filter
def _own_quota() -> bool:
    """Let Flask-Limiter skip the submission: it is counted by the quota."""
    return request.endpoint == "api.file_complaint"


def _quota_checked(endpoint):
    """Check the submission quota before the body is read (429 at a limit, as before)."""

    @wraps(endpoint)
    def checked(**kwargs):
        quota.check(_submission_quota())
        return endpoint(**kwargs)

    return checked


def _number_key() -> str:
    return "number:" + normalize_number(request.args.get("number") or "")


def _limit(setting: str, key, deduct, exempt=None):
    return limiter.limit(lambda: current_app.config[setting], key_func=key,
                         deduct_when=deduct, exempt_when=exempt)


def _created(response) -> bool:
    return response.status_code == 201


def _failed(response) -> bool:
    return response.status_code == 404


TRACK_LIMITS = (
    _limit("PUBLIC_TRACK_LIMIT_IP", _ip_key, _failed),
    _limit("PUBLIC_TRACK_LIMIT_NUMBER", _number_key, _failed),
)


@operation(bp, "GET", "/public/services", tag="Public", summary="List the services",
           responses={200: ("The active services (service_id of a complaint)", "Services")})
def list_services(call: Call):
    """Return the services a complaint may be about."""
    return {"services": service.services()}, 200


@operation(bp, "POST", "/public/complaints", tag="Public", request="NewComplaint",
           summary="File a complaint", limits=(_quota_checked,), example=EXAMPLE_COMPLAINT,
           responses={201: ("Filed: keep the number and the access code", "ComplaintCreated")},
           errors=(429,),
           description="The same rules as the web form: a name and an email or phone "
                       "unless confidentiality is `anonim`; body 10–20,000 characters; "
                       "consent must be true. Rate-limited per address and per contact.")
def file_complaint(call: Call):
    """File a complaint through the one intake (channel api)."""
    result = service.file_complaint(service.complaint_record(call.body),
                                    quota=_submission_quota())
    return {"id": result.complaint_id, "number": result.number, "status": result.status.value,
            "received_at": present.iso(result.received_at),
            "access_code": result.access_code}, 201


@operation(bp, "GET", "/public/complaint", tag="Public", params=[NUMBER, CODE],
           summary="Read status, public timeline and replies", limits=TRACK_LIMITS,
           responses={200: ("The complaint as the complainant sees it", "PublicComplaint")},
           errors=(404, 429),
           description="A wrong number and a wrong code get the same 404, in the same time.")
def public_complaint(call: Call):
    """Return the complaint's status, public timeline and replies."""
    complaint = service.lookup(call.query["number"], call.headers["X-Access-Code"])
    return present.public_view(complaint), 200


@operation(bp, "POST", "/public/complaint/messages", tag="Public", params=[NUMBER, CODE],
           request="NewMessage", summary="Send information or an answer as the complainant",
           limits=(_limit("PUBLIC_MESSAGE_LIMIT", _ip_key, _created),),
           example={"text": "Nomor permohonan saya 503/123/2026."},
           responses={201: ("Added: the complaint as the complainant sees it now",
                            "PublicComplaint")},
           errors=(404, 409, 429))
def public_message(call: Call):
    """Add the complainant's message to the kartu kendali (public)."""
    complaint = service.add_message(call.query["number"], call.headers["X-Access-Code"],
                                    call.body["text"])
    return present.public_view(complaint), 201

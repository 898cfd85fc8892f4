"""JSON Schemas (OpenAPI 3.1 components) of the API's requests and responses."""

from __future__ import annotations

from complaints.tickets.models import Channel, Confidentiality, Kind, Status, Weight

MAX_ID = 2147483647  # fits every database's INTEGER
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}
TIME = {"type": "string", "format": "date-time",
        "description": "ISO 8601 with the office's UTC offset (Asia/Jakarta by default)"}
NULLABLE_TIME = {**TIME, "type": ["string", "null"]}
NUMBER = {"type": "string", "description": "Register number, e.g. ADU/2026/000123",
          "examples": ["ADU/2026/000123"]}
VERSION = {"type": "integer", "minimum": 1, "maximum": MAX_ID,
           "description": "The complaint's version as last read (optimistic locking: 409 "
                          "when it changed since)"}


def enum_of(cls, nullable: bool = False) -> dict:
    values: list = [m.value for m in cls]
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


def text(max_length: int, min_length: int = 1) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


def obj(properties: dict, required: list[str] | tuple = ()) -> dict:
    """Return a closed object schema (unknown fields refused)."""
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


PUBLIC_EVENT = obj({
    "at": TIME,
    "kind": {"type": "string", "enum": ["created", "status", "reply", "complainant_message",
                                        "attachment"]},
    "status": enum_of(Status, nullable=True),
    "text": {"type": ["string", "null"]},
}, ["at", "kind", "status", "text"])

EVENT = obj({
    "id": ID, "at": TIME, "kind": {"type": "string"},
    "actor_id": NULLABLE_ID, "actor_name": {"type": ["string", "null"]},
    "from_value": {"type": ["string", "null"]}, "to_value": {"type": ["string", "null"]},
    "from_user_id": NULLABLE_ID, "to_user_id": NULLABLE_ID,
    "note": {"type": ["string", "null"]}, "public": {"type": "boolean"},
}, ["id", "at", "kind", "actor_id", "actor_name", "from_value", "to_value", "from_user_id",
    "to_user_id", "note", "public"])

COMPLAINANT = obj({
    "name": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"},
    "email": {"type": "string"}, "nik": {"type": "string"},
    "masked": {"type": "boolean", "description": "true: confidential, shown as •••"},
}, ["name", "address", "phone", "email", "nik", "masked"])

_SUMMARY_FIELDS = {
    "id": ID, "number": NUMBER, "version": VERSION, "kind": enum_of(Kind),
    "channel": enum_of(Channel), "confidentiality": enum_of(Confidentiality),
    "status": enum_of(Status), "weight": enum_of(Weight, nullable=True),
    "summary": {"type": "string"}, "received_at": TIME, "updated_at": TIME,
    "due_at": NULLABLE_TIME, "next_due_at": NULLABLE_TIME,
    "service_id": NULLABLE_ID, "type_id": NULLABLE_ID, "division_id": NULLABLE_ID,
    "holder_id": NULLABLE_ID, "complainant": ref("Complainant"),
}

ENTRY = obj({"id": ID, "code": {"type": "string"}, "name": {"type": "string"}},
            ["id", "code", "name"])

SCHEMAS: dict[str, dict] = {
    "CatalogueEntry": ENTRY,
    "Services": obj({"services": {"type": "array", "items": ref("CatalogueEntry")}},
                    ["services"]),
    "Catalogue": obj({
        "types": {"type": "array", "items": ref("CatalogueEntry")},
        "services": {"type": "array", "items": ref("CatalogueEntry")},
        "divisions": {"type": "array", "items": ref("CatalogueEntry")},
        "officers": {"type": "array", "items": obj({
            "id": ID, "name": {"type": "string"},
            "division_ids": {"type": "array", "items": ID}}, ["id", "name", "division_ids"]),
            "description": "Active handling officers and Kepala Bidang (triage holder_id)"},
    }, ["types", "services", "divisions", "officers"]),
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "string"}},
                "description": "Messages per field (validation problems)"},
        },
        "required": ["type", "title", "status"],
    },
    "NewComplaint": obj({
        "kind": enum_of(Kind), "confidentiality": enum_of(Confidentiality),
        "complainant_name": {"type": "string", "maxLength": 200},
        "complainant_email": {"type": "string", "maxLength": 254},
        "complainant_phone": {"type": "string", "maxLength": 32},
        "service_id": NULLABLE_ID,
        "incident_date": {"type": "string", "format": "date", "maxLength": 10},
        "body": text(20000, 10),
        "consent": {"type": "boolean", "const": True,
                    "description": "Agreement to the notice on personal data"},
    }, ["body", "consent"]),
    "ComplaintCreated": obj({
        "id": ID, "number": NUMBER, "status": enum_of(Status), "received_at": TIME,
        "access_code": {"type": "string",
                        "description": "Shown once: with the number, it opens the complaint"},
    }, ["id", "number", "status", "received_at", "access_code"]),
    "PublicEvent": PUBLIC_EVENT,
    "PublicComplaint": obj({
        "number": NUMBER, "kind": enum_of(Kind), "status": enum_of(Status),
        "received_at": TIME, "can_message": {"type": "boolean"},
        "timeline": {"type": "array", "items": ref("PublicEvent")},
        "replies": {"type": "array", "items": ref("PublicEvent")},
    }, ["number", "kind", "status", "received_at", "can_message", "timeline", "replies"]),
    "NewMessage": obj({"text": text(10000)}, ["text"]),
    "Complainant": COMPLAINANT,
    "ComplaintSummary": obj(_SUMMARY_FIELDS, list(_SUMMARY_FIELDS)),
    "ComplaintPage": obj({
        "items": {"type": "array", "items": ref("ComplaintSummary")},
        "next_after": {**NULLABLE_ID, "description": "Pass as `after` for the next page"},
    }, ["items", "next_after"]),
    "Event": EVENT,
    "ComplaintDetail": obj({
        **_SUMMARY_FIELDS, "body": {"type": "string"}, "follow_up": {"type": ["string", "null"]},
        "incident_date": {"type": ["string", "null"], "format": "date"},
        "closed_at": NULLABLE_TIME, "clock_paused": {"type": "boolean"},
        "events": {"type": "array", "items": ref("Event"),
                   "description": "The kartu kendali, oldest first"},
    }, [*_SUMMARY_FIELDS, "body", "follow_up", "incident_date", "closed_at", "clock_paused",
        "events"]),
    "RegisterAction": obj({"version": VERSION, "note": {"type": "string", "maxLength": 2000}},
                          ["version"]),
    "TriageAction": obj({
        "version": VERSION, "type_id": ID, "weight": enum_of(Weight), "division_id": ID,
        "holder_id": ID, "service_id": NULLABLE_ID,
        "note": {"type": "string", "maxLength": 2000},
    }, ["version", "type_id", "weight", "division_id", "holder_id"]),
    "StatusAction": obj({
        "version": VERSION,
        "action": {"type": "string", "enum": ["start_handling", "start_coordination",
                                              "request_info", "resume", "answer", "close",
                                              "reject", "forward", "reopen"]},
        "text": {"type": "string", "maxLength": 20000,
                 "description": "Note, reason or answer (required by answer, reject, "
                                "forward, reopen, request_info)"},
        "agency": {"type": "string", "maxLength": 200,
                   "description": "The agency a forwarded complaint goes to"},
    }, ["version", "action"]),
    "NoteInput": obj({"text": text(10000)}, ["text"]),
    "ReplyInput": obj({"version": VERSION, "text": text(20000)}, ["version", "text"]),
    "EventCreated": obj({"event_id": ID, "complaint_id": ID, "version": VERSION},
                        ["event_id", "complaint_id", "version"]),
    "RegisterRow": obj({
        "id": ID, "number": NUMBER, "seq": ID, "received_at": TIME,
        "complainant": obj({"name": {"type": "string"}, "address": {"type": "string"},
                            "phone": {"type": "string"}, "masked": {"type": "boolean"}},
                           ["name", "address", "phone", "masked"]),
        "confidential": {"type": "boolean"}, "kind": enum_of(Kind), "channel": enum_of(Channel),
        "type": {"type": "string"}, "service": {"type": "string"},
        "division": {"type": "string"}, "weight": enum_of(Weight, nullable=True),
        "status": enum_of(Status), "summary": {"type": "string"},
        "follow_up": {"type": "string"}, "reply": {"type": "string"},
        "reply_at": NULLABLE_TIME,
    }, ["id", "number", "seq", "received_at", "complainant", "confidential", "kind", "channel",
        "type", "service", "division", "weight", "status", "summary", "follow_up", "reply",
        "reply_at"]),
    "RegisterPage": obj({
        "period": {"type": "string", "examples": ["2026-11"]},
        "total": {"type": "integer", "minimum": 0},
        "rows": {"type": "array", "items": ref("RegisterRow")},
        "next_after": {"type": ["string", "null"], "description": "Pass as `after`"},
    }, ["period", "total", "rows", "next_after"]),
}

REPORT_STATUS = {"type": "string",
                 "enum": ["draft", "submitted", "returned", "approved", "superseded"]}
_REPORT_FIELDS = {
    "id": ID, "month": {"type": "string", "examples": ["2026-10"]},
    "version": ID, "status": REPORT_STATUS,
    "created_at": TIME, "compiled_at": TIME, "submitted_at": NULLABLE_TIME,
    "approved_at": NULLABLE_TIME, "acknowledged_at": NULLABLE_TIME,
}
USER_REF = {"type": ["string", "null"], "description": "Full name of the user, if any"}
SCHEMAS.update({
    "ReportSummary": obj(_REPORT_FIELDS, list(_REPORT_FIELDS)),
    "ReportPage": obj({
        "items": {"type": "array", "items": ref("ReportSummary"),
                  "description": "Newest month first; each with its current version"},
        "next_after": {"type": ["string", "null"], "description": "Pass as `after` (YYYY-MM)"},
    }, ["items", "next_after"]),
    "ReportNote": obj({
        "id": ID, "version": ID, "author": USER_REF, "note": {"type": "string"},
        "created_at": TIME, "resolved_at": NULLABLE_TIME,
        "response": {"type": ["string", "null"]},
    }, ["id", "version", "author", "note", "created_at", "resolved_at", "response"]),
    "ReportVersionStep": obj({
        "version": ID, "status": REPORT_STATUS, "reason": {"type": ["string", "null"]},
        "created_at": TIME, "submitted_at": NULLABLE_TIME, "submitted_by": USER_REF,
        "approved_at": NULLABLE_TIME, "approved_by": USER_REF,
        "acknowledged_at": NULLABLE_TIME, "acknowledged_by": USER_REF,
    }, ["version", "status", "reason", "created_at", "submitted_at", "submitted_by",
        "approved_at", "approved_by", "acknowledged_at", "acknowledged_by"]),
    "ReportDetail": obj({
        **_REPORT_FIELDS, "current_version": ID, "reason": {"type": ["string", "null"]},
        "frozen": {"type": "boolean",
                   "description": "true: approved (or superseded), figures frozen at approval"},
        "figures": {"type": "object", "description": "The figures of the version (for an "
                    "approved version those frozen at approval)"},
        "register_rows": {"type": "integer", "minimum": 0,
                          "description": "Rows of the register frozen at approval"},
        "summary": {"type": "string"}, "conclusions": {"type": "string"},
        "recommendations": {"type": "string"},
        "notes": {"type": "array", "items": ref("ReportNote"),
                  "description": "Return notes of every version, oldest first"},
        "history": {"type": "array", "items": ref("ReportVersionStep"),
                    "description": "Every version's review steps, oldest first"},
    }, [*_REPORT_FIELDS, "current_version", "reason", "frozen", "figures", "register_rows",
        "summary", "conclusions", "recommendations", "notes", "history"]),
})

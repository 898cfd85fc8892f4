"""Access matrix: monthly reports, their review steps and exports, and the two dashboards."""

from tests.access import LOGIN, World

NOBODY = {"anonymous": LOGIN, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
          "sekretaris": 403, "kadis": 403, "admin": 403}
READERS = {**NOBODY, "registrar": 200, "sekretaris": 200, "kadis": 200}
REGISTRAR_STEP = {**NOBODY, "registrar": 302}
SEKRETARIS_STEP = {**NOBODY, "sekretaris": 302}
KADIS_STEP = {**NOBODY, "kadis": 302}
BASE = "/staff/reports/{report_id}"

ROUTES = [
    ("reports.index", "GET", "/staff/reports/", READERS),
    ("reports.provisional", "GET", "/staff/reports/provisional?month=2026-01", READERS),
    ("reports.provisional", "GET", "/staff/reports/provisional?month=2026-13",
     {**READERS, "registrar": 400, "sekretaris": 400, "kadis": 400}),
    ("reports.compile_month", "POST", "/staff/reports/compile", REGISTRAR_STEP),
    ("reports.detail", "GET", BASE, READERS),
    ("reports.narrative", "POST", BASE + "/narrative", REGISTRAR_STEP),
    ("reports.refresh", "POST", BASE + "/refresh", REGISTRAR_STEP),
    ("reports.submit", "POST", BASE + "/submit", REGISTRAR_STEP),
    ("reports.return_report", "POST", BASE + "/return", SEKRETARIS_STEP),
    ("reports.approve", "POST", BASE + "/approve", SEKRETARIS_STEP),
    ("reports.acknowledge", "POST", BASE + "/acknowledge", KADIS_STEP),
    ("reports.correct", "POST", BASE + "/correct", REGISTRAR_STEP),
    # {report_note_id}: a return note of that report, made by placeholders() below.
    ("reports.resolve_note", "POST", BASE + "/notes/{report_note_id}/resolve", REGISTRAR_STEP),
    ("reports.export_pdf", "GET", BASE + "/export.pdf", READERS),
    ("reports.export_xlsx", "GET", BASE + "/export.xlsx", READERS),
    ("dashboards.kadis", "GET", "/staff/dashboard/kadis", {**NOBODY, "kadis": 200}),
    ("dashboards.sekretaris", "GET", "/staff/dashboard/sekretaris",
     {**NOBODY, "sekretaris": 200}),
]


def placeholders(world: World) -> dict[str, object]:
    """Create a report of January 2026 returned once with a note (now a draft, version 2)."""
    from complaints.accounts.models import User
    from complaints.extensions import db
    from complaints.reports import service

    registrar = db.session.get(User, world.users["registrar"])
    sekretaris = db.session.get(User, world.users["sekretaris"])
    report = service.compile_report(2026, 1, registrar)
    service.submit(report.id, registrar)
    service.return_report(report.id, sekretaris, "Lengkapi tabel")
    note = service.unresolved_notes(service.get_report(report.id))[0]
    return {"report_id": report.id, "report_note_id": note.id}

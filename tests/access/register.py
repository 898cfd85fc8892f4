"""Access matrix: the Buku Pengaduan page and its exports."""

from tests.access import LOGIN

REGISTER_VIEWERS = {"anonymous": LOGIN, "loket": 403, "registrar": 200, "handler": 403,
                    "kabid": 200, "sekretaris": 200, "kadis": 200, "admin": 403}
REGISTER_EXPORTERS = {**REGISTER_VIEWERS, "kabid": 403}

ROUTES = [
    ("register.index", "GET", "/staff/register/", REGISTER_VIEWERS),
    ("register.export_xlsx", "GET", "/staff/register/export.xlsx", REGISTER_EXPORTERS),
    ("register.export_pdf", "GET", "/staff/register/export.pdf", REGISTER_EXPORTERS),
]

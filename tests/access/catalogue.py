"""Expected answers for the catalogue admin pages (complaint types and services)."""

from tests.access import LOGIN

ONLY_ADMIN = {"anonymous": LOGIN, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
              "sekretaris": 403, "kadis": 403, "admin": 200}
# An empty POST by the admin is a form with errors (200); on an existing entry the form
# falls back to the stored values and saves them unchanged (302).
ADMIN_SAVES = {**ONLY_ADMIN, "admin": (200, 302)}
ROUTES = [
    ("catalogue.index", "GET", "/admin/catalogue/", ONLY_ADMIN),
    ("catalogue.type_edit", "GET", "/admin/catalogue/types/new", ONLY_ADMIN),
    ("catalogue.type_edit", "POST", "/admin/catalogue/types/new", ONLY_ADMIN),
    ("catalogue.type_edit", "GET", "/admin/catalogue/types/1", ONLY_ADMIN),
    ("catalogue.type_edit", "POST", "/admin/catalogue/types/1", ADMIN_SAVES),
    ("catalogue.service_edit", "GET", "/admin/catalogue/services/new", ONLY_ADMIN),
    ("catalogue.service_edit", "POST", "/admin/catalogue/services/new", ONLY_ADMIN),
    ("catalogue.service_edit", "GET", "/admin/catalogue/services/1", ONLY_ADMIN),
    ("catalogue.service_edit", "POST", "/admin/catalogue/services/1", ADMIN_SAVES),
]

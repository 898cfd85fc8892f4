"""Expected answers for the catalogue admin pages (complaint types and services)."""

ONLY_ADMIN = {"anonymous": 302, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
              "sekretaris": 403, "kadis": 403, "admin": 200}

ROUTES = [
    ("catalogue.index", "GET", "/admin/catalogue/", ONLY_ADMIN),
    ("catalogue.type_edit", "GET", "/admin/catalogue/types/new", ONLY_ADMIN),
    ("catalogue.type_edit", "GET", "/admin/catalogue/types/1", ONLY_ADMIN),
    ("catalogue.service_edit", "GET", "/admin/catalogue/services/new", ONLY_ADMIN),
    ("catalogue.service_edit", "GET", "/admin/catalogue/services/1", ONLY_ADMIN),
]

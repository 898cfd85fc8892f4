"""Access matrix: the public portal answers everyone alike (no account needed).

POST routes are sent with empty data: /adukan and /lacak re-render their form with errors
(200); the tracked-complaint routes send a browser that tracks nothing back to /lacak (302).
The home page itself is core.home: anonymous 200 (the public start page), staff 302 to the
queue; the lead updates tests/access/core.py accordingly at merge.
"""

ALL = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")


def same(code):
    """Return the same expected answer for every role."""
    return dict.fromkeys(ALL, code)


ROUTES = [
    ("public.services", "GET", "/layanan", same(200)),
    ("public.service_page", "GET", "/layanan/sikot", same(200)),
    ("public.service_page", "GET", "/layanan/no-such-service", same(404)),
    ("public.complain", "GET", "/adukan", same(200)),
    ("public.complain", "POST", "/adukan", same(200)),
    ("public.receipt", "GET", "/tanda-terima", same(302)),
    ("public.track", "GET", "/lacak", same(200)),
    ("public.track", "POST", "/lacak", same(200)),
    ("public.tracked", "GET", "/lacak/pengaduan", same(302)),
    ("public.message", "POST", "/lacak/pesan", same(302)),
    ("public.rate", "POST", "/lacak/nilai", same(302)),
    ("public.reopen", "POST", "/lacak/buka-kembali", same(302)),
    ("public.forget", "POST", "/lacak/keluar", same(302)),
]

"""Concrete systems: ours (Pengaduan), the bare Flask limit, and django-helpdesk."""

from __future__ import annotations

import os
import subprocess

import setup_helpdesk as hd
from client import Client, parse_form
from systems import (
    OURS_PUBLIC_FORM,
    OURS_STAFF_FORM,
    ROOT,
    STAFF_PASSWORD,
    STAFF_USER,
    VENV_BIN,
    WORDS,
    System,
    b64_query,
    bulk_insert,
    finish_load,
    flask_env,
    neutral,
    python_path,
    required_extras,
    sample_fields,
    spread,
    top_up,
    ts,
)

STATUSES = ("received", "registered", "triaged", "in_handling", "answered", "closed")
WEIGHTS = (None, "ringan", "sedang", "berat")
CHANNELS = ("web", "surat", "email", "telepon", "langsung", "sms")
CONFIDENTIALITY = ("biasa",) * 8 + ("anonim", "rahasia")
BODY = " ".join(WORDS).capitalize() + "."


class Ours(System):
    """Pengaduan itself, under gunicorn with the production config."""

    name, label = "ours", "Pengaduan"
    ready_path = "/login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = self.db.work / f"ours-instance-{self.db.kind}"
        self.instance.mkdir(parents=True, exist_ok=True)
        self.env = flask_env(self.db, self.instance)
        self.public_form: str | None = None

    def command(self):
        return self.gunicorn(VENV_BIN, "wsgi:app"), ROOT, self.env

    def flask(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """Run a flask command of our app against this phase's database."""
        return subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, input=stdin,
                              env={**os.environ, **self.env}, capture_output=True, text=True)

    def prepare(self) -> None:
        for args in (("i18n", "compile"), ("db", "upgrade"), ("seed", "reference"),
                     ("users", "create", STAFF_USER, "--name", "Bench Staff", "--position",
                      "registrar", "--password", STAFF_PASSWORD)):
            done = self.flask(*args)
            if done.returncode != 0:
                raise RuntimeError(f"flask {' '.join(args)}: {done.stderr[-800:]}")

    def login(self) -> None:
        client = Client(self.port)
        fields, _ = parse_form(client.get("/login").body, "password")
        fields.update(username=STAFF_USER, password=STAFF_PASSWORD)
        answer = client.post("/login", fields)
        if answer.status != 302:
            raise RuntimeError(f"ours: login failed ({answer.status})")
        self.cookies = client.cookies
        page = Client(self.port).get(OURS_PUBLIC_FORM)
        if page.status == 200 and "csrf_token" in page.body:
            self.public_form = OURS_PUBLIC_FORM
        self.submit_via = (f"public form {OURS_PUBLIC_FORM}" if self.public_form else
                           f"staff intake form {OURS_STAFF_FORM} (logged-in registrar; "
                           "the public form is not in this build)")

    def submit_form(self) -> str:
        return self.public_form or OURS_STAFF_FORM

    def submit_client(self) -> Client:
        return Client(self.port) if self.public_form else self.client()

    def fill(self, defaults, i):
        fields = dict(defaults)
        fields.update({k: v for k, v in sample_fields(i).items() if k in defaults or k == "body"})
        if self.public_form:
            fields["consent"] = "y"  # the data-protection checkbox a person ticks
        return fields

    def list_paths(self):
        return ["/staff/queue?view=all"]

    def count(self) -> int:
        conn = self.db.connect("ours")
        return int(conn.execute("SELECT count(*) FROM complaint").fetchone()[0])

    def load(self, total: int) -> int:
        conn, first, n = top_up(self.db, "ours", "complaint", total)
        if n:
            kind, stored = self.db.kind, "sha256$00$" + "0" * 64
            cols = ["id", "number", "year", "seq", "version", "kind", "channel", "received_at",
                    "created_at", "updated_at", "complainant_name", "complainant_phone",
                    "complainant_email", "confidentiality", "weight", "summary", "body",
                    "status", "access_code_hash"]
            extras = required_extras(self.db, conn, "complaint", cols)
            cols += [name for name, _ in extras]

            def rows():
                for i in range(first, first + n):
                    at = ts(kind, spread(i))
                    yield (i, f"ADU/2025/{i:07d}", 2025, i, 1, "pengaduan", CHANNELS[i % 6],
                           at, at, at, f"Pengadu {i}", f"0812{i:08d}", f"p{i}@example.com",
                           CONFIDENTIALITY[i % 10], WEIGHTS[i % 4], f"Keluhan nomor {i}",
                           BODY, STATUSES[i % 6], stored,
                           *(neutral(kind_, at) for _, kind_ in extras))

            def events():
                for i in range(first, first + n):
                    yield (i, ts(kind, spread(i)), "created", "received", CHANNELS[i % 6], True)

            bulk_insert(self.db, conn, "complaint", cols, rows())
            bulk_insert(self.db, conn, "complaint_event",
                        ["complaint_id", "at", "kind", "to_value", "note", "public"], events())
            finish_load(self.db, conn, "complaint")
        conn.close()
        return n


class Limit(System):
    """The bare Flask baseline (bench/limit_app.py)."""

    name, label = "limit", "bare Flask"
    ready_path = "/submit"
    submit_via = "its form /submit (double-submit cookie token)"

    def db_url(self) -> str:
        if self.db.kind == "postgresql":
            return f"postgresql:127.0.0.1:{self.db.pg_port}:limit"
        return f"sqlite:{self.db.sqlite_path('limit')}"

    def command(self):
        env = {"LIMIT_DB": self.db_url(), "PYTHONPATH": python_path()}
        return self.gunicorn(VENV_BIN, "limit_app:app"), ROOT / "bench", env

    def prepare(self) -> None:
        os.environ["LIMIT_DB"] = self.db_url()
        import limit_app

        limit_app.create_schema()

    def submit_form(self) -> str:
        return "/submit"

    def fill(self, defaults, i):
        return {**defaults, **sample_fields(i)}

    def list_paths(self):
        return ["/queue"]

    def count(self) -> int:
        conn = self.db.connect("limit")
        return int(conn.execute("SELECT count(*) FROM complaint").fetchone()[0])

    def load(self, total: int) -> int:
        conn, first, n = top_up(self.db, "limit", "complaint", total)
        if n:
            kind = self.db.kind
            cols = ["id", "number", "kind", "channel", "received_at", "complainant_name",
                    "complainant_phone", "complainant_email", "confidentiality", "summary",
                    "body", "status"]
            bulk_insert(self.db, conn, "complaint", cols, (
                (i, f"L{i}", "pengaduan", CHANNELS[i % 6], ts(kind, spread(i)), f"Pengadu {i}",
                 f"0812{i:08d}", f"p{i}@example.com", CONFIDENTIALITY[i % 10],
                 f"Keluhan nomor {i}", BODY, STATUSES[i % 6])
                for i in range(first, first + n)))
            finish_load(self.db, conn, "complaint")
        conn.close()
        return n


class Helpdesk(System):
    """django-helpdesk (pinned) in its own venv, public queue, staff superuser."""

    name, label = "helpdesk", "django-helpdesk"
    ready_path = "/tickets/submit/"
    submit_via = "its public form /tickets/submit/ (Django CSRF cookie + csrfmiddlewaretoken)"

    def db_url(self) -> str:
        if self.db.kind == "postgresql":
            return f"postgresql:127.0.0.1:{self.db.pg_port}:helpdesk"
        return f"sqlite:{self.db.sqlite_path('helpdesk')}"

    def command(self):
        env = {"HELPDESK_DB": self.db_url(), "DJANGO_SETTINGS_MODULE": "benchdesk.settings"}
        return self.gunicorn(hd.VENV / "bin", "benchdesk.wsgi:application"), hd.PROJECT, env

    def prepare(self) -> None:
        hd.install()
        hd.write_project()
        hd.prepare_database(self.db_url())

    def login(self) -> None:
        client = Client(self.port)
        fields, _ = parse_form(client.get("/login/").body, "password")
        fields.update(username=hd.STAFF_USER, password=hd.STAFF_PASSWORD)
        answer = client.post("/login/", fields)
        if answer.status != 302:
            raise RuntimeError(f"helpdesk: login failed ({answer.status})")
        self.cookies = client.cookies

    def submit_form(self) -> str:
        return "/tickets/submit/"

    def fill(self, defaults, i):
        sample = sample_fields(i)
        return {**defaults, "title": sample["summary"], "body": sample["body"],
                "submitter_email": sample["complainant_email"]}

    def list_paths(self):
        query = b64_query({"filtering": {}, "filtering_null": {}, "sorting": "created",
                           "sortreverse": True, "search_string": ""})
        return ["/tickets/", f"/datatables_ticket_list/{query}?draw=1&start=0&length=50"
                             "&order%5B0%5D%5Bcolumn%5D=0&order%5B0%5D%5Bdir%5D=desc"]

    def count(self) -> int:
        conn = self.db.connect("helpdesk")
        return int(conn.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0])

    def load(self, total: int) -> int:
        conn, first, n = top_up(self.db, "helpdesk", "helpdesk_ticket", total)
        if n:
            kind = self.db.kind
            queue = conn.execute("SELECT id FROM helpdesk_queue WHERE slug = 'public'")
            queue = queue.fetchone()[0]
            cols = ["id", "title", "created", "modified", "submitter_email", "status", "on_hold",
                    "description", "priority", "queue_id", "secret_key"]
            bulk_insert(self.db, conn, "helpdesk_ticket", cols, (
                (i, f"Keluhan nomor {i}", ts(kind, spread(i), True), ts(kind, spread(i), True),
                 f"p{i}@example.com", 1 + i % 4, False, BODY, 3, queue, f"bench-{i:030d}")
                for i in range(first, first + n)))
            bulk_insert(self.db, conn, "helpdesk_followup",
                        ["ticket_id", "date", "title", "comment", "public"], (
                            (i, ts(kind, spread(i), True), "Ticket Opened Via Web", BODY, True)
                            for i in range(first, first + n)))
            finish_load(self.db, conn, "helpdesk_ticket")
        conn.close()
        return n


SYSTEMS: list[type[System]] = [Ours, Limit, Helpdesk]

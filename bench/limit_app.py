"""The bare Flask baseline ("limit"): the least any Flask app could do for the same work.

One INSERT per submission (the fields of a public complaint), one 50-row SELECT per list
page, a double-submit CSRF token, nothing else. Its two templates are compiled once, as
Flask caches any app's templates (render_template_string would compile them anew on every
request, which is no part of the least an app must do). LIMIT_DB is sqlite:PATH or a PostgreSQL
conninfo string (postgresql:HOST:PORT:NAME). Run: gunicorn -w N bench.limit_app:app
"""

from __future__ import annotations

import hmac
import os
import secrets
import sqlite3
from datetime import UTC, datetime

from flask import Flask, abort, redirect, render_template, request
from jinja2 import DictLoader

SCHEMA = """
CREATE TABLE IF NOT EXISTS complaint (
    id {pk},
    number VARCHAR(32) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    channel VARCHAR(20) NOT NULL,
    received_at TIMESTAMP NOT NULL,
    complainant_name VARCHAR(200),
    complainant_phone VARCHAR(32),
    complainant_email VARCHAR(254),
    confidentiality VARCHAR(20) NOT NULL,
    summary VARCHAR(300) NOT NULL,
    body TEXT NOT NULL,
    status VARCHAR(20) NOT NULL
)
"""
FIELDS = ("kind", "complainant_name", "complainant_phone", "complainant_email",
          "confidentiality", "summary", "body")
FORM = """<!doctype html><title>Complaint</title>
<form method="post"><input type="hidden" name="csrf_token" value="{{ token }}">
{% for f in fields %}<label>{{ f }} <input name="{{ f }}"></label>{% endfor %}
<button>Send</button></form>"""
LIST = """<!doctype html><title>Queue</title><ul>{% for r in rows %}
<li>{{ r[1] }} {{ r[2] }} {{ r[3] }} {{ r[4] or "" }} {{ r[5] }}</li>{% endfor %}</ul>"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"form.html": FORM, "list.html": LIST})


def _url() -> str:
    return os.environ.get("LIMIT_DB", "sqlite:bench/.work/limit.sqlite3")


def connect():
    """Return a DB-API connection and its parameter style marker."""
    url = _url()
    if url.startswith("postgresql:"):
        import psycopg

        _, host, port, name = url.split(":")
        conn = psycopg.connect(host=host, port=port, dbname=name, user="postgres")
        return conn, "%s"
    conn = sqlite3.connect(url.split(":", 1)[1], timeout=30, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn, "?"


def create_schema() -> None:
    """Create the one table (idempotent)."""
    conn, _ = connect()
    pk = "SERIAL PRIMARY KEY" if _url().startswith("postgresql:") else \
        "INTEGER PRIMARY KEY AUTOINCREMENT"
    conn.execute(SCHEMA.format(pk=pk))
    conn.commit()
    conn.close()


def db():
    """Return this worker's connection (one per process, kept open)."""
    if "conn" not in app.config:
        app.config["conn"] = connect()
    return app.config["conn"]


@app.route("/submit", methods=["GET", "POST"])
def submit():
    """Show the form (setting the CSRF cookie) or store one complaint."""
    if request.method == "GET":
        token = secrets.token_urlsafe(24)
        response = app.make_response(render_template("form.html", token=token, fields=FIELDS))
        response.set_cookie("csrf", token, httponly=True, samesite="Lax")
        return response
    cookie = request.cookies.get("csrf", "")
    if not cookie or not hmac.compare_digest(cookie, request.form.get("csrf_token", "")):
        abort(400)
    body = request.form.get("body", "").strip()
    if not body:
        abort(400)
    values = [request.form.get(f) or None for f in FIELDS]
    values[0] = values[0] or "pengaduan"
    values[4] = values[4] or "biasa"
    values[5] = values[5] or body[:300]
    values[6] = body
    now = datetime.now(UTC).replace(tzinfo=None)
    conn, p = db()
    conn.execute(
        f"INSERT INTO complaint (number, channel, received_at, status, {', '.join(FIELDS)}) "
        f"VALUES ({', '.join([p] * (4 + len(FIELDS)))})",
        [secrets.token_hex(8), "web", now, "received", *values],
    )
    conn.commit()
    return redirect("/thanks", code=303)


@app.get("/queue")
def queue():
    """List the newest 50 complaints."""
    conn, _ = db()
    rows = conn.execute(
        "SELECT id, number, received_at, status, complainant_name, summary FROM complaint "
        "ORDER BY id DESC LIMIT 50"
    ).fetchall()
    conn.commit()  # end the read transaction (PostgreSQL) so no snapshot is held open
    return render_template("list.html", rows=rows)


@app.get("/thanks")
def thanks():
    """The page after a submission."""
    return "Thank you."

"""The three systems under test: how to prepare, start, load and drive each one.

Each measured operation is a small adapter (form URL, how the CSRF token arrives, the form
fields to fill), so ours can be pointed at the public complaint form once it exists.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from client import Client, parse_form

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
# Ours' public complaint form (the portal's GET/POST URL); the staff form is the fallback.
OURS_PUBLIC_FORM = os.environ.get("BENCH_OURS_PUBLIC_FORM", "/adukan")
OURS_STAFF_FORM = "/staff/intake/langsung"  # a walk-in recorded by the counter: same fields
STAFF_USER, STAFF_PASSWORD = "benchstaff", "bench-staff-password-2026"
TEXT = (
    "izin praktik belum terbit padahal berkas sudah lengkap sejak minggu lalu petugas loket "
    "meminta dokumen tambahan yang tidak tercantum dalam standar pelayanan mohon kejelasan "
    "dan tindak lanjut secepatnya terima kasih"
)
WORDS = tuple(TEXT.split())


@dataclass
class Db:
    """One database engine for a phase: SQLite files, or a throwaway PostgreSQL cluster."""

    kind: str  # "sqlite" or "postgresql"
    work: Path
    pg_port: int | None = None
    pg_pid_file: Path | None = None

    def sqlite_path(self, system: str) -> Path:
        return self.work / f"{system}.sqlite3"

    def connect(self, system: str):
        """Return a DB-API connection to the system's database (for bulk loads and counts)."""
        if self.kind == "postgresql":
            import psycopg

            return psycopg.connect(host="127.0.0.1", port=self.pg_port, dbname=system,
                                   user="postgres")
        import sqlite3

        conn = sqlite3.connect(self.sqlite_path(system), timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def server_pids(self) -> list[int]:
        """Return the postmaster pid (its tree holds every backend), or nothing for SQLite."""
        if self.pg_pid_file is None:
            return []
        return [int(self.pg_pid_file.read_text().split()[0])]


def open_db(kind: str, work: Path, databases: tuple[str, ...]):
    """Return (Db, cluster or None): SQLite files in work, or a throwaway PostgreSQL cluster
    (tests/support/postgres.py) with the given databases; stop the cluster when done."""
    if kind == "sqlite":
        return Db("sqlite", work), None
    if str(ROOT) not in sys.path:
        sys.path.insert(1, str(ROOT))
    from tests.support.postgres import PostgresCluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries not found")
    cluster = PostgresCluster(bindir)
    cluster.start()
    for name in databases:
        cluster.create_database(name)
    return Db("postgresql", work, cluster.port, cluster.data / "postmaster.pid"), cluster


def sample_fields(i: int) -> dict[str, str]:
    """Return the complaint one simulated citizen types (the same for every system)."""
    body = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(45))
    return {
        "complainant_name": f"Pengadu Uji {i}",
        "complainant_phone": f"0812{i % 10**8:08d}",
        "complainant_email": f"pengadu{i}@example.com",
        "summary": "Izin praktik belum terbit",
        "body": body.capitalize() + ".",
        "kind": "pengaduan",
        "confidentiality": "biasa",
    }


class System:
    """A system under gunicorn: subclasses say how to prepare, run, fill and list it."""

    name = ""
    label = ""
    ready_path = "/"
    submit_via = ""
    key_field = "body"  # the submission form is the POST form that has this field

    def __init__(self, db: Db, port: int, workers: int, log_dir: Path):
        self.db, self.port, self.workers, self.log_dir = db, port, workers, log_dir
        self.proc: subprocess.Popen | None = None
        self.cookies: dict[str, str] = {}

    # -- lifecycle -------------------------------------------------------------------
    def command(self) -> tuple[list[str], Path, dict[str, str]]:
        raise NotImplementedError

    def start(self) -> None:
        """Start gunicorn in its own session and wait until it answers."""
        argv, cwd, env = self.command()
        log = open(self.log_dir / f"{self.name}-{self.db.kind}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=log,
                                     stderr=log, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get(self.ready_path).status < 500:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {log.name}")
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer within 90 s")

    def stop(self) -> None:
        """Stop the gunicorn master we started (it stops its workers), by process id."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def app_pids(self) -> list[int]:
        return [self.proc.pid] if self.proc else []

    def gunicorn(self, bin_dir: Path, target: str) -> list[str]:
        return [str(bin_dir / "gunicorn"), "-w", str(self.workers), "-b",
                f"127.0.0.1:{self.port}", "--timeout", "120", target]

    # -- operations ------------------------------------------------------------------
    def client(self) -> Client:
        """Return a client carrying this system's logged-in staff cookies (if any)."""
        client = Client(self.port)
        client.cookies.update(self.cookies)
        return client

    def submit_client(self) -> Client:
        """Return the client that submits: anonymous unless a staff form is measured."""
        return Client(self.port)

    def login(self) -> None:
        """Log the staff user in once; clients copy the cookies."""

    def submit_form(self) -> str:
        raise NotImplementedError

    def fill(self, defaults: dict[str, str], i: int) -> dict[str, str]:
        raise NotImplementedError

    def submit_task(self, counter: Iterator[int]) -> Callable[[], None]:
        """Return one user's submission: fetch the form, take its token, post it."""
        client, path = self.submit_client(), self.submit_form()

        def task() -> None:
            page = client.get(path)
            if page.status != 200:
                raise RuntimeError(f"GET {path}: {page.status}")
            defaults, action = parse_form(page.body, self.key_field)
            answer = client.post(action or path, self.fill(defaults, next(counter)))
            if answer.status not in (302, 303) or "login" in answer.location():
                raise RuntimeError(f"POST {path}: {answer.status} {answer.body[:200]!r}")

        return task

    def list_paths(self) -> list[str]:
        raise NotImplementedError

    def list_task(self) -> Callable[[], None]:
        """Return one staff user's look at the newest 50 complaints."""
        client, paths = self.client(), self.list_paths()

        def task() -> None:
            for path in paths:
                answer = client.get(path)
                if answer.status != 200:
                    raise RuntimeError(f"GET {path}: {answer.status}")

        return task

    # -- data ------------------------------------------------------------------------
    def prepare(self) -> None:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def load(self, total: int) -> int:
        """Top the complaints up to `total` rows written straight to the database."""
        raise NotImplementedError


def ts(kind: str, moment: datetime, aware: bool = False) -> object:
    """Return a timestamp as each driver stores it (SQLite: text; PostgreSQL: datetime)."""
    if kind == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment if aware else moment.replace(tzinfo=None)


def bulk_insert(db: Db, conn, table: str, columns: list[str], rows) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany in batches on SQLite."""
    cols = ", ".join(columns)
    if db.kind == "postgresql":
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(columns))})"
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == 20000:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
    conn.commit()


def required_extras(db: Db, conn, table: str, given: list[str]) -> list[tuple[str, str]]:
    """Return (name, type) of NOT NULL columns without default that the loader does not set.

    Other domains add such columns to the complaint table (e.g. workflow flags); the loader
    fills them with a neutral value of their type instead of failing.
    """
    if db.kind == "postgresql":
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
            "%s AND is_nullable = 'NO' AND column_default IS NULL", (table,)).fetchall()
    else:
        rows = [(r[1], r[2]) for r in conn.execute(f"PRAGMA table_info({table})")
                if r[3] and r[4] is None and not r[5]]
    return [(name, kind.lower()) for name, kind in rows if name not in given]


def neutral(kind: str, at: object) -> object:
    """Return a neutral value for a column type (false, 0, '', the row's time)."""
    if "bool" in kind:
        return False
    if "int" in kind or "numeric" in kind or "real" in kind or "double" in kind:
        return 0
    if "time" in kind:
        return at
    if "date" in kind:
        return "2025-01-01"
    return ""


def finish_load(db: Db, conn, table: str) -> None:
    """Move the id sequence past the loaded ids and refresh planner statistics."""
    if db.kind == "postgresql":
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"(SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        conn.autocommit = False


# How the bulk rows' received times follow their ids. By default they are shuffled against
# the ids over 2025: a month's complaints are then spread over every index, the worst case
# for a lookup per complaint. True: in the order of receipt, as in the office's register,
# where the ids and numbers are given as complaints arrive (bench/profile_report.py
# --ordered); 1,000,000 rows then fill 2025.
RECEIPT_ORDER = False
YEAR_MINUTES = 365 * 24 * 60
ORDERED_ROWS = 1_000_000


def spread(i: int) -> datetime:
    """Return a received time in 2025 (bulk rows), deterministic per row (see RECEIPT_ORDER)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    if RECEIPT_ORDER:
        return start + timedelta(seconds=(i - 1) * YEAR_MINUTES * 60 // ORDERED_ROWS)
    return start + timedelta(minutes=(i * 7919) % YEAR_MINUTES)


def top_up(db: Db, system: str, table: str, total: int) -> tuple[object, int, int]:
    """Return (connection, first new id, how many to add) to reach `total` rows."""
    conn = db.connect(system)
    count, top = conn.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
    return conn, int(top) + 1, max(0, total - int(count))


def flask_env(db: Db, instance: Path) -> dict[str, str]:
    """Return the environment of our app for this database."""
    if db.kind == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{db.pg_port}/ours"
    else:
        url = f"sqlite:///{db.sqlite_path('ours')}"
    return {"APP_CONFIG": "production", "DATABASE_URL": url, "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench-" + "k" * 40, "SESSION_COOKIE_SECURE": "0",
            # The rate limiter stays on (its cost is part of a submission), with limits
            # no benchmark round reaches: every simulated citizen comes from 127.0.0.1.
            "PUBLIC_SUBMIT_LIMIT_IP": "1000000 per hour",
            "PUBLIC_SUBMIT_LIMIT_CONTACT": "1000000 per hour", "FLASK_APP": "wsgi",
            "OUTBOX_LOG": str(instance / "outbox.log")}


def b64_query(query: dict) -> str:
    return base64.b64encode(json.dumps(query).encode()).decode()


def python_path() -> str:
    return os.pathsep.join([str(BENCH), str(ROOT), *sys.path])

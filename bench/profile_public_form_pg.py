"""POST /adukan on PostgreSQL: statements, app CPU and database CPU per submission.

Usage: .venv/bin/python bench/profile_public_form_pg.py [--requests 300] [--root PATH]

Starts a throwaway PostgreSQL cluster (tests/support/postgres.py) with pg_stat_statements,
builds the app of the checkout at --root on it (the production config of
profile_public_form.py: limits out of reach but enforced) and sends GET /healthz and valid
POST /adukan through app.test_client(). Prints per request the app's CPU
(time.process_time(), in-process), the database server's CPU (all the cluster's
processes, from /proc) and, per POST, the statements the server ran (pg_stat_statements,
BEGIN and COMMIT included) and the COMMITs among them (statements run in autocommit are
transactions of their own besides). One checkout per run; run it again with --root on
another checkout to compare.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from client import cpu_ms  # noqa: E402
from profile_public_form import build_app, filled_forms  # noqa: E402
from systems import open_db  # noqa: E402

from tests.support.postgres import PostgresCluster  # noqa: E402

STATEMENTS = ("SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s "
              "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s")


def start_cluster() -> PostgresCluster:
    """Return a started cluster with pg_stat_statements loaded."""
    _, cluster = open_db("postgresql", BENCH / ".work" / "public-form-pg", ())
    try:
        with psycopg.connect(_dsn(cluster, "postgres"), autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        cluster._run("pg_ctl", "-D", str(cluster.data), "-w", "-t", "60", "restart")
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _dsn(cluster: PostgresCluster, database: str) -> str:
    return f"host=127.0.0.1 port={cluster.port} user=postgres dbname={database}"


def server_cpu(cluster: PostgresCluster) -> float:
    """Return the CPU seconds used so far by the cluster (the postmaster's process tree)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    return cpu_ms([postmaster]) / 1000


def measure(client, cluster, stats, forms: list[dict]) -> dict[str, float]:
    """Return app CPU, server CPU and statements per POST over the forms."""
    stats.execute("SELECT pg_stat_statements_reset()")
    before = stats.execute(STATEMENTS, ("bench",)).fetchone()[0]
    app_began, server_began = time.process_time(), server_cpu(cluster)
    for fields in forms:
        assert client.post("/adukan", data=fields).status_code == 302
    app_ms = (time.process_time() - app_began) * 1000 / len(forms)
    server_ms = (server_cpu(cluster) - server_began) * 1000 / len(forms)
    ran = stats.execute(STATEMENTS, ("bench",)).fetchone()[0] - before
    commits = stats.execute(
        "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d "
        "ON d.oid = s.dbid WHERE d.datname = 'bench' AND s.query ILIKE 'commit%%'").fetchone()[0]
    return {"app CPU ms": app_ms, "server CPU ms": server_ms,
            "statements": ran / len(forms), "COMMITs": commits / len(forms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--root", type=Path, default=BENCH.parent)
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        url = cluster.create_database("bench")
        root = args.root.resolve()
        app = build_app(root, BENCH / ".work" / "public-form-pg" / root.name, url, fresh=False)
        client = app.test_client()
        with psycopg.connect(_dsn(cluster, "bench"), autocommit=True) as stats:
            stats.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            for fields in filled_forms(client, 20, 0):  # warm-up
                client.post("/adukan", data=fields)
            began = time.process_time()
            for _ in range(args.requests):
                client.get("/healthz")
            healthz = (time.process_time() - began) * 1000 / args.requests
            figures = measure(client, cluster, stats, filled_forms(client, args.requests, 100))
        print(f"PostgreSQL, {args.requests} requests ({args.root.resolve()}):")
        print(f"  GET /healthz app CPU ms   {healthz:6.2f}")
        for name, value in figures.items():
            print(f"  POST /adukan {name:13s} {value:6.2f}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()

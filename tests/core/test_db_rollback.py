"""core.db: a rollback keeps psycopg's prepared statements and still undoes everything.

psycopg prepares a statement on a connection after five runs, and its own rollback()
forgets them all; a read-only request ends with a rollback, so without core.db's hook no
statement would ever be prepared on PostgreSQL.
"""

import pytest
from sqlalchemy import create_engine, literal_column, select, text
from sqlalchemy.orm import Session

from complaints.accounts.models import AuditLog
from complaints.extensions import db

pytestmark = pytest.mark.both_db

# The text of the statement names the probe (a bound value would show as $1).
PROBE = select(AuditLog.id).where(AuditLog.action == literal_column("'prepared-probe'"))
RUNS = 7  # psycopg prepares on the fifth run


@pytest.fixture
def engine(ctx):
    """An engine of one connection: every checkout is the same server session."""
    one = create_engine(db.engine.url, pool_size=1, max_overflow=0)
    yield one
    one.dispose()


@pytest.fixture
def pg_engine(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("statements prepared by the driver: psycopg only")
    return engine


def prepared_probes(conn) -> int:
    """Return how many statements of the probe this connection's server session prepared."""
    return conn.scalar(text("SELECT count(*) FROM pg_prepared_statements"
                            " WHERE statement LIKE '%prepared-probe%'"))


def test_read_transactions_ended_by_rollback_keep_the_prepared_statement(pg_engine):
    engine = pg_engine
    with engine.connect() as conn:
        for _ in range(RUNS):
            assert conn.execute(PROBE).all() == []
            conn.rollback()
        assert prepared_probes(conn) == 1  # prepared once, still there, and used again
        conn.rollback()


def test_a_connection_given_back_inside_a_transaction_keeps_them_too(pg_engine):
    engine = pg_engine
    for _ in range(RUNS):
        raw = engine.raw_connection()  # the pool's own rollback on return, not a Connection's
        cursor = raw.cursor()
        cursor.execute(str(PROBE.compile(engine)))
        assert cursor.fetchall() == []
        raw.close()
    with engine.connect() as conn:
        assert prepared_probes(conn) == 1


def test_the_rollback_still_undoes_the_transactions_writes(engine):
    with engine.connect() as conn:
        for i in range(RUNS):
            conn.execute(AuditLog.__table__.insert(), {"username": "budi", "action": f"undone-{i}"})
            conn.rollback()
        assert conn.scalar(select(AuditLog.id).where(AuditLog.action.like("undone-%"))) is None


def test_after_a_failed_transaction_the_connection_works_and_prepares_again(engine):
    postgresql = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        for i in range(RUNS):
            conn.execute(PROBE)
            conn.execute(AuditLog.__table__.insert(), {"username": "budi", "action": f"failed-{i}"})
            if i == RUNS // 2:
                with pytest.raises(Exception, match="no_such_table"):
                    conn.execute(text("SELECT * FROM no_such_table"))
            conn.rollback()  # after the error: the driver's own rollback (its cache cleared)
        for _ in range(RUNS):
            assert conn.execute(PROBE).all() == []
            conn.rollback()
        assert conn.scalar(select(AuditLog.id).where(AuditLog.action.like("failed-%"))) is None
        if postgresql:
            assert prepared_probes(conn) == 1
        conn.rollback()


def test_a_session_closed_after_reading_ends_the_same_way(pg_engine):
    for _ in range(RUNS):
        with Session(pg_engine) as session:  # closed as at the end of every request
            assert session.execute(PROBE).all() == []
    with Session(pg_engine) as session:
        assert prepared_probes(session.connection()) == 1

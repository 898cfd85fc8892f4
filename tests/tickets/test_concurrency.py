"""Concurrent creation through the one intake service: unique, gapless numbers, no failures.

Runs on a file-based SQLite database and on PostgreSQL (see tests/conftest.py).
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections import defaultdict

from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import Channel, Complaint, ComplaintEvent
from tests.support.concurrency import create_in_process

THREADS = 8
PER_THREAD = 25
PROCESSES = 4
PER_PROCESS = 25


def _run_threads(app, count: int, work) -> list[str]:
    """Run work(i) in `count` threads started together; return the tracebacks of failures."""
    errors: list[str] = []
    barrier = threading.Barrier(count)

    def target(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                work(i)
            except Exception:  # noqa: BLE001 - reported below
                errors.append(traceback.format_exc())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


def _assert_register_is_sound(app, expected: int) -> None:
    """Numbers unique and gapless 1..N per year; one 'created' event per complaint."""
    with app.app_context():
        rows = db.session.execute(db.select(Complaint.id, Complaint.year, Complaint.seq,
                                            Complaint.number)).all()
        assert len(rows) == expected
        assert len({r.number for r in rows}) == expected
        per_year = defaultdict(list)
        for row in rows:
            per_year[row.year].append(row.seq)
        for seqs in per_year.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))
        created = db.session.execute(
            db.select(ComplaintEvent.complaint_id, db.func.count())
            .where(ComplaintEvent.kind == "created")
            .group_by(ComplaintEvent.complaint_id)
        ).all()
        assert dict(created) == {r.id: 1 for r in rows}
        db.session.remove()


def test_many_threads_create_complaints_at_once(app):
    def work(i: int) -> None:
        for n in range(PER_THREAD):
            create_complaint(IntakeRecord(channel=Channel.WEB, body=f"thread {i} no {n}"))
            db.session.remove()

    errors = _run_threads(app, THREADS, work)
    assert not errors, errors[0]
    _assert_register_is_sound(app, THREADS * PER_THREAD)


def test_several_processes_create_complaints_at_once(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    errors = spawn.Queue()
    processes = [
        spawn.Process(target=create_in_process,
                      args=(url, str(tmp_path / f"p{i}"), PER_PROCESS, f"process {i}", barrier,
                            errors))
        for i in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=90)
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    assert errors.empty(), errors.get()
    _assert_register_is_sound(app, PROCESSES * PER_PROCESS)


def test_the_same_source_key_at_once_makes_one_complaint(app):
    results = []

    def work(i: int) -> None:
        record = IntakeRecord(channel=Channel.EMAIL, body=f"copy {i}",
                              source_key="<same-message@example.org>")
        result = create_complaint(record)
        results.append((result.created, result.complaint.id))

    errors = _run_threads(app, 4, work)
    assert not errors, errors[0]
    assert sorted(created for created, _ in results) == [False, False, False, True]
    assert len({cid for _, cid in results}) == 1
    _assert_register_is_sound(app, 1)

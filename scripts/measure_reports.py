"""Measure the monthly report at scale on a throwaway PostgreSQL (not part of the test suite).

    .venv/bin/python scripts/measure_reports.py 100000 1000000

For each size: bulk-load the complaints (on top of the previous size), ANALYZE, then compile
last month's figures, approve it (freezing the month's register) and export the XLSX,
printing wall time, the Python allocation peak (tracemalloc) and the process's max RSS.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from complaints import create_app  # noqa: E402
from complaints.extensions import db  # noqa: E402
from tests.support.postgres import PostgresCluster, find_bindir  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, fn, trace: bool = True):
    if not trace:  # tracemalloc slows pure-Python loops several times: time only
        started = time.perf_counter()
        result = fn()
        print(f"  {label:<28} {time.perf_counter() - started:8.2f} s   "
              f"max RSS {rss_mb():7.1f} MB", flush=True)
        return result
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<28} {seconds:8.2f} s   peak alloc {peak / 2**20:7.1f} MB   "
          f"max RSS {rss_mb():7.1f} MB", flush=True)
    return result


def breakdown(now, cal) -> None:
    """Print the time of each part of the compilation."""
    from datetime import timedelta

    from complaints.reports import figures as f

    start, end = f.month_bounds(2026, 10, cal.tz)
    offset = timedelta(hours=7)
    for name, fn in (("tables", lambda: f.tables(start, end)),
                     ("answered in month", lambda: f.answered_in(start, end)),
                     ("closed in month", lambda: f.closed_in(start, end)),
                     ("timeliness + percentiles", lambda: f.timeliness(start, end, cal, offset)),
                     ("overdue", lambda: f.overdue(end, now, cal)),
                     ("satisfaction", lambda: f.satisfaction(start, end)),
                     ("12-month trend", lambda: f.trend(2026, 10, cal.tz))):
        started = time.perf_counter()
        fn()
        print(f"    {name:<26} {time.perf_counter() - started:6.2f} s", flush=True)


def main(sizes: list[int]) -> None:
    bindir = find_bindir()
    assert bindir, "no PostgreSQL binaries"
    cluster = PostgresCluster(bindir)
    cluster.start()
    tmp = Path(tempfile.mkdtemp(prefix="measure-reports-"))
    try:
        url = cluster.create_database("measure")
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": str(tmp),
                                     "UPLOAD_DIR": str(tmp / "up"),
                                     "OUTBOX_LOG": str(tmp / "outbox.log")})
        with app.app_context():
            run(app, sizes)
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(app, sizes: list[int]) -> None:
    from complaints.accounts.models import Position, User
    from complaints.accounts.service import create_user
    from complaints.core import clock
    from complaints.core.seed import seed_reference
    from complaints.reports import exports, service
    from complaints.reports.bulk import bulk_load
    from complaints.reports.figures import compile_figures
    from complaints.reports.models import MonthlyReport
    from complaints.tickets.models import Complaint
    from complaints.workflow.calendar_service import work_calendar

    db.create_all()
    seed_reference()
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    reg = create_user("m_reg", "Registrar", "password-123", positions=[(Position.REGISTRAR, None)])
    sek = create_user("m_sek", "Sekretaris", "password-123",
                      positions=[(Position.SEKRETARIS, None)])
    reg_id, sek_id = reg.id, sek.id
    loaded = 0
    for size in sizes:
        print(f"== {size} complaints", flush=True)
        measure(f"bulk-load +{size - loaded}",
                lambda n=size - loaded, s=size: bulk_load(n, work_calendar(), "ADU", seed=s),
                trace=False)
        loaded = size
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        start, end = (datetime(2026, 9, 30, 17, tzinfo=UTC), datetime(2026, 10, 31, 17, tzinfo=UTC))
        month = db.session.scalar(select(func.count(Complaint.id)).where(
            Complaint.received_at >= start, Complaint.received_at < end))
        print(f"  in October 2026: {month} complaints", flush=True)
        measure("compile figures (Oct)", lambda: compile_figures(2026, 10, clock.now(),
                                                                 work_calendar()))
        breakdown(clock.now(), work_calendar())
        for old in db.session.scalars(select(MonthlyReport)):
            db.session.execute(text("DELETE FROM report_register_row"))
            db.session.execute(text("DELETE FROM report_note"))
            db.session.execute(text("DELETE FROM report_version"))
            db.session.delete(old)
        db.session.commit()
        registrar = db.session.get(User, reg_id)
        report = measure("compile draft",
                         lambda r=registrar: service.compile_report(2026, 10, r))
        report_id = report.id
        service.submit(report_id, db.session.get(User, reg_id))
        measure("approve (freeze register)",
                lambda rid=report_id: service.approve(rid, db.session.get(User, sek_id)))
        with app.test_request_context():
            version = service.get_report(report_id).current
            sekretaris = db.session.get(User, sek_id)
            assert sekretaris is not None
            measure("XLSX export (frozen)",
                    lambda v=version, u=sekretaris: exports.write_xlsx(v, u).close())
        db.session.remove()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000])

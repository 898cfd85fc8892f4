"""The public submission quota on SQLite and PostgreSQL: exact under concurrency, one commit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from complaints.core import clock
from complaints.core.ratelimit import RateLimitCounter
from complaints.extensions import db
from complaints.intake.service import IntakeError, IntakeRecord
from complaints.public import quota, service
from complaints.tickets.models import Channel, Complaint
from tests.public.test_views import form
from tests.support.statements import recorded

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits(app):
    app.config.update(RATELIMIT_ENABLED=True, PUBLIC_SUBMIT_LIMIT_IP="3 per hour",
                      PUBLIC_SUBMIT_LIMIT_CONTACT="2 per hour")
    yield
    clock.set_now(None)


def record(n: int = 0, body: str = "Izin saya belum terbit sejak lama.") -> IntakeRecord:
    return IntakeRecord(channel=Channel.WEB, body=body, complainant_name="Siti",
                        complainant_email=f"p{n}@example.org")


def counters(n: int = 0, ip: str = "10.0.0.1", phone: str = "0812-3456"):
    return quota.counters("public.complain", ip, f" P{n}@Example.org ", phone)


def counts() -> list[tuple[str, int]]:
    """Return (kind, count) of every counter row: kind is ip, email or phone."""
    db.session.rollback()
    return sorted((key.split(":")[0].removeprefix("LIMITER/"), n) for key, n in
                  db.session.execute(select(RateLimitCounter.key, RateLimitCounter.count)))


def complaints() -> int:
    return db.session.scalar(select(func.count()).select_from(Complaint))


def test_counters_are_pseudonymous_in_the_former_key_format_and_skip_empty_keys(ctx):
    ip, email, phone = counters()
    assert ip.key.startswith("LIMITER/ip:") and ip.key.endswith("/public.complain/3/1/hour")
    assert email.key.startswith("LIMITER/email:") and email.limit.amount == 2
    assert "10.0.0.1" not in ip.key and "example" not in email.key and "3456" not in phone.key
    assert email.key == quota.counters("public.complain", "", "p0@example.org", None)[0].key
    assert phone.key == quota.counters("public.complain", "", "", "08123456")[0].key
    assert quota.counters("api.file_complaint", "10.0.0.1", "", "")[0].key != ip.key
    ctx.config["RATELIMIT_ENABLED"] = False
    assert quota.counters("public.complain", "10.0.0.1", "a@b.org", "0812") == ()
    quota.check(())
    quota.hit(())


def test_a_submission_counts_in_its_own_commit_and_check_refuses_at_the_limit(ctx):
    clock.set_now(NOW)
    for _ in range(2):
        quota.check(counters())
        service.submit(record(), quota=counters())
    assert counts() == [("email", 2), ("ip", 2), ("phone", 2)] and complaints() == 2
    with pytest.raises(quota.QuotaExceeded) as refused:
        quota.check(counters())
    assert refused.value.code == 429 and refused.value.description == "2 per 1 hour"
    with pytest.raises(quota.QuotaExceeded):  # another address and email, the same phone
        quota.check(counters(1, ip="10.0.0.2"))
    quota.check(quota.counters("public.complain", "10.0.0.2", "p1@example.org", ""))
    clock.set_now(NOW + timedelta(minutes=59))
    with pytest.raises(quota.QuotaExceeded):
        quota.check(counters())
    clock.set_now(NOW + timedelta(hours=1, seconds=1))  # the window is over: a new one
    quota.check(counters())
    service.submit(record(), quota=counters())
    assert counts() == [("email", 1), ("ip", 1), ("phone", 1)]


def test_a_failed_or_refused_submission_counts_nothing(ctx):
    with pytest.raises(IntakeError):
        service.submit(record(body="   "), quota=counters())
    assert counts() == [] and complaints() == 0
    for n in range(3):
        service.submit(record(n), quota=quota.counters("public.complain", "10.0.0.1", f"{n}@x.org",
                                                       None))
    with pytest.raises(quota.QuotaExceeded):  # the address's fourth, past the check
        service.submit(record(9), quota=counters(9))
    assert complaints() == 3
    # the refused one's email and phone are not counted
    assert counts() == [("email", 1), ("email", 1), ("email", 1), ("ip", 3)]


def test_the_hit_is_one_statement_in_the_complaints_transaction(ctx):
    with recorded(db.engine) as statements:
        service.submit(record(), quota=counters())
    seen = [s.split()[0] if "rate_limit_counter" in s else "complaint"
            for s in statements
            if "rate_limit_counter" in s or s.startswith("INSERT INTO complaint ")]
    assert seen == ["INSERT", "complaint"]


def test_the_check_is_one_statement_in_autocommit(ctx, backend, monkeypatch):
    if backend != "sqlite":
        pytest.skip("counted with SQLite's statement trace")
    monkeypatch.setattr(quota, "PURGE_CHANCE", 0.0)
    seen: list[str] = []

    def trace(dbapi_connection, record, proxy):
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(db.engine, "checkout", trace)
    try:
        quota.check(counters())
    finally:
        event.remove(db.engine, "checkout", trace)
    assert [s.split()[0] for s in seen if "SELECT 1" not in s] == ["SELECT"]


def test_long_expired_counters_are_purged_now_and_then(ctx, monkeypatch):
    clock.set_now(NOW)
    service.submit(record(1), quota=counters(1))
    clock.set_now(NOW + timedelta(hours=3))
    monkeypatch.setattr(quota, "PURGE_CHANCE", 1.0)
    quota.check(counters(2, ip="10.0.0.9"))
    monkeypatch.setattr(quota, "PURGE_CHANCE", 0.0)
    service.submit(record(2), quota=counters(2, ip="10.0.0.9"))
    # the first submission's counters are gone: the phone's row is a new one
    assert counts() == [("email", 1), ("ip", 1), ("phone", 1)]


def _race(app, submissions: int) -> list[object]:
    """Submit from one address in threads that all passed the check before any counted."""
    barrier, outcomes = threading.Barrier(submissions), []

    def submit(n: int) -> None:
        with app.app_context():
            try:
                quota.check(counters(n, phone=""))
                barrier.wait(30)
                outcomes.append(service.submit(record(n), quota=counters(n, phone="")))
            except BaseException as exc:  # noqa: BLE001 - examined below
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(submissions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


def test_concurrent_submissions_from_one_address_stop_exactly_at_the_limit(app):
    outcomes = _race(app, 8)
    refused = [o for o in outcomes if isinstance(o, quota.QuotaExceeded)]
    filed = [o for o in outcomes if isinstance(o, service.Submission)]
    assert (len(filed), len(refused), len(outcomes)) == (3, 5, 8), outcomes
    with app.app_context():
        assert complaints() == 3
        assert counts() == [("email", 1)] * 3 + [("ip", 3)]


def test_concurrent_posts_to_the_form_get_the_limit_exactly_and_never_an_error(app):
    answers: list[int] = []

    def post(n: int) -> None:
        data = form(complainant_email=f"p{n}@example.org")
        answers.append(app.test_client().post("/adukan", data=data).status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(answers) == [302] * 3 + [429] * 5
    with app.app_context():
        assert complaints() == 3 and ("ip", 3) in counts()

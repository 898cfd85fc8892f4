"""Accounts rules: login, lockout, sessions, positions (Plt., dates), audit (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from complaints.accounts import service
from complaints.accounts.models import AuditLog, Position, User
from complaints.accounts.permissions import Perm, divisions_of, perms_of, positions_of
from complaints.core import clock
from complaints.extensions import db
from tests.conftest import PASSWORD

T0 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB


@pytest.fixture
def frozen():
    """Freeze the clock at T0; the test moves it with clock.set_now()."""
    clock.set_now(T0)
    yield
    clock.set_now(None)


def _actions(username: str | None = None) -> list[str]:
    query = db.select(AuditLog.action).order_by(AuditLog.id)
    if username:
        query = query.where(AuditLog.username == username)
    return list(db.session.scalars(query))


def _user(username: str) -> User:
    db.session.expire_all()
    return service.user_by_username(username)


def test_login_with_the_right_password_is_audited(ctx, factory):
    factory.user("siti", positions=[("loket", None)])
    result = service.authenticate("  SITI ", PASSWORD)
    assert result.user is not None and result.error is None
    assert _user("siti").last_login_at is not None
    assert _actions("siti") == ["login"]


def test_wrong_password_and_unknown_user_are_refused_and_audited(ctx, factory):
    factory.user("siti")
    assert service.authenticate("siti", "wrong-password").error == "invalid"
    assert service.authenticate("nobody", PASSWORD).error == "invalid"
    assert _user("siti").failed_logins == 1
    rows = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "login_failed")).all()
    assert [(r.username, r.detail["reason"]) for r in rows] == [
        ("siti", "bad password"), ("nobody", "unknown user")]


def test_lockout_after_max_failures_and_unlock_after_the_lockout(app, ctx, factory, frozen):
    factory.user("siti")
    failures = app.config["LOGIN_MAX_FAILURES"]
    minutes = app.config["LOGIN_LOCKOUT_MINUTES"]
    for _ in range(failures - 1):
        assert service.authenticate("siti", "wrong-password").error == "invalid"
    assert "account_locked" not in _actions("siti")
    assert service.authenticate("siti", "wrong-password").error == "invalid"
    assert _actions("siti").count("account_locked") == 1
    assert _user("siti").locked_until == T0 + timedelta(minutes=minutes)
    # Even the right password is refused while locked.
    assert service.authenticate("siti", PASSWORD).error == "locked"
    clock.set_now(T0 + timedelta(minutes=minutes) - timedelta(seconds=1))
    assert service.authenticate("siti", PASSWORD).error == "locked"
    clock.set_now(T0 + timedelta(minutes=minutes))
    assert service.authenticate("siti", PASSWORD).user is not None
    user = _user("siti")
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_good_login_resets_the_failure_count(ctx, factory):
    factory.user("siti")
    service.authenticate("siti", "wrong-password")
    service.authenticate("siti", PASSWORD)
    assert _user("siti").failed_logins == 0


def test_inactive_user_is_refused(ctx, factory):
    user = factory.user("siti")
    service.update_user(user.id, full_name="Siti", email=None, phone=None, nip=None,
                        active=False)
    assert service.authenticate("siti", PASSWORD).error == "inactive"
    assert _actions("siti")[-1] == "login_failed"


def test_session_id_stops_working_after_password_change_and_deactivation(ctx, factory):
    user = factory.user("siti")
    old_id = user.get_id()
    assert service.load_user(old_id).id == user.id
    assert service.load_user(f"{user.id}:forged") is None
    assert service.load_user("garbage") is None
    service.set_password(user.id, "a-new-password")
    assert service.load_user(old_id) is None
    new_id = _user("siti").get_id()
    assert service.load_user(new_id) is not None
    service.update_user(user.id, full_name="Siti", email=None, phone=None, nip=None,
                        active=False)
    assert service.load_user(new_id) is None


def test_set_password_unlocks_the_account(ctx, factory, frozen):
    user = factory.user("siti")
    for _ in range(5):
        service.authenticate("siti", "wrong-password")
    assert service.authenticate("siti", PASSWORD).error == "locked"
    service.set_password(user.id, "another-password")
    assert service.authenticate("siti", "another-password").user is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "at least"),
        ({"username": "  "}, "required"),
        ({"positions": [(Position.KABID, None)]}, "needs a division"),
        ({"positions": [(Position.HANDLER, "nowhere")]}, "Unknown division"),
    ],
)
def test_create_user_refuses_bad_input(ctx, kwargs, message):
    data = {"username": "budi", "full_name": "Budi", "password": PASSWORD, **kwargs}
    with force_locale("en"), pytest.raises(service.AccountError, match=message):
        service.create_user(data.pop("username"), data.pop("full_name"), data.pop("password"),
                            **data)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_usernames_are_unique_whatever_the_case(ctx, factory):
    factory.user("budi")
    with force_locale("en"), pytest.raises(service.AccountError, match="taken"):
        service.create_user("BUDI", "Budi Dua", PASSWORD)


def test_acting_position_gives_its_permissions(ctx, factory):
    user = factory.user("andi", positions=[("handler", "perizinan")])
    service.assign_position(user.id, Position.KABID, "perizinan", acting=True)
    user = _user("andi")
    assert positions_of(user) == {Position.HANDLER, Position.KABID}
    assert Perm.REGISTER in perms_of(user)
    assert len(divisions_of(user)) == 1
    assert any(a.acting for a in user.assignments)


def test_positions_count_only_between_their_dates(ctx, factory, frozen):
    user = factory.user("andi")
    today = date(2026, 11, 23)
    service.assign_position(user.id, Position.SEKRETARIS, acting=True,
                            starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=7))
    service.assign_position(user.id, Position.REGISTRAR, ends_on=today - timedelta(days=1))
    service.assign_position(user.id, Position.LOKET, starts_on=today, ends_on=today)
    user = _user("andi")
    assert positions_of(user) == {Position.LOKET}
    clock.set_now(T0 + timedelta(days=1))
    assert positions_of(user) == {Position.SEKRETARIS}
    clock.set_now(T0 + timedelta(days=8))
    assert positions_of(user) == set()
    with force_locale("en"), pytest.raises(service.AccountError, match="before the start"):
        service.assign_position(user.id, Position.KADIS, starts_on=today,
                                ends_on=today - timedelta(days=1))


def test_position_dates_are_days_of_the_office_not_of_utc(ctx, factory):
    user = factory.user("andi")
    service.assign_position(user.id, Position.LOKET, ends_on=date(2026, 11, 23))
    user = _user("andi")
    try:
        # 23 November 18:00 UTC is already 24 November 01:00 in Pekanbaru (WIB).
        clock.set_now(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
        assert positions_of(user) == set()
        clock.set_now(datetime(2026, 11, 23, 16, 59, tzinfo=UTC))
        assert positions_of(user) == {Position.LOKET}
    finally:
        clock.set_now(None)


def test_removing_a_position_takes_its_permissions_away(ctx, factory):
    user = factory.user("andi", positions=[("registrar", None)])
    service.remove_assignment(user.assignments[0].id)
    assert positions_of(_user("andi")) == set()
    assert _actions()[-1] == "position_removed"
    with pytest.raises(service.AccountError):
        service.remove_assignment(999999)


def test_users_with_position_lists_current_active_holders(ctx, factory):
    factory.user("a1", positions=[("handler", "perizinan")], full_name="Ani")
    gone = factory.user("a2", positions=[("handler", "perizinan")], full_name="Bob")
    factory.user("a3", positions=[("kabid", "perizinan")])
    service.update_user(gone.id, full_name="Bob", email=None, phone=None, nip=None,
                        active=False)
    names = [u.username for u in service.users_with_position(Position.HANDLER)]
    assert names == ["a1"]


def test_upsert_division_creates_then_renames(ctx):
    division = service.upsert_division(" Baru ", "Bidang Baru")
    assert division.code == "baru"
    again = service.upsert_division("baru", "Bidang Baru Sekali", active=False)
    assert again.id == division.id and again.name == "Bidang Baru Sekali" and not again.active
    with pytest.raises(service.AccountError):
        service.upsert_division("", "x")

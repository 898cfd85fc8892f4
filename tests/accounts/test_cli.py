"""`flask users ...` through the CLI runner, and the production start-up check."""

from __future__ import annotations

import pytest

from complaints import create_app
from complaints.accounts import service
from complaints.accounts.permissions import positions_of
from complaints.extensions import db
from config import DEFAULT_SECRET, check_production


def _user(app, username):
    with app.app_context():
        user = service.user_by_username(username)
        positions = positions_of(user) if user else None
        return user, positions


def test_create_list_set_password_assign_deactivate(app, runner):
    result = runner.invoke(args=["users", "create", "budi", "--name", "Budi Santoso",
                                 "--position", "handler:perizinan", "--password", "password-123"])
    assert result.exit_code == 0, result.output
    user, positions = _user(app, "budi")
    assert {p.value for p in positions} == {"handler"}

    result = runner.invoke(args=["users", "list"])
    assert "budi" in result.output and "handler:perizinan" in result.output

    result = runner.invoke(args=["users", "set-password", "budi", "--password", "password-456"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert service.authenticate("budi", "password-456").user is not None

    result = runner.invoke(args=["users", "assign", "budi", "kabid:perizinan", "--acting",
                                 "--until", "2099-12-31"])
    assert result.exit_code == 0, result.output
    assert "kabid:perizinan (Plt.)" in runner.invoke(args=["users", "list"]).output
    assert {p.value for p in _user(app, "budi")[1]} == {"handler", "kabid"}

    result = runner.invoke(args=["users", "deactivate", "budi"])
    assert result.exit_code == 0, result.output
    assert "[inactive]" in runner.invoke(args=["users", "list"]).output
    with app.app_context():
        assert service.authenticate("budi", "password-456").error == "inactive"


@pytest.mark.parametrize(
    "args",
    [
        ["users", "create", "x", "--name", "X", "--position", "boss", "--password", "password-1"],
        ["users", "create", "x", "--name", "X", "--position", "kabid", "--password", "password-1"],
        ["users", "create", "x", "--name", "X", "--password", "short"],
        ["users", "set-password", "nobody", "--password", "password-123"],
        ["users", "assign", "nobody", "loket"],
        ["users", "deactivate", "nobody"],
    ],
)
def test_bad_commands_fail_with_a_message_and_change_nothing(app, runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert result.output.strip()
    with app.app_context():
        assert service.user_by_username("x") is None
        db.session.remove()


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": DEFAULT_SECRET})
    problems = check_production({"SECRET_KEY": "short"})
    assert any("SECRET_KEY" in p for p in problems)
    assert any("DATABASE_URL" in p for p in problems)


def test_production_starts_with_real_secrets(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    secret = "s" * 48
    assert check_production({"SECRET_KEY": secret}) == []
    app = create_app("production", {"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": url})
    assert app.config["SESSION_COOKIE_SECURE"] is True

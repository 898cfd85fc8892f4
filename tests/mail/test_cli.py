"""flask mail ingest (the pipe from a mail server) and flask outbox: exit codes and output."""

from __future__ import annotations

import pytest

from complaints.extensions import db
from complaints.mail.models import InboundMail
from tests.support.mailfixtures import eml

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_pipe_takes_a_message_and_a_redelivery_once(app, runner):
    first = runner.invoke(args=["mail", "ingest"], input=eml("01"))
    again = runner.invoke(args=["mail", "ingest"], input=eml("01"))
    assert (first.exit_code, again.exit_code) == (0, 0), first.output
    assert "ticket" in first.output and "duplicate" in again.output
    with app.app_context():
        assert db.session.query(InboundMail).count() == 1


def test_pipe_quarantines_garbage_with_exit_0(app, runner):
    result = runner.invoke(args=["mail", "ingest"], input=eml("18"))
    assert result.exit_code == 0 and "quarantined unparseable" in result.output


def test_pipe_asks_the_mail_server_to_retry_on_a_temporary_failure(app, runner, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.config["MAIL_RAW_DIR"] = str(blocker / "mail")
    result = runner.invoke(args=["mail", "ingest"], input=eml("01"))
    assert result.exit_code == 75, result.output
    with app.app_context():
        assert db.session.query(InboundMail).count() == 0


def test_outbox_commands(app, runner):
    runner.invoke(args=["mail", "ingest"], input=eml("01"))
    listed = runner.invoke(args=["outbox", "list"])
    assert "acknowledgement" in listed.output and "pending" in listed.output
    sent = runner.invoke(args=["outbox", "send"])
    assert "sent 1" in sent.output
    assert "no failed" in runner.invoke(args=["outbox", "retry", "1"]).output
    assert "ticket=1" in runner.invoke(args=["mail", "quarantine"]).output


def test_pipe_exits_75_when_the_database_is_down(tmp_path):
    from complaints import create_app
    from tests.support.mailservers import free_port

    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://x:y@127.0.0.1:{free_port()}/none",
        "INSTANCE_DIR": str(tmp_path), "OUTBOX_LOG": str(tmp_path / "outbox.log")})
    result = app.test_cli_runner().invoke(args=["mail", "ingest"], input=eml("01"))
    assert result.exit_code == 75 and "temporary failure" in result.output

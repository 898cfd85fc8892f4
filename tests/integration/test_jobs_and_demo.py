"""The scheduler table carries the outbox, IMAP and upload jobs; the demo shows receipts;
`flask twilio simulate` takes the webhook's path and its acknowledgement reaches the log."""

from __future__ import annotations

import pytest

from complaints.core.seed import seed_demo
from complaints.notifications.senders import read_log
from complaints.tickets.models import Channel
from tests.integration.helpers import outbox_rows

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_jobs_list_shows_the_wired_jobs(runner):
    output = runner.invoke(args=["jobs", "list"]).output
    for name, every in (("send_outbox", "0:01:00"), ("poll_imap", "0:02:00"),
                        ("purge_held_uploads", "1:00:00")):
        line = next(line for line in output.splitlines() if line.startswith(name))
        assert every in line


def test_jobs_run_send_outbox_sends(app, runner, factory):
    complaint, _code = factory.complaint(channel=Channel.WEB, complainant_email="a@contoh.id",
                                         acknowledge=True)
    result = runner.invoke(args=["jobs", "run", "send_outbox"])
    assert result.exit_code == 0 and "send_outbox: ok" in result.output
    (entry,) = read_log(app.config["OUTBOX_LOG"])
    assert entry["kind"] == "acknowledgement" and entry["complaint_id"] == complaint.id


def test_poll_imap_is_a_no_op_without_a_mailbox(runner):
    result = runner.invoke(args=["jobs", "run", "poll_imap"])
    assert result.exit_code == 0 and "poll_imap: ok" in result.output


def test_demo_outbox_log_shows_acknowledgements(ctx):
    seed_demo()
    entries = read_log(ctx.config["OUTBOX_LOG"], limit=100)
    kinds = {(e["channel"], e["kind"]) for e in entries}
    assert ("email", "acknowledgement") in kinds and ("sms", "acknowledgement") in kinds
    seed_demo()  # reseeding sends nothing twice
    assert len(read_log(ctx.config["OUTBOX_LOG"], limit=100)) == len(entries)


def test_twilio_simulate_acknowledges_through_the_outbox(app, runner):
    result = runner.invoke(args=["twilio", "simulate", "--from", "081234567890", "--body",
                                 "Izin saya belum selesai"])
    assert result.exit_code == 0 and "created" in result.output
    with app.app_context():
        (ack,) = outbox_rows()
        assert (ack.channel.value, ack.kind, ack.recipient) == (
            "sms", "acknowledgement", "+6281234567890")
    runner.invoke(args=["jobs", "run", "send_outbox"])
    (entry,) = read_log(app.config["OUTBOX_LOG"])
    assert entry["channel"] == "sms" and "Kode akses" in entry["body"]


def test_twilio_post_sends_a_signed_request_to_the_running_webhook(tmp_path):
    from tests.messaging.helpers import live_server, twilio_app

    with twilio_app("sqlite", tmp_path / "live", PUBLIC_BASE_URL="https://pengaduan.example.id"
                    ) as application, live_server(application) as base:
        runner = application.test_cli_runner()
        result = runner.invoke(args=["twilio", "post", "--url", base, "--from", "081234567890",
                                     "--body", "Izin saya belum selesai"])
        assert result.output.startswith("200"), result.output
        with application.app_context():
            (ack,) = outbox_rows()
            assert (ack.channel.value, ack.kind) == ("sms", "acknowledgement")

"""Two instances pointed at each other exchange at most one acknowledgement each way."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.mail.ingest import ingest
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage
from tests.conftest import make_app

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _instance(tmp_path, name, port):
    address = f"pengaduan@{name}.example"
    return address, make_app("sqlite", tmp_path / name, MAIL_DEFAULT_SENDER=address,
                             OFFICE_EMAIL=address, MAIL_INBOX_NAME=address,
                             MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                             OUTBOX_LOG=str(tmp_path / name / "outbox.log"))


def test_two_instances_pointed_at_each_other_do_not_loop(tmp_path, smtp_sink):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    addr_a, app_a = _instance(tmp_path, "a", smtp_sink.port)
    addr_b, app_b = _instance(tmp_path, "b", smtp_sink.port)
    apps = {addr_a: app_a, addr_b: app_b}
    # Someone (or something) at B's address writes to A: A tickets it and acknowledges.
    first = (f"From: {addr_b}\nTo: {addr_a}\nSubject: Halo\nMessage-ID: <start@b.example>\n"
             "\nIni pesan pertama yang ditulis orang.\n").encode()
    with app_a.app_context():
        ingest(first)
    delivered = 0
    for _round in range(6):  # pump: each instance sends, the sink hands mail to the other
        for app in apps.values():
            with app.app_context():
                send_outbox()
        for message in smtp_sink.messages[delivered:]:
            for rcpt in message["to"]:
                with apps[rcpt].app_context():
                    ingest(message["data"])
        delivered = len(smtp_sink.messages)
    acks = {}
    for address, app in apps.items():
        with app.app_context():
            acks[address] = db.session.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.kind == "acknowledgement"))
            db.session.remove()
    assert acks[addr_a] <= 1 and acks[addr_b] <= 1
    assert len(smtp_sink.messages) == sum(acks.values())

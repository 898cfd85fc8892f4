"""Attachment files follow their transaction: kept on commit, deleted on rollback; the sweep."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from complaints import scheduler
from complaints.core import files
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets import attachments
from complaints.tickets.models import Attachment, Channel, Complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(name: str = "scan.png") -> attachments.Upload:
    return attachments.Upload(name, PNG, "image/png")


def _store() -> Path:
    complaint = db.session.scalars(select(Complaint)).first()
    return attachments.path_of(attachments.store(complaint, _upload(), None))


def _stored_files(app) -> set[str]:
    return {p.name for p in attachments.upload_dir().iterdir()}


@pytest.fixture
def complaint_ctx(ctx, factory):
    factory.complaint()
    return ctx


def test_a_rollback_after_store_leaves_no_file(complaint_ctx):
    with pytest.raises(RuntimeError), write_transaction():
        path = _store()
        assert path.exists()
        raise RuntimeError("something later in the transaction failed")
    assert not path.exists()
    assert files.pending_paths(db.session()) == []


def test_a_commit_keeps_the_file(complaint_ctx):
    with write_transaction():
        path = _store()
    assert path.exists()
    db.session.rollback()  # a later rollback of another transaction deletes nothing
    assert path.exists()
    assert db.session.scalar(select(Attachment.stored_name)
                             .where(Attachment.stored_name == path.name)) == path.name


def test_a_failed_commit_deletes_the_file(complaint_ctx):
    with write_transaction():
        kept = _store()
    with pytest.raises(Exception), write_transaction():  # noqa: B017, PT011 - any DB error
        path = _store()
        db.session.flush()
        db.session.add(Attachment(complaint_id=1, stored_name=kept.name, original_name="x",
                                  content_type="image/png", size=1, sha256="0" * 64))
    assert not path.exists() and kept.exists()


def test_savepoints_delete_only_their_own_files(complaint_ctx):
    with write_transaction():
        outer = _store()
        with pytest.raises(RuntimeError), db.session.begin_nested():
            inner = _store()
            raise RuntimeError("the savepoint rolls back")
        assert not inner.exists() and outer.exists()
        with db.session.begin_nested():
            released = _store()
    assert outer.exists() and released.exists()
    with pytest.raises(RuntimeError), write_transaction():
        with db.session.begin_nested():
            later = _store()
        raise RuntimeError("the outer transaction rolls back after the savepoint")
    assert not later.exists()


def test_a_session_closed_without_commit_deletes_the_file(complaint_ctx):
    path = _store()
    db.session.remove()
    assert not path.exists()


def test_a_complaint_filed_inside_a_failing_transaction_leaves_no_file(complaint_ctx, app):
    before = _stored_files(app)
    record = IntakeRecord(channel=Channel.WEB, body="Izin belum terbit", uploads=[_upload()])
    with pytest.raises(RuntimeError), write_transaction():
        create_complaint(record)  # joins the outer transaction: its own commit comes later
        assert len(_stored_files(app)) == len(before) + 1
        raise RuntimeError("the caller fails after the complaint was built")
    assert _stored_files(app) == before
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def _age(path: Path, hours: float) -> None:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_the_sweep_removes_true_orphans_only(complaint_ctx, app):
    with write_transaction():
        described = _store()
    folder = attachments.upload_dir()
    old_orphan = folder / ("a" * 32 + ".pdf")
    young_orphan = folder / ("b" * 32 + ".png")
    foreign = folder / "README.txt"
    for path in (old_orphan, young_orphan, foreign):
        path.write_bytes(b"x")
    (folder / ("c" * 32 + ".bin")).mkdir()  # not a file: left alone
    for path in (described, old_orphan, foreign, folder / ("c" * 32 + ".bin")):
        _age(path, 25)
    _age(young_orphan, 23)  # within the 24-hour grace period
    assert attachments.sweep_orphans() == [old_orphan.name]
    assert {described.name, young_orphan.name, foreign.name} <= _stored_files(app)
    assert old_orphan.name not in _stored_files(app)
    app.config["ATTACHMENT_ORPHAN_GRACE_HOURS"] = 1
    assert attachments.sweep_orphans(batch=1) == [young_orphan.name]
    assert described.exists()


def test_the_sweep_is_a_scheduled_job(complaint_ctx, app):
    orphan = attachments.upload_dir() / ("d" * 32 + ".jpg")
    orphan.write_bytes(b"x")
    _age(orphan, 48)
    job = scheduler.job_named("sweep_orphan_files")
    assert scheduler.run_job(app, job, manual=True) == "ok"
    assert not orphan.exists()

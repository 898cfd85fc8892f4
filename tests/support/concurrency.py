"""Workers for the concurrency tests (top-level so that spawned processes can import them)."""

from __future__ import annotations

import traceback


def create_in_process(url: str, instance_dir: str, count: int, tag: str, barrier,
                      errors) -> None:
    """Build an app on the database, wait for the others, create `count` complaints.

    Every failure is put on the `errors` queue as a traceback.
    """
    from complaints import create_app
    from complaints.extensions import db
    from complaints.intake.service import IntakeRecord, create_complaint
    from complaints.tickets.models import Channel

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": instance_dir,
                                 "UPLOAD_DIR": f"{instance_dir}/uploads"})
    with app.app_context():
        db.session.execute(db.select(1))  # connect before the start line
        db.session.remove()
        barrier.wait(timeout=60)
        for n in range(count):
            try:
                create_complaint(IntakeRecord(channel=Channel.WEB, body=f"{tag} {n}"))
            except Exception:  # noqa: BLE001 - every failure is reported to the test
                errors.put(traceback.format_exc())
            db.session.remove()
        db.engine.dispose()

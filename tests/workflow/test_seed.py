"""The demo has complaints waiting for triage and each weight at work; reseeding adds none."""

from __future__ import annotations

from sqlalchemy import func, select

from complaints.core.seed import seed_demo
from complaints.extensions import db
from complaints.tickets.models import Complaint, Status, Weight
from complaints.workflow.models import Coordination, KeywordRule


def test_demo_workflow_complaints_are_idempotent(ctx):
    seed_demo()
    count = db.session.scalar(select(func.count(Complaint.id)))
    seed_demo()
    assert db.session.scalar(select(func.count(Complaint.id))) == count
    demo = {c.source_key: c for c in db.session.scalars(
        select(Complaint).where(Complaint.source_key.like("demo-wf-%")))}
    assert demo["demo-wf-1"].status == Status.RECEIVED
    assert demo["demo-wf-2"].status == Status.REGISTERED
    assert (demo["demo-wf-3"].status, demo["demo-wf-3"].weight) == (Status.ANSWERED,
                                                                    Weight.RINGAN)
    assert (demo["demo-wf-5"].status, demo["demo-wf-5"].weight) == (Status.IN_COORDINATION,
                                                                    Weight.SEDANG)
    assert demo["demo-wf-6"].weight == Weight.BERAT
    assert db.session.scalar(select(Coordination.complaint_id)) == demo["demo-wf-6"].id
    assert db.session.scalar(select(KeywordRule.id).where(KeywordRule.keyword == "pungli"))

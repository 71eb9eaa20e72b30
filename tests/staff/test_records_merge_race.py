"""Two staff members merging the same repair records at the same moment merge them once: the
submission is re-read under its row lock and its status checked in the same transaction."""

from __future__ import annotations

import copy
import threading

from disputes.audit import AuditEvent
from disputes.auth import services as auth_services
from disputes.auth.models import Role, User
from disputes.business import records_services
from disputes.business.records import RepairRecordSubmission
from disputes.cases import services as case_services
from disputes.cases.models import Case
from disputes.db import db
from tests.support.data import CASE_FACTS

THREADS = 4
VISIT = {"problem": "P1", "start": "2024-08-10", "end": "2024-08-12", "odometer_km": 7000}


def _user(role: Role, n: int) -> User:
    return auth_services.create_user(
        auth_services.UserData(f"用户{n}", "secret123", role, email=f"race{n}@example.test"),
        enforce_policy=False,
    )


def test_records_merged_by_two_at_once_are_merged_once(threaded_app):
    app = threaded_app
    with app.app_context():
        staff_ids = [_user(Role.staff, n).id for n in range(THREADS)]
        case = case_services.create_case(_user(Role.consumer, 99), copy.deepcopy(CASE_FACTS))
        submission = records_services.submit_records(case, [dict(VISIT)], "", [], case.consumer)
        db.session.commit()
        case_id, submission_id = case.id, submission.id
    barrier = threading.Barrier(THREADS)
    results: list[str] = []

    def merge(staff_id: int) -> None:
        with app.app_context():
            actor = db.session.get(User, staff_id)
            records = db.session.get(RepairRecordSubmission, submission_id)
            barrier.wait()
            try:
                records_services.merge_records(records, actor)
                db.session.commit()
                results.append("merged")
            except records_services.AlreadyDecided:
                db.session.rollback()
                results.append("already")

    threads = [threading.Thread(target=merge, args=(i,)) for i in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["already"] * (THREADS - 1) + ["merged"]
    with app.app_context():
        assert len(db.session.get(Case, case_id).repair_events) == 2
        merged = db.select(db.func.count()).where(AuditEvent.action == "case.records_merged")
        assert db.session.scalar(merged) == 1

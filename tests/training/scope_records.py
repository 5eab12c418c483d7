"""One record of each routed training model outside 青山县 (tests/test_out_of_scope.py)."""

from datetime import date
from decimal import Decimal

from training import services
from training.choices import BatchStatus
from training.models import (
    Attendance,
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)

from .factories import enrol, make_base, make_batch, make_expert, make_service

PARENT_ARGUMENTS = {"batch_pk": TrainingBatch}


def foreign_records(tree, users, records) -> dict:
    from members.models import Member

    member = records[Member]
    batch = make_batch(tree.b, title="白河县贫困党员培训班", start=date(2026, 3, 2), status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, member)
    topic = services.topic_save(actor=None, batch=batch, title="白河县养殖技术", direction="agriculture", hours=4)
    session = services.session_save(actor=None, batch=batch, held_on=date(2026, 3, 3), topic=topic)
    attendance = services.attendance_record(actor=None, session=session, marks={enrolment.pk: "present"})[0]
    cost = services.budget_item_add(
        actor=None,
        batch=batch,
        category="board",
        item="白河县食宿",
        amount=Decimal("1234.56"),
        spent_on=date(2026, 3, 5),
    )
    expert = make_expert(tree.b, name="白河县专家")
    base = make_base(tree.b1v, name="白河县示范园区")
    visit = services.base_visit_record(
        actor=None, base=base, visited_on=date(2026, 3, 4), content="白河县观摩", members=[member]
    )
    return {
        TrainingBatch: batch,
        Enrolment: enrolment,
        CurriculumTopic: topic,
        TrainingSession: session,
        Attendance: attendance,
        BatchBudgetItem: cost,
        Expert: expert,
        ExpertService: make_service(expert, [member], place="白河县李家湾村"),
        PracticeBase: base,
        BaseVisit: visit,
    }

"""Training records built through the real services."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from training import services
from training.choices import BatchStatus, Department, Grade, ServiceKind

_sequence = itertools.count(1)


def make_batch(region, *, actor=None, start=date(2026, 3, 2), days=10, capacity=30, status=None, **fields):
    values = {
        "title": fields.pop("title", f"贫困党员培训班{next(_sequence)}"),
        "period_number": fields.pop("period_number", next(_sequence)),
        "region": region,
        "start_date": start,
        "end_date": start + timedelta(days=days - 1),
        "place": "市农村党员干部培训学校",
        "capacity": capacity,
    }
    values.update(fields)
    batch = services.batch_create(actor=actor, **values)
    order = [BatchStatus.ENROLLING, BatchStatus.RUNNING, BatchStatus.FINISHED]
    if status and status != BatchStatus.PLANNED:
        for step in order[: order.index(status) + 1]:
            batch = services.batch_advance(actor=actor, batch=batch, to_status=step)
    return batch


def enrol(batch, member, *, actor=None, admit=True, recommended_by=None):
    enrolment = services.enrolment_recommend(actor=recommended_by or actor, batch=batch, member=member)
    if admit:
        enrolment = services.enrolment_admit(actor=actor, enrolment=enrolment)
    return enrolment


def complete(enrolment, *, actor=None, grade=Grade.GOOD, score=Decimal("85")):
    return services.enrolment_assess(
        actor=actor,
        enrolment=enrolment,
        grade=grade,
        score=score,
        certificate_number="" if grade == Grade.FAIL else f"HL-{next(_sequence):05d}",
    )


def make_expert(region, *, actor=None, **fields):
    values = {
        "name": fields.pop("name", f"专家{next(_sequence)}"),
        "department": Department.AGRICULTURE,
        "specialty": "果树栽培",
        "region": region,
    }
    values.update(fields)
    return services.expert_create(actor=actor, **values)


def make_service(expert, members, *, actor=None, served_on=date(2026, 4, 1), **fields):
    values = {
        "expert": expert,
        "kind": ServiceKind.ON_SITE,
        "served_on": served_on,
        "place": "张庄村果园",
        "content": "修剪指导",
    }
    values.update(fields)
    return services.expert_service_record(actor=actor, members=members, **values)


def make_base(region, *, actor=None, **fields):
    values = {
        "name": fields.pop("name", f"示范园区{next(_sequence)}"),
        "kind": "science_park",
        "region": region,
        "plaque_date": date(2025, 5, 1),
        "learnable": "设施蔬菜种植",
    }
    values.update(fields)
    return services.practice_base_create(actor=actor, **values)

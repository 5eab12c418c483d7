"""Projects built through the real services, up to the stage a test needs."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from projects import services
from projects.choices import ParticipantRole, ProjectStatus
from tests.members.factories import make_member

STAGES = [
    ProjectStatus.PROPOSED,
    ProjectStatus.REVIEWING,
    ProjectStatus.APPROVED,
    ProjectStatus.RUNNING,
    ProjectStatus.CLOSED,
]

PARTICIPANTS = [
    {"role": ParticipantRole.WORK_TEAM, "name": "王队长", "unit": "驻村工作队"},
    {"role": ParticipantRole.EXPERT, "name": "刘专家", "unit": "市农科院"},
]


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def make_project(member=None, *, village=None, stage=ProjectStatus.PROPOSED, actor=None, **fields):
    """A project of ``member`` (or a new member of ``village``) taken to ``stage``."""
    member = member or make_member(village)
    values = {
        "direction": "agriculture",
        "title": "肉牛养殖",
        "description": "养殖肉牛10头，租用村集体闲置圈舍。",
        "budget": Decimal("30000.00"),
        "expected_income": Decimal("12000.00"),
        "proposed_on": days_ago(200),
    }
    values.update(fields)
    project = services.project_propose(actor=actor, member=member, **values)
    if stage == ProjectStatus.REFUSED:
        return services.project_refuse(actor=actor, project=project, reason="市场容量不足", decided_on=days_ago(180))
    if stage == ProjectStatus.PROPOSED:
        return project
    services.review_record(
        actor=actor,
        project=project,
        conclusion="feasible",
        opinion="技术成熟，市场稳定。",
        participants=PARTICIPANTS,
        reviewed_on=days_ago(190),
    )
    project.refresh_from_db()
    if stage == ProjectStatus.REVIEWING:
        return project
    project = services.project_approve(actor=actor, project=project, decided_on=days_ago(185))
    if stage == ProjectStatus.APPROVED:
        return project
    project = services.project_start(actor=actor, project=project, started_on=days_ago(180))
    if stage == ProjectStatus.RUNNING:
        return project
    if stage == ProjectStatus.FAILED:
        return services.project_close(actor=actor, project=project, outcome="failed", failure_reason="牛病死亡")
    return services.project_close(
        actor=actor, project=project, outcome="closed", income_earned=Decimal("15000"), jobs_created=2
    )

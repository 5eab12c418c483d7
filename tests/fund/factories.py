"""Fund records built through the real services."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from fund import services
from fund.choices import ApplicationKind, Source
from projects.choices import ProjectStatus
from tests.members.factories import make_member
from tests.projects.factories import make_project

STAGES = ["draft", "submitted", "reviewed", "approved", "paid"]


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def make_fund(region, actor=None):
    return services.fund_create(actor=actor, region=region)


def receive(fund, amount, *, actor, source=Source.PARTY_DUES, day=None, **extra):
    if source == Source.DONATION:
        extra.setdefault("donor_name", "捐款党员")
    if source == Source.FISCAL:
        extra.setdefault("budget_document", "河财预〔2026〕8号")
    return services.receipt_record(
        actor=actor, fund=fund, date=day or days_ago(30), amount=Decimal(amount), source=source, **extra
    )


def eligible_member(village, **fields):
    """A poor member on the demonstration track with an approved project (training is faked by conftest)."""
    member = make_member(village, **fields)
    project = make_project(member, stage=ProjectStatus.APPROVED)
    return member, project


def guarantee_fields(loan="50000", guaranteed="40000", bank="河洛农商银行青山支行", term=24):
    return {
        "kind": ApplicationKind.GUARANTEE,
        "bank": bank,
        "loan_amount": Decimal(loan),
        "guaranteed_amount": Decimal(guaranteed),
        "term_months": term,
    }


def support_fields(amount="5000", purpose="购买种牛"):
    return {"kind": ApplicationKind.SUPPORT, "amount": Decimal(amount), "purpose": purpose}


def make_application(users, village, *, stage="approved", member=None, project=None, **fields):
    """An application taken through the workflow to ``stage`` by the test accounts; "paid"
    disburses (support) or issues the guarantee (source: party dues)."""
    if member is None:
        member, project = eligible_member(village)
    fields = fields or support_fields()
    application = services.application_create(actor=users.work_team, member=member, project=project, **fields)
    if stage == "draft":
        return application
    application = services.application_submit(actor=users.work_team, application=application)
    if stage == "submitted":
        return application
    application = services.application_review(actor=users.township_staff, application=application, opinion="情况属实")
    if stage == "reviewed":
        return application
    application = services.application_approve(actor=users.county_staff, application=application)
    if stage == "approved":
        return application
    if application.kind == ApplicationKind.SUPPORT:
        services.application_disburse(actor=users.city_staff, application=application, source=Source.PARTY_DUES)
    else:
        services.guarantee_issue(actor=users.city_staff, application=application, source=Source.PARTY_DUES)
    application.refresh_from_db()
    return application

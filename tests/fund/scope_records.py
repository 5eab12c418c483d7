"""Fund records in 白河县 for the out-of-scope walk (tests/test_out_of_scope.py)."""

from unittest import mock

from fund import selectors, services
from fund.models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, FundPolicy, Guarantee
from members.models import Member
from projects.choices import ProjectStatus
from tests.projects.factories import make_project

from .factories import days_ago, guarantee_fields, make_fund, receive, support_fields

# The city's rules apply everywhere.
SHARED_MODELS = {FundPolicy}
PARENT_ARGUMENTS = {"application_pk": FundApplication}


def foreign_records(tree, users, records) -> dict:
    county_b = users.county_b
    member = records[Member]
    project = make_project(member, stage=ProjectStatus.APPROVED, title="白河县养殖")
    fund = make_fund(tree.b)
    receipt = receive(fund, "50000", actor=county_b, reference="白河县党费")

    def approved(fields):
        application = services.application_create(actor=county_b, member=member, project=project, **fields)
        application = services.application_submit(actor=county_b, application=application)
        application = services.application_review(actor=county_b, application=application, opinion="白河县审核")
        return services.application_approve(actor=county_b, application=application)

    # Training records are the training app's; here the member counts as trained.
    with mock.patch.object(selectors, "_completed_training", return_value=True):
        support = approved(support_fields("3000"))
        services.application_disburse(actor=county_b, application=support, source="party_dues")
        guarantee = services.guarantee_issue(
            actor=county_b, application=approved(guarantee_fields()), source="party_dues"
        )
    inspection = services.inspection_record(
        actor=county_b,
        application=support,
        inspected_on=days_ago(1),
        findings="白河县挪用",
        conclusion="misuse",
        required_action="白河县整改",
        deadline=days_ago(-20),
    )
    support.refresh_from_db()
    return {
        Fund: fund,
        FundEntry: receipt,
        FundApplication: support,
        Guarantee: guarantee,
        FundInspection: inspection,
        FollowUp: inspection.follow_up,
    }

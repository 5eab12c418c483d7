"""Messages for a step taken at the wrong time: the state the application (or its project)
is in, in quotes, and the states the step needs, never a status label where a verb belongs."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fund import services
from projects.choices import ProjectStatus
from tests.projects.factories import make_project

from .factories import eligible_member, make_application, support_fields

pytestmark = pytest.mark.django_db


def test_approving_a_submitted_application_says_it_must_be_reviewed_first(city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="submitted")
    with pytest.raises(ValidationError) as caught:
        services.application_approve(actor=users.county_staff, application=application)
    assert caught.value.messages == ["该申请当前状态为“已提交”，只有“已审核”的申请才能批准。"]


def test_refusing_an_approved_application_names_both_states_it_could_be_in(city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="approved")
    with pytest.raises(ValidationError) as caught:
        services.application_refuse(actor=users.county_staff, application=application, reason="x")
    assert caught.value.messages == ["该申请当前状态为“已批准”，只有“已提交”或“已审核”的申请才能决定不予批准。"]


def test_a_refused_project_is_named_by_its_state_not_as_awaiting_approval(city_fund, tree, users):
    member, _project = eligible_member(tree.a1v)
    refused = make_project(member, stage=ProjectStatus.REFUSED, title="蔬菜大棚")
    with pytest.raises(ValidationError) as caught:
        services.application_create(actor=users.work_team, member=member, project=refused, **support_fields())
    assert caught.value.message_dict["project"] == [
        "所选致富项目当前状态为“未通过”，只有“已批准”或“实施中”的项目才能申请基金；请选择其他项目。"
    ]


def test_the_approve_page_shows_the_message_of_the_service(client, city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="submitted")
    client.force_login(users.county_staff)
    response = client.post(reverse("fund:application_approve", args=[application.pk]), {"confirm": "on"})
    page = response.content.decode()
    assert "只有“已审核”的申请才能批准" in page
    assert "才能已批准" not in page

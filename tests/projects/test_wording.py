"""Messages for a step taken at the wrong time: the state the project is in, in quotes,
and the states the step needs, never a status label where a verb belongs."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.choices import ProjectStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_approving_a_running_project_says_its_state_and_what_approval_needs(tree):
    running = make_project(village=tree.a1v, stage=ProjectStatus.RUNNING)
    with pytest.raises(ValidationError) as caught:
        services.project_approve(actor=None, project=running)
    assert caught.value.messages == ["该项目当前状态为“实施中”，只有“论证中”的项目才能批准。"]


def test_two_allowed_states_read_as_one_or_the_other(tree):
    refused = make_project(village=tree.a1v, stage=ProjectStatus.REFUSED)
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=None, project=refused, title="改名")
    assert caught.value.messages == ["该项目当前状态为“未通过”，只有“提出”或“论证中”的项目才能修改。"]


def test_the_edit_page_of_a_decided_project_says_the_same(county_client, tree):
    approved = make_project(village=tree.a1v, stage=ProjectStatus.APPROVED)
    response = county_client.get(reverse("projects:project_edit", args=[approved.pk]), follow=True)
    page = response.content.decode()
    assert "该项目当前状态为“已批准”，只有“提出”或“论证中”的项目才能修改。" in page
    assert "项目已已批准" not in page

"""Every reports list page answers in a fixed number of queries, whatever the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import BulletinJob
from tests.organization.factories import PartyOrganizationFactory

from .factories import make_plan, make_programme

pytestmark = pytest.mark.django_db
LISTS = ["plan_list", "bulletin_list", "admonition_list", "commendation_list", "evaluation_list", "programme_list"]


def add_first(tree):
    for region in (tree.a,):
        make_plan(region, year=2024, out=1)
        BulletinJob.objects.create(year=2024, region=region, state="done")
        admonition = services.admonition_save(
            actor=None, year=2025, region=region, person_name=f"责任人{region.pk}", reason="未完成"
        )
        services.admonition_confirm(actor=None, admonition=admonition)
        services.admonition_record_talk(
            actor=None,
            admonition=admonition,
            talked_on=timezone.localdate(),
            talked_by="市委组织部",
            explanation="说明",
        )
        services.rectification_file(
            actor=None, admonition=admonition, measures="整改", deadline=timezone.localdate() + timedelta(days=9)
        )
        services.commendation_propose(
            actor=None, year=2025, kind="person", region=region, name=f"先进{region.pk}", reason="事迹"
        )
        organization = PartyOrganizationFactory(region=region, name=f"党组织{region.pk}")
        services.evaluation_create(
            actor=None, year=2025, subject_kind="party_organization", party_organization=organization
        )


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_do_not_grow_with_their_rows(client, users, tree, name, django_assert_max_num_queries):
    make_programme()
    client.force_login(users.city_staff)
    url = reverse(f"reports:{name}")
    add_first(tree)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_more(tree)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def add_more(tree):
    for index, region in enumerate((tree.a1, tree.b, tree.b1)):
        make_plan(region, year=2025, out=1)
        if region.level == "county":
            BulletinJob.objects.create(year=2025, region=region, state="done")
        admonition = services.admonition_save(
            actor=None, year=2026, region=region, person_name=f"另一人{index}", reason="未完成"
        )
        services.admonition_confirm(actor=None, admonition=admonition)
        services.commendation_propose(
            actor=None, year=2026, kind="person", region=region, name=f"另一先进{index}", reason="事迹"
        )
        organization = PartyOrganizationFactory(region=region, name=f"另一党组织{index}")
        services.evaluation_create(
            actor=None, year=2025, subject_kind="party_organization", party_organization=organization
        )

"""What each role may do in training (training.roles), and the expert's member jurisdiction."""

from datetime import date

import pytest
from django.urls import reverse

from members.models import Member
from tests.members.factories import make_member
from training import services
from training.choices import BatchStatus

from .factories import enrol, make_base, make_batch, make_expert, make_service

pytestmark = pytest.mark.django_db

MODELS = [
    "trainingbatch",
    "curriculumtopic",
    "trainingsession",
    "attendance",
    "enrolment",
    "batchbudgetitem",
    "expert",
    "expertservice",
    "practicebase",
    "basevisit",
]


def can(user, action, model):
    return user.has_perm(f"training.{action}_{model}")


@pytest.mark.parametrize("role", ["city_staff", "county_staff", "township_staff", "admin"])
def test_staff_run_training(users, role):
    user = getattr(users, role)
    for model in MODELS:
        assert can(user, "view", model)
        assert can(user, "add", model)
        assert can(user, "change", model)


def test_work_team_recommends_and_reads(users):
    team = users.work_team
    assert can(team, "add", "enrolment")
    assert not can(team, "change", "enrolment")
    assert not can(team, "view", "batchbudgetitem")
    for model in ("trainingbatch", "expert", "expertservice", "practicebase", "basevisit"):
        assert can(team, "view", model)
        assert not can(team, "add", model)


@pytest.mark.parametrize("role", ["leader", "cadre"])
def test_leaders_and_cadres_read_only(users, role):
    user = getattr(users, role)
    assert can(user, "view", "trainingbatch")
    assert not any(can(user, action, model) for model in MODELS for action in ("add", "change", "delete"))


def test_expert_records_services_only(users):
    expert = users.expert
    assert can(expert, "add", "expertservice")
    assert can(expert, "change", "expertservice")
    assert not can(expert, "change", "trainingbatch")
    assert not can(expert, "add", "enrolment")
    assert not can(expert, "view", "batchbudgetitem")
    assert expert.has_perm("members.view_member")
    assert not expert.has_perm("members.change_member")


def test_expert_reads_demonstration_members_files_in_its_region(client, tree, users):
    demo = make_member(tree.b1v, name="示范党员")
    other = make_member(tree.a1v, name="待定党员", labour_capacity="weak")
    client.force_login(users.expert)
    assert client.get(demo.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert list(Member.objects.visible_to(users.expert)) == [demo]


def test_enterprise_sees_batches_and_bases_but_no_rosters(client, tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v, name="学员甲"))
    make_base(tree.a1v)
    client.force_login(users.enterprise)
    body = client.get(batch.get_absolute_url()).content.decode()
    assert "学员甲" not in body
    assert client.get(reverse("training:batch_roster_export", args=[batch.pk])).status_code == 403
    assert client.get(reverse("training:base_list")).status_code == 200
    assert client.get(reverse("training:service_list")).status_code == 403


def test_member_file_section_keeps_a_fixed_number_of_queries(county_client, tree, django_assert_max_num_queries):
    member = make_member(tree.a1v)
    url = member.get_absolute_url()
    county_client.get(url)
    with django_assert_max_num_queries(40) as first:
        county_client.get(url)
    expert = make_expert(tree.city)
    for day in range(1, 6):
        batch = make_batch(tree.city, start=date(2026, 1, day * 5), days=2, status=BatchStatus.ENROLLING)
        enrol(batch, member)
        make_service(expert, [member])
        services.base_visit_record(
            actor=None, base=make_base(tree.a1v), visited_on=date(2026, 3, day), content="观摩", members=[member]
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = county_client.get(url).content.decode()
    assert body.count("示范园区") >= 5

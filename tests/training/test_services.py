"""The training rules, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from tests.members.factories import make_member
from tests.organization.factories import make_user
from training import selectors, services
from training.choices import AttendanceStatus, BatchStatus, EnrolmentStatus, Grade
from training.models import Attendance, BaseVisit, BatchBudgetItem, Enrolment, ExpertService, TrainingBatch

from .factories import complete, enrol, make_base, make_batch, make_expert, make_service

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- batches -------------------------------------------------------------------------------


def test_batch_dates_in_wrong_order_are_refused_and_nothing_saved(tree, users):
    with pytest.raises(ValidationError) as error:
        services.batch_create(
            actor=users.city_staff,
            title="第一期",
            period_number=1,
            region=tree.city,
            start_date=date(2026, 3, 10),
            end_date=date(2026, 3, 1),
            place="培训学校",
            capacity=30,
        )
    assert "结业日期不能早于开班日期" in error.value.message_dict["end_date"][0]
    assert not TrainingBatch.objects.exists()


def test_county_staff_cannot_run_a_batch_of_the_city_or_another_county(tree, users):
    with pytest.raises(ValidationError) as error:
        make_batch(tree.b, actor=users.county_staff)
    assert "管辖范围" in error.value.message_dict["region"][0]
    batch = make_batch(tree.a, actor=users.county_staff)
    assert batch.region == tree.a


def test_batch_status_moves_forward_only(tree, users):
    batch = make_batch(tree.city, actor=users.city_staff)
    with pytest.raises(ValidationError):
        services.batch_advance(actor=users.city_staff, batch=batch, to_status=BatchStatus.RUNNING)
    batch = services.batch_advance(actor=users.city_staff, batch=batch, to_status=BatchStatus.ENROLLING)
    assert batch.status == BatchStatus.ENROLLING


def test_batch_cannot_finish_with_unassessed_trainees(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v))
    batch = services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.FINISHED)
    assert "未录入结业考核" in messages(error.value)


def test_capacity_cannot_drop_below_admitted(tree):
    batch = make_batch(tree.city, capacity=2, status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v))
    enrol(batch, make_member(tree.a1v))
    with pytest.raises(ValidationError) as error:
        services.batch_update(actor=None, batch=batch, capacity=1)
    assert "已录取2人" in error.value.message_dict["capacity"][0]


# --- recommendation and admission -------------------------------------------------------------


def test_work_team_recommends_a_member_of_its_village(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrolment = services.enrolment_recommend(actor=users.work_team, batch=batch, member=member, reason="想学养殖")
    assert enrolment.status == EnrolmentStatus.RECOMMENDED
    assert enrolment.recommended_by == users.work_team
    assert enrolment.recommending_village == tree.a1v


def test_work_team_cannot_recommend_a_member_outside_its_jurisdiction(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    other_village = make_member(tree.a1c)  # same township, another community
    other_county = make_member(tree.b1v)
    for member in (other_village, other_county):
        with pytest.raises(ValidationError) as error:
            services.enrolment_recommend(actor=users.work_team, batch=batch, member=member)
        assert "只能推荐您管辖范围内的党员" in error.value.message_dict["member"][0]
    assert not Enrolment.objects.exists()


def test_work_team_cannot_recommend_to_another_countys_batch(tree, users):
    batch = make_batch(tree.b, status=BatchStatus.ENROLLING)
    with pytest.raises(ValidationError) as error:
        services.enrolment_recommend(actor=users.work_team, batch=batch, member=make_member(tree.a1v))
    assert "batch" in error.value.message_dict


def test_only_demonstration_track_members_can_enrol(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    undecided = make_member(tree.a1v, labour_capacity="weak")
    relief = make_member(tree.a1v, born=date(1950, 1, 1), has_living_source=False)
    assert {undecided.track, relief.track} == {"undecided", "relief"}
    for member in (undecided, relief):
        with pytest.raises(ValidationError) as error:
            services.enrolment_recommend(actor=users.work_team, batch=batch, member=member)
        assert "只有脱困示范行动的党员可以参加培训" in error.value.message_dict["member"][0]
    assert not Enrolment.objects.exists()


def test_track_is_checked_again_at_admission(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrolment = services.enrolment_recommend(actor=users.work_team, batch=batch, member=member)
    Member.objects.filter(pk=member.pk).update(track="relief")
    with pytest.raises(ValidationError):
        services.enrolment_admit(actor=users.city_staff, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.RECOMMENDED


def test_a_member_is_recommended_once_per_batch(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    services.enrolment_recommend(actor=users.work_team, batch=batch, member=member)
    with pytest.raises(ValidationError) as error:
        services.enrolment_recommend(actor=users.county_staff, batch=batch, member=member)
    assert "已在本期培训班名单中" in messages(error.value)


def test_admission_up_to_capacity(tree, users):
    batch = make_batch(tree.city, capacity=2, status=BatchStatus.ENROLLING)
    enrolments = [
        services.enrolment_recommend(actor=users.work_team, batch=batch, member=make_member(tree.a1v)) for _ in range(3)
    ]
    services.enrolment_admit(actor=users.city_staff, enrolment=enrolments[0])
    services.enrolment_admit(actor=users.city_staff, enrolment=enrolments[1])
    with pytest.raises(ValidationError) as error:
        services.enrolment_admit(actor=users.city_staff, enrolment=enrolments[2])
    assert "已满员" in messages(error.value)
    enrolments[2].refresh_from_db()
    assert enrolments[2].status == EnrolmentStatus.RECOMMENDED
    assert batch.enrolments.filter(status=EnrolmentStatus.ADMITTED).count() == 2


def test_dropping_out_frees_no_seat_but_failed_and_completed_keep_theirs(tree):
    batch = make_batch(tree.city, capacity=1, status=BatchStatus.ENROLLING)
    first = enrol(batch, make_member(tree.a1v))
    services.enrolment_drop(actor=None, enrolment=first, note="外出务工")
    second = enrol(batch, make_member(tree.a1v))  # the seat was freed
    assert second.status == EnrolmentStatus.ADMITTED


def test_only_the_running_region_admits(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = services.enrolment_recommend(actor=users.work_team, batch=batch, member=make_member(tree.a1v))
    for actor in (users.county_staff, users.work_team):
        with pytest.raises(ValidationError) as error:
            services.enrolment_admit(actor=actor, enrolment=enrolment)
        assert "主办单位" in messages(error.value)


def test_a_member_cannot_be_in_two_batches_at_the_same_time(tree):
    first = make_batch(tree.city, start=date(2026, 3, 1), days=10, status=BatchStatus.ENROLLING)
    overlapping = make_batch(tree.a, start=date(2026, 3, 8), days=5, status=BatchStatus.ENROLLING)
    later = make_batch(tree.city, start=date(2026, 4, 1), days=5, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrol(first, member)
    with pytest.raises(ValidationError) as error:
        enrol(overlapping, member)
    assert "不能同时参加两期培训" in messages(error.value)
    assert not overlapping.enrolments.exists()
    assert enrol(later, member).status == EnrolmentStatus.ADMITTED


def test_recommended_to_two_overlapping_batches_only_one_admission(tree):
    first = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    second = make_batch(tree.a, start=date(2026, 3, 3), status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    a = enrol(first, member, admit=False)
    b = enrol(second, member, admit=False)
    services.enrolment_admit(actor=None, enrolment=a)
    with pytest.raises(ValidationError):
        services.enrolment_admit(actor=None, enrolment=b)


def test_moving_batch_dates_onto_another_batch_of_a_trainee_is_refused(tree):
    first = make_batch(tree.city, start=date(2026, 3, 1), days=5, status=BatchStatus.ENROLLING)
    second = make_batch(tree.city, start=date(2026, 4, 1), days=5, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrol(first, member)
    enrol(second, member)
    with pytest.raises(ValidationError):
        services.batch_update(actor=None, batch=second, start_date=date(2026, 3, 3), end_date=date(2026, 3, 8))
    second.refresh_from_db()
    assert second.start_date == date(2026, 4, 1)


def test_recommendation_closes_when_the_batch_runs(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.enrolment_recommend(actor=users.work_team, batch=batch, member=make_member(tree.a1v))
    assert "当前状态为“培训中”，只有“计划中”或“报名中”的培训班才能推荐学员" in messages(error.value)


def test_decline_needs_a_reason(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v), admit=False)
    with pytest.raises(ValidationError):
        services.enrolment_decline(actor=users.city_staff, enrolment=enrolment, note=" ")
    enrolment = services.enrolment_decline(actor=users.city_staff, enrolment=enrolment, note="名额已满")
    assert enrolment.status == EnrolmentStatus.DECLINED


# --- assessment, key assistance targets ----------------------------------------------------------


def test_completion_makes_a_key_assistance_target_of_the_recommending_work_team(tree, users):
    batch = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrolment = enrol(batch, member, actor=users.city_staff, recommended_by=users.work_team)
    assert not selectors.member_has_completed_training(member)
    services.batch_advance(actor=users.city_staff, batch=batch, to_status=BatchStatus.RUNNING)
    enrolment = services.enrolment_assess(
        actor=users.city_staff,
        enrolment=enrolment,
        grade=Grade.EXCELLENT,
        score=Decimal("92.5"),
        certificate_number="HL2026-001",
        completed_on=date(2026, 3, 10),
    )
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.key_target_since == date(2026, 3, 10)
    assert selectors.member_has_completed_training(member)
    assert list(selectors.completed_member_ids()) == [member.pk]
    target = selectors.key_assistance_targets().get()
    assert (target.member, target.recommended_by) == (member, users.work_team)


def test_a_failed_assessment_completes_nothing(tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrolment = enrol(batch, member)
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.enrolment_assess(actor=None, enrolment=enrolment, grade=Grade.FAIL, certificate_number="X1")
    assert "不发结业证书" in messages(error.value)
    enrolment = complete(enrolment, grade=Grade.FAIL)
    assert enrolment.status == EnrolmentStatus.FAILED
    assert not selectors.member_has_completed_training(member)
    assert not selectors.key_assistance_targets().exists()


def test_assessment_waits_for_the_batch_to_run_and_needs_a_certificate(tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v))
    with pytest.raises(ValidationError):
        complete(enrolment)
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.enrolment_assess(actor=None, enrolment=enrolment, grade=Grade.PASS)
    assert "certificate_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.enrolment_assess(
            actor=None, enrolment=enrolment, grade=Grade.PASS, certificate_number="A1", completed_on=date(2026, 1, 1)
        )
    assert "不能早于开班日期" in error.value.message_dict["completed_on"][0]


def test_certificate_numbers_are_unique(tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    a, b = enrol(batch, make_member(tree.a1v)), enrol(batch, make_member(tree.a1v))
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    services.enrolment_assess(actor=None, enrolment=a, grade=Grade.PASS, certificate_number="C-1")
    with pytest.raises(ValidationError) as error:
        services.enrolment_assess(actor=None, enrolment=b, grade=Grade.PASS, certificate_number="C-1")
    assert "已被使用" in messages(error.value)


# --- attendance ------------------------------------------------------------------------------------


def test_attendance_per_session_for_admitted_trainees_only(tree):
    batch = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    admitted = enrol(batch, make_member(tree.a1v))
    recommended = enrol(batch, make_member(tree.a1v), admit=False)
    session = services.session_save(actor=None, batch=batch, held_on=date(2026, 3, 2), title="政策理论")
    services.attendance_record(actor=None, session=session, marks={admitted.pk: AttendanceStatus.PRESENT})
    services.attendance_record(actor=None, session=session, marks={admitted.pk: AttendanceStatus.LEAVE})
    assert Attendance.objects.get().status == AttendanceStatus.LEAVE
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=None,
            session=session,
            marks={admitted.pk: AttendanceStatus.ABSENT, recommended.pk: AttendanceStatus.PRESENT},
        )
    assert Attendance.objects.get().status == AttendanceStatus.LEAVE  # all or nothing


def test_session_date_within_the_batch(tree):
    batch = make_batch(tree.city, start=date(2026, 3, 1), days=5)
    with pytest.raises(ValidationError) as error:
        services.session_save(actor=None, batch=batch, held_on=date(2026, 3, 9), title="实用技术")
    assert "之内" in error.value.message_dict["held_on"][0]


# --- costs -------------------------------------------------------------------------------------------


def test_costs_add_up_per_year(tree, users):
    b2025 = make_batch(tree.city, start=date(2025, 11, 3))
    b2026 = make_batch(tree.city, start=date(2026, 3, 2))
    county = make_batch(tree.b, start=date(2026, 5, 1))
    for batch, amount, spent_on in [
        (b2025, "12000.50", date(2025, 11, 10)),
        (b2025, "3000.25", date(2025, 12, 1)),
        (b2025, "800.00", date(2026, 1, 5)),  # paid the next year: counts there
        (b2026, "15000.00", date(2026, 3, 12)),
        (county, "999.99", date(2026, 5, 2)),
    ]:
        services.budget_item_add(
            actor=None, batch=batch, category="board", item="食宿", amount=Decimal(amount), spent_on=spent_on
        )
    totals = {row["year"]: row["total"] for row in selectors.budget_totals_by_year(user=users.city_staff)}
    assert totals == {2025: Decimal("15000.75"), 2026: Decimal("16799.99")}
    mine = {row["year"]: row["total"] for row in selectors.budget_totals_by_year(user=users.county_staff)}
    assert mine == {2025: Decimal("15000.75"), 2026: Decimal("15800.00")}  # not 白河县's own batch


def test_a_cost_must_be_positive_and_from_the_running_region(tree, users):
    batch = make_batch(tree.city)
    with pytest.raises(ValidationError) as error:
        services.budget_item_add(
            actor=users.city_staff,
            batch=batch,
            category="board",
            item="食宿",
            amount=Decimal("0"),
            spent_on=date.today(),
        )
    assert "大于0" in error.value.message_dict["amount"][0]
    with pytest.raises(ValidationError):
        services.budget_item_add(
            actor=users.county_staff,
            batch=batch,
            category="board",
            item="食宿",
            amount=Decimal("5"),
            spent_on=date.today(),
        )
    assert not BatchBudgetItem.objects.exists()


# --- experts and services ---------------------------------------------------------------------------


def test_an_expert_service_needs_a_member(tree, users):
    expert = make_expert(tree.city)
    with pytest.raises(ValidationError) as error:
        make_service(expert, [], actor=users.city_staff)
    assert error.value.message_dict["members"] == ["请至少选择一名服务对象（贫困党员）。"]
    assert not ExpertService.objects.exists()


def test_follow_up_due_not_before_the_service(tree, users):
    expert = make_expert(tree.city)
    with pytest.raises(ValidationError) as error:
        make_service(expert, [make_member(tree.a1v)], served_on=date(2026, 4, 1), follow_up_due=date(2026, 3, 1))
    assert "不能早于服务日期" in error.value.message_dict["follow_up_due"][0]
    assert not ExpertService.objects.exists()


def test_expert_account_sees_demonstration_members_of_its_region_only(tree, users):
    demo_a = make_member(tree.a1v)
    demo_b = make_member(tree.b1v)
    make_member(tree.a1v, labour_capacity="weak")  # undecided: not the expert's
    assert set(Member.objects.visible_to(users.expert)) == {demo_a, demo_b}
    county_expert = make_user("expert", tree.a, username="expert_a")
    assert set(Member.objects.visible_to(county_expert)) == {demo_a}


def test_expert_records_own_services_only(tree, users):
    own = make_expert(tree.city, account=users.expert)
    other = make_expert(tree.city)
    member = make_member(tree.a1v)
    service = make_service(own, [member], actor=users.expert)
    assert service.recorded_by == users.expert
    with pytest.raises(ValidationError) as error:
        make_service(other, [member], actor=users.expert)
    assert "本人" in error.value.message_dict["expert"][0]
    theirs = make_service(other, [member], actor=users.city_staff)
    assert set(ExpertService.objects.visible_to(users.expert)) == {service, theirs}
    assert set(ExpertService.objects.visible_to(users.expert, "change")) == {service}


def test_expert_account_must_have_the_expert_role(tree, users):
    with pytest.raises(ValidationError) as error:
        make_expert(tree.city, account=users.county_staff)
    assert "专家服务团专家" in error.value.message_dict["account"][0]


def test_follow_ups_due_and_overdue(tree, users):
    expert = make_expert(tree.city, account=users.expert)
    member = make_member(tree.a1v)
    today = date.today()
    overdue = make_service(expert, [member], served_on=today - timedelta(days=30), follow_up_due=today - timedelta(1))
    due = make_service(expert, [member], served_on=today - timedelta(days=3), follow_up_due=today + timedelta(3))
    make_service(expert, [member], served_on=today, follow_up_due=today + timedelta(60))  # not yet
    assert list(selectors.follow_ups(user=users.expert)) == [overdue, due]
    kinds = [item["kind"] for item in selectors.work_items(users.expert)]
    assert kinds == ["training.follow_up_overdue", "training.follow_up_due"]
    services.follow_up_complete(actor=users.expert, service=overdue, note="长势良好")
    assert list(selectors.follow_ups(user=users.expert)) == [due]
    with pytest.raises(ValidationError):
        services.follow_up_complete(actor=users.expert, service=overdue, note="again")


def test_services_are_seen_by_who_sees_a_member_served(tree, users):
    expert = make_expert(tree.city)
    mine = make_service(expert, [make_member(tree.a1v)])
    foreign = make_service(expert, [make_member(tree.b1v)])
    assert set(ExpertService.objects.visible_to(users.county_staff)) == {mine}
    assert set(ExpertService.objects.visible_to(users.county_b)) == {foreign}


# --- bases and visits ---------------------------------------------------------------------------------


def test_visit_needs_members_and_sensible_dates(tree, users):
    base = make_base(tree.a1v, plaque_date=date(2025, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.base_visit_record(
            actor=users.county_staff, base=base, visited_on=date(2025, 1, 1), content="观摩", members=[]
        )
    assert set(error.value.message_dict) == {"members", "visited_on"}
    batch = make_batch(tree.city, start=date(2026, 3, 1), days=5)
    with pytest.raises(ValidationError) as error:
        services.base_visit_record(
            actor=users.county_staff,
            base=base,
            batch=batch,
            visited_on=date(2026, 4, 1),
            content="观摩",
            members=[make_member(tree.a1v)],
        )
    assert "visited_on" in error.value.message_dict
    assert not BaseVisit.objects.exists()


def test_bases_are_seen_along_their_region_line(tree, users):
    city_base = make_base(tree.city)
    a_base = make_base(tree.a1v)
    b_base = make_base(tree.b1v)
    assert set(type(city_base).objects.visible_to(users.county_staff)) == {city_base, a_base}
    assert set(type(city_base).objects.visible_to(users.work_team)) == {city_base, a_base}
    assert set(type(city_base).objects.visible_to(users.city_staff)) == {city_base, a_base, b_base}
    assert set(type(city_base).objects.visible_to(users.county_staff, "change")) == {a_base}


def test_editing_keeps_the_members_the_editor_cannot_see(tree, users):
    expert = make_expert(tree.city)
    mine, theirs, added = make_member(tree.a1v), make_member(tree.b1v), make_member(tree.a1v)
    service = make_service(expert, [mine, theirs])
    # a 青山县 clerk sees only their own member and replaces them
    services.expert_service_update(actor=users.county_staff, service=service, members=[added], place="村部")
    assert set(service.members.all()) == {added, theirs}
    visit = services.base_visit_record(
        actor=None, base=make_base(tree.city), visited_on=date(2026, 3, 1), content="观摩", members=[mine, theirs]
    )
    services.base_visit_update(actor=users.county_staff, visit=visit, members=[])
    assert set(visit.members.all()) == {theirs}

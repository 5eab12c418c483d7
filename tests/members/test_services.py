"""Rules of the per-person file, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members import idnumbers, services
from members.choices import LabourCapacity, NoticeState, Status, Track
from members.models import HouseholdMember, IdNumberReveal, Member, PovertyExitPlan, StatusChange
from tests.members.factories import id_number, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def end_notice(change):
    """Move a notice into the past, as if its days had run."""
    StatusChange.objects.filter(pk=change.pk).update(
        notice_starts=TODAY - timedelta(days=8), notice_ends=TODAY - timedelta(days=1)
    )


def born_years_ago(years: int, days: int = 0) -> date:
    return date(TODAY.year - years, TODAY.month, min(TODAY.day, 28)) - timedelta(days=days)


# --- registration ------------------------------------------------------------------


def test_birth_date_and_gender_come_from_the_id_number(tree, users):
    member = make_member(tree.a1v, actor=users.county_staff, born=date(1968, 3, 12), female=True)
    assert member.birth_date == date(1968, 3, 12)
    assert member.gender == "female"
    assert member.county == tree.a
    assert member.township == tree.a1
    assert member.is_urban is False


def test_urban_member_follows_the_community(tree):
    assert make_member(tree.a1c).is_urban is True


def test_file_numbers_are_per_county_and_in_sequence(tree):
    first, second = make_member(tree.a1v), make_member(tree.a1c)
    other = make_member(tree.b1v)
    assert (first.file_number, second.file_number) == ("419921-00001", "419921-00002")
    assert other.file_number == "419922-00001"


def test_old_fifteen_digit_number_is_upgraded(tree):
    member = make_member(tree.a1v, id_number="110105491231002")
    assert member.id_number == "11010519491231002X"


def test_lower_case_x_and_full_width_digits_are_normalized(tree):
    member = make_member(tree.a1v, id_number="１１０１０５１９４９１２３１００２ｘ")
    assert member.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "应为18位"),
        ("110105194913310028", "出生日期无效"),
        ("  ", "请填写身份证号码"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(tree, number, message):
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.a1v, id_number=number)
    assert message in str(excinfo.value.message_dict["id_number"])
    assert not Member.objects.exists()


def test_the_same_person_cannot_be_filed_twice(tree):
    number = id_number()
    first = make_member(tree.a1v, id_number=number)
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.b1v, id_number=number.lower())
    assert first.file_number in str(excinfo.value.message_dict["id_number"])


def test_village_must_lie_in_the_jurisdiction(tree, users):
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.b1v, actor=users.county_staff)
    assert "管辖范围" in str(excinfo.value.message_dict["village"])


def test_village_level_is_required(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.a1)
    assert "村（社区）" in str(excinfo.value.message_dict["village"])


def test_derived_fields_cannot_be_typed(tree):
    with pytest.raises(ValidationError):
        make_member(tree.a1v, status=Status.WELL_OFF)


def test_every_change_is_kept_with_who(tree, users):
    member = make_member(tree.a1v, actor=users.county_staff)
    services.member_update(actor=users.township_staff, member=member, phone="13900000000")
    latest = member.history.first()
    assert latest.history_user == users.township_staff
    assert latest.phone == "13900000000"
    assert member.history.count() == 2


# --- routing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "labour", "living", "track"),
    [
        (45, LabourCapacity.ORDINARY, True, Track.DEMONSTRATION),
        (59, LabourCapacity.SKILLED, False, Track.DEMONSTRATION),
        (45, LabourCapacity.WEAK, True, Track.UNDECIDED),
        (45, LabourCapacity.LOST, False, Track.UNDECIDED),
        (60, LabourCapacity.NONE, False, Track.RELIEF),
        (72, LabourCapacity.ORDINARY, False, Track.RELIEF),
        (65, LabourCapacity.ORDINARY, True, Track.UNDECIDED),
    ],
)
def test_routing_rules(age, labour, living, track):
    assert services.route(age=age, labour_capacity=labour, has_living_source=living) == track


def test_track_is_recomputed_when_labour_capacity_changes(tree):
    member = make_member(tree.a1v, born=born_years_ago(40))
    assert member.track == Track.DEMONSTRATION
    services.member_update(actor=None, member=member, labour_capacity=LabourCapacity.LOST)
    assert member.track == Track.UNDECIDED


def test_turning_sixty_moves_a_member_without_living_source_to_relief(tree):
    member = make_member(tree.a1v, born=born_years_ago(60, days=-3), has_living_source=False)
    assert member.age == 59
    assert member.track == Track.DEMONSTRATION
    assert services.member_reroute(member=member, today=TODAY + timedelta(days=5)) is True
    assert member.track == Track.RELIEF


def test_override_needs_a_reason_and_lapses_when_the_facts_change(tree, users):
    member = make_member(tree.a1v, born=born_years_ago(45), labour_capacity=LabourCapacity.WEAK)
    assert member.track == Track.UNDECIDED
    with pytest.raises(ValidationError):
        services.member_decide_track(actor=users.county_staff, member=member, track=Track.DEMONSTRATION, reason=" ")
    services.member_decide_track(
        actor=users.county_staff, member=member, track=Track.DEMONSTRATION, reason="经村评议，可从事养殖"
    )
    assert (member.computed_track, member.track, member.track_is_manual) == (
        Track.UNDECIDED,
        Track.DEMONSTRATION,
        True,
    )
    # an unrelated edit keeps the decision
    services.member_update(actor=None, member=member, phone="13700000000")
    assert member.track == Track.DEMONSTRATION
    # a change the decision did not weigh sends it back to the rule
    services.member_update(actor=None, member=member, labour_capacity=LabourCapacity.ORDINARY)
    assert (member.track, member.track_override_reason) == (Track.DEMONSTRATION, "")
    services.member_update(actor=None, member=member, labour_capacity=LabourCapacity.WEAK)
    assert member.track == Track.UNDECIDED


# --- plans ---------------------------------------------------------------------------


def plan(member, **extra):
    values = {
        "direction": "agriculture",
        "project": "肉牛养殖",
        "measures": "参加养殖技术培训，申请脱困基金资金扶持",
        "income_target": Decimal("6000"),
        "target_year": TODAY.year + 1,
        "responsible_person": "驻村工作队 王队长",
    }
    values.update(extra)
    return services.plan_create(actor=None, member=member, **values)


def test_one_current_plan_and_the_earlier_ones_are_kept(tree):
    member = make_member(tree.a1v)
    first = plan(member)
    second = plan(member, project="蔬菜大棚", direction="agriculture")
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert PovertyExitPlan.objects.filter(member=member).count() == 2


def test_plan_with_bad_values_saves_nothing(tree):
    member = make_member(tree.a1v)
    plan(member)
    with pytest.raises(ValidationError) as excinfo:
        plan(member, income_target=Decimal("-1"), direction="space")
    assert set(excinfo.value.message_dict) >= {"income_target", "direction"}
    assert member.plans.get().is_current


# --- income checks, status and notice ----------------------------------------------


@pytest.fixture
def thresholds():
    services.threshold_set(actor=None, year=2025, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    return services.threshold_set(
        actor=None, year=2026, out_of_poverty=Decimal("4200"), well_off=Decimal("12500"), notice_days=5
    )


def test_thresholds_must_be_ordered():
    with pytest.raises(ValidationError) as excinfo:
        services.threshold_set(actor=None, year=2024, out_of_poverty=Decimal("5000"), well_off=Decimal("4000"))
    assert "小康标准必须高于脱贫标准" in str(excinfo.value)


def test_income_check_needs_the_year_thresholds(tree):
    member = make_member(tree.a1v)
    with pytest.raises(ValidationError) as excinfo:
        services.income_check_record(actor=None, member=member, year=2023, income_per_head=Decimal("5000"))
    assert "2023" in str(excinfo.value)


def test_income_above_the_line_proposes_out_of_poverty_under_notice(tree, thresholds, users):
    member = make_member(tree.a1v)
    services.income_check_record(actor=users.county_staff, member=member, year=2026, income_per_head=Decimal("5200"))
    change = member.status_changes.get()
    member.refresh_from_db()
    assert member.status == Status.POOR  # nothing changes before the notice ends
    assert (change.from_status, change.to_status, change.state) == (Status.POOR, Status.OUT, NoticeState.NOTICING)
    assert change.notice_ends - change.notice_starts == timedelta(days=5)
    assert "5200" in change.reason
    assert "4200" in change.reason


def test_confirmation_waits_for_the_notice_and_for_objections(tree, thresholds, users):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("13000"))
    change = member.status_changes.get()
    with pytest.raises(ValidationError) as excinfo:
        services.status_change_confirm(actor=users.county_staff, status_change=change)
    assert "期满后才能确认" in str(excinfo.value)
    objection = services.objection_record(
        actor=users.work_team, status_change=change, raised_by="村民张某", content="其家中仍有大额医疗欠款"
    )
    end_notice(change)
    with pytest.raises(ValidationError) as excinfo:
        services.status_change_confirm(actor=users.county_staff, status_change=change)
    assert "未核实处理的异议" in str(excinfo.value)
    services.objection_resolve(actor=users.county_staff, objection=objection, resolution="经核实欠款已由医保报销")
    member = services.status_change_confirm(actor=users.county_staff, status_change=change)
    assert member.status == Status.WELL_OFF
    assert member.history.first().history_change_reason == change.reason
    change.refresh_from_db()
    assert change.state == NoticeState.CONFIRMED
    assert change.decided_by == users.county_staff


def test_no_objection_after_the_notice_ends(tree, thresholds):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    with pytest.raises(ValidationError):
        services.objection_record(
            actor=None,
            status_change=change,
            raised_by="某",
            content="迟到的异议",
            raised_on=change.notice_ends + timedelta(1),
        )


def test_falling_back_is_flagged_as_relapse(tree, thresholds, users):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("6000"))
    change = member.status_changes.get()
    end_notice(change)
    services.status_change_confirm(actor=users.county_staff, status_change=change)
    # when: next year's income falls below the line
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("3000"))
    # then
    relapse = member.status_changes.get(state=NoticeState.NOTICING)
    assert relapse.is_relapse
    assert (relapse.from_status, relapse.to_status) == (Status.OUT, Status.POOR)
    end_notice(relapse)
    member = services.status_change_confirm(actor=users.county_staff, status_change=relapse)
    assert member.status == Status.POOR
    assert member.is_relapsed


def test_a_corrected_figure_replaces_the_notice(tree, thresholds):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("5000"))
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("3000"))
    assert member.income_checks.get().income_per_head == Decimal("3000")
    assert member.status_changes.get().state == NoticeState.WITHDRAWN
    assert not member.status_changes.filter(state=NoticeState.NOTICING).exists()


def test_an_older_year_does_not_change_the_status(tree, thresholds):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("3000"))
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("9000"))
    assert not member.status_changes.exists()


def test_withdrawal_needs_a_reason(tree, thresholds, users):
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2026, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    with pytest.raises(ValidationError):
        services.status_change_withdraw(actor=users.county_staff, status_change=change, note="")
    services.status_change_withdraw(actor=users.county_staff, status_change=change, note="收入数据待复核")
    change.refresh_from_db()
    assert change.state == NoticeState.WITHDRAWN


# --- personal data ---------------------------------------------------------------------


def test_masking_keeps_place_and_last_four():
    assert idnumbers.mask("410102198001011234") == "410102********1234"


def test_reveal_is_logged_and_limited_to_roles_that_need_it(tree, users):
    member = make_member(tree.a1v)
    assert services.id_number_reveal(actor=users.county_staff, member=member, purpose="核对") == member.id_number
    reveal = IdNumberReveal.objects.get()
    assert (reveal.user, reveal.member, reveal.purpose) == (users.county_staff, member, "核对")
    with pytest.raises(ValidationError):
        services.id_number_reveal(actor=users.leader, member=member)
    assert IdNumberReveal.objects.count() == 1


def test_household_member_id_is_validated(tree):
    member = make_member(tree.a1v)
    with pytest.raises(ValidationError) as excinfo:
        services.household_member_save(
            actor=None, member=member, relation="spouse", name="李桂兰", id_number="110105194912310021"
        )
    assert "id_number" in excinfo.value.message_dict
    child = services.household_member_save(
        actor=None, member=member, relation="child", name="王小明", id_number=id_number(date(2012, 9, 1))
    )
    assert child.age >= 13


def test_possible_duplicate_needs_confirmation(tree, users):
    born = date(1970, 5, 5)
    first = make_member(tree.a1c, actor=users.county_staff, name="王建国", born=born)
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.a1v, actor=users.county_staff, name="王建国", born=born)
    assert excinfo.value.code == "possible_duplicate"
    assert first.file_number in str(excinfo.value)
    second = make_member(tree.a1v, actor=users.county_staff, name="王建国", born=born, confirm_not_duplicate=True)
    assert second.pk != first.pk


def test_a_clash_outside_the_jurisdiction_is_not_named(tree, users):
    number = id_number()
    other = make_member(tree.b1v, id_number=number)
    with pytest.raises(ValidationError) as excinfo:
        make_member(tree.a1v, actor=users.county_staff, id_number=number)
    message = str(excinfo.value.message_dict["id_number"])
    assert "其他地区" in message
    assert other.file_number not in message
    assert other.name not in message


def test_household_member_delete_keeps_who(tree, users):
    member = make_member(tree.a1v)
    person = services.household_member_save(actor=None, member=member, relation="spouse", name="李桂兰")
    pk = person.pk
    services.household_member_delete(actor=users.county_staff, household_member=person)
    assert not member.household.exists()
    deleted = HouseholdMember.history.filter(id=pk).first()
    assert deleted.history_type == "-"
    assert deleted.history_user == users.county_staff


def test_daily_reroute_moves_those_who_turned_sixty(tree):
    from members.tasks import reroute_members

    turning = make_member(tree.a1v, born=born_years_ago(60, days=1), has_living_source=False)
    young = make_member(tree.a1v, born=born_years_ago(40))
    Member.objects.filter(pk=turning.pk).update(track=Track.DEMONSTRATION, computed_track=Track.DEMONSTRATION)
    assert reroute_members.delay().get() == 1
    turning.refresh_from_db()
    young.refresh_from_db()
    assert turning.track == Track.RELIEF
    assert young.track == Track.DEMONSTRATION
    assert reroute_members.delay().get() == 0


def test_an_unknown_poverty_cause_is_a_message_not_a_crash(tree):
    member = make_member(tree.a1v)
    member.poverty_causes = ["illness", "no_such_cause"]
    with pytest.raises(ValidationError) as caught:
        member.full_clean()
    assert "未知的选项：no_such_cause" in str(caught.value.message_dict["poverty_causes"])

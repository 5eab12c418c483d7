"""The rules of the assistance area, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assistance import selectors, services
from assistance.choices import DifficultyStatus, HelperKind, ReferralStatus, ReliefScheme
from assistance.models import (
    Difficulty,
    Mentor,
    MentorPair,
    Pairing,
    PoorResident,
    VisitNote,
    WelfareReferral,
)
from members import services as member_services
from members.choices import Status, Track
from members.models import Member
from tests.members.factories import id_number, make_member

from .factories import days_ago, make_team, pair

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# --- jurisdiction of helper accounts ------------------------------------------------------------


def test_work_team_sees_the_members_of_its_villages_while_stationed(world, users, tree):
    visible = set(Member.objects.visible_to(users.work_team))
    assert visible == {world.zhang, world.zhang2, world.old}
    # the team leaves: nothing any more
    services.helper_save(
        actor=None, kind=HelperKind.WORK_TEAM, helper=world.team, ends_on=days_ago(1), starts_on=days_ago(100)
    )
    assert not Member.objects.visible_to(users.work_team).exists()


def test_a_work_team_account_without_a_team_sees_no_member(tree, users):
    make_member(tree.a1v)
    assert not Member.objects.visible_to(users.work_team).exists()


def test_cadre_sees_only_actively_paired_members(world, users):
    assert list(Member.objects.visible_to(users.cadre)) == [world.zhang]
    assert list(Member.objects.visible_to(world.cadre2_user)) == [world.urban]
    pairing = Pairing.objects.get(helper=world.cadre)
    services.pairing_end(actor=None, pairing=pairing, ends_on=days_ago(1))
    assert not Member.objects.visible_to(users.cadre).exists()


def test_enterprise_and_centre_see_their_paired_members(world, users):
    assert list(Member.objects.visible_to(users.enterprise)) == [world.zhang2]
    assert list(Member.objects.visible_to(users.urban_centre)) == [world.urban]


def test_staff_still_see_their_region(world, users):
    assert world.other not in Member.objects.visible_to(users.county_staff)
    assert world.zhang in Member.objects.visible_to(users.county_staff)


# --- pairings -----------------------------------------------------------------------------------


def test_a_pairing_may_not_overlap_itself(world):
    before = Pairing.objects.count()
    with pytest.raises(ValidationError) as error:
        pair(world.zhang, world.cadre, starts_on=days_ago(10))
    assert "时间不能重叠" in messages(error.value, "starts_on")
    assert Pairing.objects.count() == before


def test_a_pairing_may_follow_an_ended_one(world):
    pairing = Pairing.objects.get(helper=world.cadre)
    services.pairing_end(actor=None, pairing=pairing, ends_on=days_ago(5))
    again = pair(world.zhang, world.cadre, starts_on=days_ago(4))
    assert again.is_active


def test_another_helper_may_pair_the_same_member(world):
    assert pair(world.zhang, world.enterprise).pk


def test_a_cadre_cannot_pair_another_cadres_helper(world, users):
    with pytest.raises(ValidationError) as error:
        services.pairing_save(actor=users.cadre, member=world.zhang, helper=world.cadre2, reason="x")
    assert "帮扶力量" in messages(error.value, "helper")


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as error:
        pair(world.zhang2, world.cadre, starts_on=days_ago(5), ends_on=days_ago(10))
    assert "结束日期不能早于开始日期" in str(error.value)


# --- visit notes --------------------------------------------------------------------------------


def test_work_team_notes_a_visit_dated_today_by_default(world, users):
    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="养牛8头，长势好")
    assert note.visited_on == TODAY
    assert note.helper == world.team.helper_ptr
    assert note.visitor == users.work_team


def test_a_visit_in_the_future_is_refused_and_nothing_saved(world, users):
    with pytest.raises(ValidationError) as error:
        services.visit_note_create(
            actor=users.work_team, member=world.zhang, findings="x", visited_on=TODAY + timedelta(days=1)
        )
    assert "走访日期不能晚于今天" in messages(error.value, "visited_on")
    assert not VisitNote.objects.exists()


def test_a_work_team_cannot_note_a_member_outside_its_villages(world, users):
    with pytest.raises(ValidationError) as error:
        services.visit_note_create(actor=users.work_team, member=world.urban, findings="x")
    assert "不在您的帮扶或管辖范围内" in messages(error.value, "member")
    assert not VisitNote.objects.exists()


def test_a_cadre_cannot_note_another_cadres_member(world, users):
    with pytest.raises(ValidationError):
        services.visit_note_create(actor=users.cadre, member=world.urban, findings="x")
    with pytest.raises(ValidationError):
        services.visit_note_create(actor=users.cadre, member=world.zhang, helper=world.cadre2, findings="x")
    assert not VisitNote.objects.exists()


def test_only_the_visitor_edits_a_helpers_note(world, users):
    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="初次走访")
    pair(world.zhang, world.cadre2)
    with pytest.raises(ValidationError):
        services.visit_note_update(actor=world.cadre2_user, note=note, findings="改")
    services.visit_note_update(actor=users.work_team, note=note, findings="补充")
    note.refresh_from_db()
    assert note.findings == "补充"
    assert note.history.count() == 2


def test_a_photo_must_be_a_real_jpg_or_png_and_small(world, users):
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.visit_note_create(actor=users.work_team, member=world.zhang, findings="x", photo=fake)
    assert "不是 JPG 或 PNG" in messages(error.value, "photo")
    gif = SimpleUploadedFile("x.gif", b"GIF89a", content_type="image/gif")
    with pytest.raises(ValidationError):
        services.visit_note_create(actor=users.work_team, member=world.zhang, findings="x", photo=gif)
    big = SimpleUploadedFile("x.png", PNG + b"\x00" * services.PHOTO_MAX_BYTES, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.visit_note_create(actor=users.work_team, member=world.zhang, findings="x", photo=big)
    assert "5 MB" in messages(error.value, "photo")
    good = SimpleUploadedFile("x.png", PNG, content_type="image/png")
    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="x", photo=good)
    assert note.photo.name.endswith(".png")


# --- contact system -----------------------------------------------------------------------------


def test_overdue_pairings_follow_the_citys_interval(world, users):
    services.visit_policy_set(actor=users.city_staff, kind=HelperKind.CADRE, every_days=14)
    pairing = Pairing.objects.get(helper=world.cadre)  # started 30 days ago, never visited
    assert list(selectors.overdue_pairings(user=users.cadre)) == [pairing]
    services.visit_note_create(actor=users.cadre, member=world.zhang, findings="走访", visited_on=days_ago(3))
    assert not selectors.overdue_pairings(user=users.cadre).exists()
    services.visit_policy_set(actor=users.city_staff, kind=HelperKind.CADRE, every_days=2)
    assert list(selectors.overdue_pairings(user=users.cadre)) == [pairing]


def test_staff_see_every_overdue_pairing_of_their_jurisdiction(world, users):
    services.visit_policy_set(actor=users.city_staff, kind=HelperKind.CADRE, every_days=7)
    overdue = {p.helper_id for p in selectors.overdue_pairings(user=users.county_staff)}
    assert {world.cadre.pk, world.cadre2.pk} <= overdue
    # the other cadre sees only their own
    assert {p.helper_id for p in selectors.overdue_pairings(user=world.cadre2_user)} == {world.cadre2.pk}


# --- difficulties -------------------------------------------------------------------------------


def test_difficulty_raised_from_a_visit_and_resolved(world, users):
    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="缺资金")
    difficulty = services.difficulty_raise(
        actor=users.work_team,
        member=world.zhang,
        kind="funds",
        description="缺资金2万元",
        coordinator=world.team,
        deadline=TODAY + timedelta(days=30),
        visit=note,
    )
    with pytest.raises(ValidationError) as error:
        services.difficulty_update(actor=users.work_team, difficulty=difficulty, status=DifficultyStatus.RESOLVED)
    assert "解决情况" in messages(error.value, "resolution")
    services.difficulty_update(
        actor=users.work_team, difficulty=difficulty, status=DifficultyStatus.RESOLVED, resolution="已申请基金"
    )
    difficulty.refresh_from_db()
    assert difficulty.resolved_on == TODAY


def test_overdue_difficulties_for_the_helper_and_its_superiors(world, users):
    difficulty = services.difficulty_raise(
        actor=None, member=world.zhang, kind="health", description="报销", coordinator=world.team, deadline=TODAY
    )
    Difficulty.objects.filter(pk=difficulty.pk).update(deadline=days_ago(3))
    assert list(selectors.overdue_difficulties(user=users.work_team)) == [difficulty]
    assert list(selectors.overdue_difficulties(user=users.county_staff)) == [difficulty]
    assert list(selectors.overdue_difficulties(user=users.township_staff)) == [difficulty]
    assert not selectors.overdue_difficulties(user=users.county_b).exists()
    # a cadre of the same member does not coordinate it
    assert not selectors.overdue_difficulties(user=users.cadre).exists()


def test_a_direct_difficulty_needs_a_deadline_from_today(world, users):
    with pytest.raises(ValidationError) as error:
        services.difficulty_raise(
            actor=users.work_team,
            member=world.zhang,
            kind="health",
            description="x",
            coordinator=world.team,
            deadline=days_ago(1),
        )
    assert "解决时限" in messages(error.value, "deadline")


# --- support and services -----------------------------------------------------------------------


def test_enterprise_records_support_for_its_paired_member_only(world, users):
    support = services.enterprise_support_record(
        actor=users.enterprise,
        member=world.zhang2,
        enterprise=world.enterprise,
        kind="equipment",
        description="粉碎机",
        value=Decimal("3800"),
    )
    assert support.value == Decimal("3800.00")
    with pytest.raises(ValidationError):
        services.enterprise_support_record(
            actor=users.enterprise,
            member=world.zhang,
            enterprise=world.enterprise,
            kind="money",
            description="x",
            value=Decimal("1"),
        )
    with pytest.raises(ValidationError):
        services.enterprise_support_record(
            actor=users.enterprise,
            member=world.zhang2,
            enterprise=world.enterprise,
            kind="money",
            description="x",
            value=Decimal("-1"),
        )


def test_a_job_referral_names_employer_and_post(world, users):
    with pytest.raises(ValidationError) as error:
        services.centre_service_save(
            actor=users.urban_centre, member=world.urban, centre=world.centre, kind="job_referral", description="推荐"
        )
    assert set(error.value.message_dict) == {"employer", "post"}
    service = services.centre_service_save(
        actor=users.urban_centre,
        member=world.urban,
        centre=world.centre,
        kind="job_referral",
        description="推荐就业",
        employer="安居物业",
        post="保洁",
    )
    assert service.outcome == "pending"


# --- welfare referral ---------------------------------------------------------------------------


def test_a_referral_for_a_demonstration_member_is_refused(world, users):
    assert world.zhang.track == Track.DEMONSTRATION
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=users.county_staff, member=world.zhang)
    assert "脱困示范行动对象，不能转介社会救济" in messages(error.value, "member")
    assert not WelfareReferral.objects.exists()


def test_rural_members_go_to_wubao_and_urban_ones_to_dibao(world, users, tree):
    assert services.referral_create(actor=users.county_staff, member=world.old).scheme == ReliefScheme.WUBAO
    urban_old = make_member(tree.a1c, born=date(1948, 1, 1), has_living_source=False, labour_capacity="none")
    assert services.referral_create(actor=users.county_staff, member=urban_old).scheme == ReliefScheme.DIBAO


def test_one_open_referral_per_member(world, users):
    services.referral_create(actor=users.county_staff, member=world.old)
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=users.county_staff, member=world.old)
    assert "正在办理" in messages(error.value, "member")


def test_undecided_members_need_a_decision_first(tree, users):
    member = make_member(tree.a1v, born=date(1950, 1, 1), labour_capacity="weak")
    assert member.track == Track.UNDECIDED
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=users.county_staff, member=member)
    assert "待人工判定" in messages(error.value, "member")


def test_daily_proposals_are_idempotent_and_staff_decide(world, users):
    assert services.referrals_propose() == 1
    assert services.referrals_propose() == 0
    proposal = WelfareReferral.objects.get()
    assert proposal.status == ReferralStatus.PROPOSED
    assert proposal.is_proposed_by_system
    with pytest.raises(ValidationError):
        services.referral_dismiss(actor=users.county_staff, referral=proposal, note=" ")
    referral = services.referral_confirm(actor=users.county_staff, referral=proposal)
    assert referral.status == ReferralStatus.REFERRED
    with pytest.raises(ValidationError) as error:
        services.referral_record_outcome(actor=users.county_staff, referral=referral, enrolled=True)
    assert "救助金额" in messages(error.value, "benefit")
    referral = services.referral_record_outcome(
        actor=users.county_staff, referral=referral, enrolled=True, benefit=Decimal("450")
    )
    assert referral.status == ReferralStatus.ENROLLED
    assert services.referrals_propose() == 0


def test_a_dismissed_proposal_is_not_proposed_again(world, users):
    services.referrals_propose()
    services.referral_dismiss(actor=users.county_staff, referral=WelfareReferral.objects.get(), note="子女赡养")
    assert services.referrals_propose() == 0


def test_the_proposal_task_runs_the_service(world):
    from assistance.tasks import propose_referrals

    assert propose_referrals.delay().get() == 1
    assert propose_referrals() == 0


def test_a_confirmation_is_refused_after_the_track_changed(world, users):
    services.referrals_propose()
    member_services.member_decide_track(
        actor=users.county_staff, member=world.old, track=Track.DEMONSTRATION, reason="子女返乡照料，可从事轻体力劳动"
    )
    with pytest.raises(ValidationError):
        services.referral_confirm(actor=users.county_staff, referral=WelfareReferral.objects.get())
    assert WelfareReferral.objects.get().status == ReferralStatus.PROPOSED


# --- phase 2 ------------------------------------------------------------------------------------


def _out_of_poverty(member):
    Member.objects.filter(pk=member.pk).update(status=Status.OUT)
    member.refresh_from_db()
    return member


def test_only_members_out_of_poverty_become_mentors(world, users):
    with pytest.raises(ValidationError) as error:
        services.mentor_designate(actor=users.county_staff, member=world.zhang, reason="能力强")
    assert "尚未脱贫" in messages(error.value, "member")
    mentor = services.mentor_designate(actor=users.county_staff, member=_out_of_poverty(world.zhang), reason="能力强")
    assert Mentor.objects.get() == mentor
    with pytest.raises(ValidationError):
        services.mentor_designate(actor=users.county_staff, member=world.zhang, reason="again")


def test_poor_resident_id_is_validated_and_not_a_members(world, users, tree):
    with pytest.raises(ValidationError) as error:
        services.poor_resident_save(
            actor=users.county_staff, name="李", id_number="41152119700101001", village=tree.a1v
        )
    assert "18位" in messages(error.value, "id_number")
    with pytest.raises(ValidationError) as error:
        services.poor_resident_save(
            actor=users.county_staff, name="李", id_number=world.zhang.id_number, village=tree.a1v
        )
    assert "非党员" in messages(error.value, "id_number")
    with pytest.raises(ValidationError):
        services.poor_resident_save(actor=users.county_staff, name="李", id_number=id_number(), village=tree.b1v)
    number = id_number()
    resident = services.poor_resident_save(
        actor=users.county_staff, name="李", id_number=number.lower().replace("x", "x"), village=tree.a1v
    )
    assert resident.id_number == number
    assert resident.masked_id_number != number
    assert not PoorResident.objects.visible_to(users.county_b).exists()


def test_mentor_pair_with_yearly_outcome(world, users, tree):
    mentor = services.mentor_designate(actor=users.county_staff, member=_out_of_poverty(world.zhang), reason="能力强")
    resident = services.poor_resident_save(actor=users.county_staff, name="李", id_number=id_number(), village=tree.a1v)
    pair_ = services.mentor_pair_create(
        actor=users.county_staff, mentor=mentor, resident=resident, starts_on=date(TODAY.year - 1, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.mentor_pair_create(actor=users.county_staff, mentor=mentor, resident=resident)
    services.mentor_outcome_record(
        actor=users.county_staff, pair=pair_, year=TODAY.year - 1, income_per_head=Decimal("3000"), summary="起步"
    )
    services.mentor_outcome_record(
        actor=users.county_staff, pair=pair_, year=TODAY.year - 1, income_per_head=Decimal("3500"), summary="更正"
    )
    assert pair_.outcomes.get().income_per_head == Decimal("3500.00")
    with pytest.raises(ValidationError):
        services.mentor_outcome_record(
            actor=users.county_staff, pair=pair_, year=TODAY.year + 1, income_per_head=Decimal("1"), summary="x"
        )
    # the work team of the village sees the pair; another county does not
    assert MentorPair.objects.visible_to(users.work_team).exists()
    assert not MentorPair.objects.visible_to(users.county_b).exists()


# --- helpers ------------------------------------------------------------------------------------


def test_helper_accounts_must_have_the_kinds_role(tree, users):
    with pytest.raises(ValidationError) as error:
        make_team(tree.a, [tree.a1v], [users.cadre])
    assert "角色" in messages(error.value, "accounts")


def test_a_team_is_stationed_in_villages_of_its_region(tree, users):
    with pytest.raises(ValidationError) as error:
        make_team(tree.a, [tree.b1v])
    assert "所属区划" in messages(error.value, "villages")
    with pytest.raises(ValidationError):
        make_team(tree.a, [tree.a1])


def test_staff_keep_helpers_of_their_region_only(tree, users):
    with pytest.raises(ValidationError):
        services.helper_save(
            actor=users.county_staff,
            kind=HelperKind.CADRE,
            name="x",
            level="county",
            unit="u",
            post="p",
            region=tree.b,
        )

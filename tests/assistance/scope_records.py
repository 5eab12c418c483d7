"""One record of each routed assistance model outside 青山县 (tests/test_out_of_scope.py)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assistance import services
from assistance.models import (
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    Helper,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    PoorResidentIdReveal,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
    WorkTeam,
)

PARENT_ARGUMENTS = {"pair_pk": MentorPair}
SHARED_MODELS = {VisitPolicy}  # the city's visit intervals: one setting for everyone


def foreign_records(tree, users, records) -> dict:
    from members.choices import Status
    from members.models import Member
    from tests.members.factories import id_number, make_member

    from .factories import make_cadre, make_centre, make_enterprise, make_team, pair

    member = records[Member]
    today = timezone.localdate()
    team = make_team(tree.b, [tree.b1v], name="白河县驻李家湾村工作队")
    cadre = make_cadre(tree.b, name="白河县干部甲")
    enterprise = make_enterprise(tree.b, name="白河县帮扶企业")
    centre = make_centre(tree.b, name="白河县创业服务中心")
    pairing = pair(member, cadre, reason="白河县结对")
    note = services.visit_note_create(actor=users.county_b, member=member, helper=team, findings="白河县走访情况")
    difficulty = services.difficulty_raise(
        actor=None,
        member=member,
        kind="funds",
        description="白河县困难",
        coordinator=team,
        deadline=today + timedelta(days=10),
    )
    support = services.enterprise_support_record(
        actor=None, member=member, enterprise=enterprise, kind="money", description="白河县扶持", value=Decimal("99")
    )
    service = services.centre_service_save(
        actor=None, member=member, centre=centre, kind="skills_training", description="白河县培训"
    )
    old = make_member(
        tree.b1v, name="白河县老人", born=date(1950, 5, 5), has_living_source=False, labour_capacity="lost"
    )
    referral = services.referral_create(actor=None, member=old)
    able = make_member(tree.b1v, name="白河县带头人")
    Member.objects.filter(pk=able.pk).update(status=Status.OUT)
    able.refresh_from_db()
    mentor = services.mentor_designate(actor=None, member=able, reason="白河县帮带")
    resident = services.poor_resident_save(actor=None, name="白河县群众", id_number=id_number(), village=tree.b1v)
    mentor_pair = services.mentor_pair_create(
        actor=None, mentor=mentor, resident=resident, starts_on=date(today.year - 1, 3, 1)
    )
    outcome = services.mentor_outcome_record(
        actor=None, pair=mentor_pair, year=today.year - 1, income_per_head=Decimal("3000"), summary="白河县成效"
    )
    return {
        Helper: Helper.objects.get(pk=team.pk),
        WorkTeam: team,
        LeadingCadre: cadre,
        Enterprise: enterprise,
        UrbanCentre: centre,
        Pairing: pairing,
        VisitNote: note,
        Difficulty: difficulty,
        EnterpriseSupport: support,
        CentreService: service,
        WelfareReferral: referral,
        Mentor: mentor,
        PoorResident: resident,
        PoorResidentIdReveal: PoorResidentIdReveal.objects.create(resident=resident, user=users.county_b),
        MentorPair: mentor_pair,
        MentorOutcome: outcome,
    }

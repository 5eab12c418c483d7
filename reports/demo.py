"""Reports for the demo city 河洛市: the programme, plans with targets for every county
and township, an admonition with its rectification plan, and commendations.

Idempotent: each record is looked up by its natural key first, so a rerun adds nothing.
Targets are derived from the demo register (a share of each place's demonstration-track
members), so they are plausible whatever the register's size.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from members.choices import Track
from members.models import Member
from organization.choices import RegionLevel
from organization.models import PartyOrganization, Region, User

from . import services
from .choices import CommendationKind, EvaluationGrade, EvaluationSubject
from .models import Admonition, Commendation, Evaluation, JurisdictionPlan, Programme

START_YEAR = 2024
# Share of the demonstration-track members each year's plan means to take out of poverty.
YEARLY_SHARE = {2024: 0.3, 2025: 0.4, 2026: 0.3}


@transaction.atomic
def build_demo_reports(stdout=None) -> dict:
    actor = User.objects.filter(username="city_staff").first()
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        return {"plans": 0}
    programme = Programme.objects.filter(name="河洛市贫困党员脱困示范行动").first()
    if programme is None:
        programme = services.programme_save(
            actor=actor,
            name="河洛市贫困党员脱困示范行动",
            start_year=START_YEAR,
            years=3,
            phase1_end_year=START_YEAR + 1,
            bulletin_month=1,
            bulletin_day=15,
            is_active=not Programme.objects.filter(is_active=True).exists(),
        )
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    townships = list(Region.objects.filter(parent__in=counties).order_by("code"))
    demonstration = Q(track=Track.DEMONSTRATION)
    by_county = dict(Member.objects.order_by().values_list("county").annotate(n=Count("pk", filter=demonstration)))
    by_township = dict(Member.objects.order_by().values_list("township").annotate(n=Count("pk", filter=demonstration)))
    existing = set(JurisdictionPlan.objects.values_list("region_id", "year"))
    created = 0
    for region, base in [(c, by_county.get(c.pk, 0)) for c in counties] + [
        (t, by_township.get(t.pk, 0)) for t in townships
    ]:
        for year, share in YEARLY_SHARE.items():
            if (region.pk, year) in existing or year not in programme.year_range:
                continue
            services.plan_save(
                actor=actor,
                programme=programme,
                region=region,
                year=year,
                target_out_of_poverty=max(1, round(base * share)),
                target_trained=max(1, round(base * 0.8)),
                target_projects=max(1, round(base * 0.5)),
                target_mentor_pairs=max(0, round(base * 0.2)) if programme.phase_of(year) == 2 else 0,
                note="演示数据：按本辖区脱困示范对象人数的比例测算。",
            )
            created += 1
    _demo_admonition(actor, counties)
    _demo_commendations(actor, counties)
    _demo_evaluation(actor, counties)
    if stdout is not None:
        stdout.write(f"辖区规划 (jurisdiction plans): 新建 {created}，共 {JurisdictionPlan.objects.count()}")
    return {"plans": created}


def _demo_admonition(actor, counties) -> None:
    """白河县 missed its 2025 target: the talk was held and a rectification plan is running."""
    county = next((c for c in counties if c.name == "白河县"), counties[-1] if counties else None)
    if county is None or Admonition.objects.filter(year=2025, region=county).exists():
        return
    admonition = services.admonition_save(
        actor=actor,
        year=2025,
        region=county,
        person_name="周卫国",
        person_post="县委组织部副部长",
        reason="2025年度脱贫目标未完成（演示数据）。",
    )
    admonition = services.admonition_confirm(actor=actor, admonition=admonition)
    services.admonition_record_talk(
        actor=actor,
        admonition=admonition,
        talked_on=timezone.localdate() - timedelta(days=20),
        talked_by="市委组织部 李明",
        explanation="部分乡镇产业项目落地晚，收入核查滞后。",
    )
    services.rectification_file(
        actor=actor,
        admonition=admonition,
        measures="一、逐村核查未脱贫党员收入；二、每个乡镇落实一个带动项目；三、每月向市委组织部报告进度。",
        deadline=timezone.localdate() + timedelta(days=60),
    )


def _demo_commendations(actor, counties) -> None:
    county = next((c for c in counties if c.name == "青山县"), counties[0] if counties else None)
    if county is None:
        return
    organization = PartyOrganization.objects.filter(region=county).order_by("pk").first()
    name = organization.name if organization else f"中共{county.name}委员会"
    if not Commendation.objects.filter(
        year=2025, kind=CommendationKind.ORGANIZATION, region=county, name=name
    ).exists():
        commendation = services.commendation_propose(
            actor=actor,
            year=2025,
            kind=CommendationKind.ORGANIZATION,
            region=county,
            party_organization=organization,
            name=name,
            reason="超额完成年度脱贫目标，示范带动作用明显（演示数据）。",
        )
        commendation = services.commendation_announce(actor=actor, commendation=commendation)
        # the notice period ended a month ago, without objections
        ended = timezone.localdate() - timedelta(days=30)
        Commendation.objects.filter(pk=commendation.pk).update(
            notice_starts=ended - timedelta(days=6), notice_ends=ended
        )
        commendation.refresh_from_db()
        services.commendation_confirm(actor=actor, commendation=commendation, note="公示无异议。")
    if not Commendation.objects.filter(year=2025, kind=CommendationKind.PERSON, region=county).exists():
        commendation = services.commendation_propose(
            actor=actor,
            year=2025,
            kind=CommendationKind.PERSON,
            region=county,
            name="王建国",
            reason="驻村工作队队长，帮助12名贫困党员脱贫（演示数据）。",
            proposed_on=date(2026, 1, 10),
        )
        services.commendation_announce(actor=actor, commendation=commendation)


def _demo_evaluation(actor, counties) -> None:
    """青山县's county committee evaluated for 2025, scored by the city."""
    county = next((c for c in counties if c.name == "青山县"), counties[0] if counties else None)
    organization = PartyOrganization.objects.filter(region=county).order_by("pk").first() if county else None
    if organization is None or Evaluation.objects.filter(year=2025, party_organization=organization).exists():
        return
    evaluation = services.evaluation_create(
        actor=actor, year=2025, subject_kind=EvaluationSubject.PARTY_ORGANIZATION, party_organization=organization
    )
    services.evaluation_assess(
        actor=actor,
        evaluation=evaluation,
        score=Decimal("93.5"),
        grade=EvaluationGrade.EXCELLENT,
        comment="脱贫目标超额完成，走访和困难问题解决及时（演示数据）。",
    )

"""Helpers and their casework for the demo city 河洛市.

The demo accounts work_team, cadre, enterprise and urban_centre each get their helper,
with pairings to demo members they can then see, visit notes over recent months,
difficulties (some overdue), support, a job referral, relief referrals and mentor pairs.
Idempotent: the whole build is one transaction, skipped once the work team exists.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members import idnumbers
from members.choices import Status, Track
from members.models import Member
from organization.models import Region, User

from . import services
from .choices import (
    CadreLevel,
    CentreServiceKind,
    DifficultyKind,
    DifficultyStatus,
    EnterpriseKind,
    HelperKind,
    ReferralStatus,
    ServiceOutcome,
    SupportKind,
)
from .models import Helper, Pairing, WelfareReferral, WorkTeam

SEED = 20261206
FINDINGS = [
    "肉牛存栏8头，长势良好；饲草储备不足，入冬前需补充。",
    "蔬菜大棚已种第二茬，销路主要靠镇上集市，价格偏低。",
    "本人腰伤复发，近两周未能下地；家中老人身体尚可。",
    "食用菌出菇正常，合作社已按订单收购第一批。",
    "孩子今年考上中专，学费有缺口。",
    "农家乐周末客源稳定，平时客少，想开网店卖土特产。",
]
NEEDS = ["需要养殖技术指导", "需要联系稳定销路", "需要小额资金周转", "需要申请助学支持", "需要医疗报销协助"]
ACTIONS = [
    "联系专家服务团下月实地指导。",
    "帮助对接龙头企业订单收购。",
    "协助准备脱困基金申请材料。",
    "联系镇卫生院落实慢病报销。",
    "下次走访前了解网店开办手续。",
]
DIFFICULTIES = [
    (DifficultyKind.FUNDS, "扩大养殖规模缺少资金约2万元。"),
    (DifficultyKind.MARKET, "蔬菜集中上市，销路不畅。"),
    (DifficultyKind.HEALTH, "慢性病门诊报销手续不清楚。"),
    (DifficultyKind.SCHOOLING, "子女上学学费有缺口。"),
    (DifficultyKind.TECHNOLOGY, "食用菌杂菌污染，需要技术指导。"),
]
RESIDENT_NAMES = ["李桂芝", "王小军", "赵秀兰", "孙长海", "周玉芬", "吴德明"]
REVEAL_PURPOSES = ["核对低保申请材料", "办理帮带对子登记"]


def _write(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def _visits(rng, actor, helper, member, count, every):
    notes = []
    for i in range(count):
        note = services.visit_note_create(
            actor=actor,
            member=member,
            helper=helper,
            visited_on=_days_ago(rng.randint(1, 10) + i * every),
            findings=rng.choice(FINDINGS),
            needs=rng.choice(NEEDS),
            actions=rng.choice(ACTIONS),
        )
        notes.append(note)
    return notes


@transaction.atomic
def build_demo_assistance(*, stdout=None) -> dict:
    """Create the demo helpers and casework once; later runs add nothing."""
    users = User.objects.in_bulk(
        ["city_staff", "work_team", "cadre", "enterprise", "urban_centre"], field_name="username"
    )
    staff = users.get("city_staff")
    if not all(name in users for name in ("work_team", "cadre", "enterprise", "urban_centre")) or staff is None:
        _write(stdout, "帮扶 (assistance): 缺少演示账号，跳过")
        return {"created": 0}
    team_account = users["work_team"]
    team_name = f"{team_account.unit or '市委组织部'}"
    if WorkTeam.objects.filter(name=team_name).exists():
        _write(stdout, f"帮扶 (assistance): 已有演示数据，共 {Helper.objects.count()} 个帮扶力量")
        return {"created": 0}
    rng = random.Random(SEED)
    for kind, days in {
        HelperKind.WORK_TEAM: 15,
        HelperKind.CADRE: 30,
        HelperKind.ENTERPRISE: 90,
        HelperKind.URBAN_CENTRE: 60,
    }.items():
        services.visit_policy_set(actor=staff, kind=kind, every_days=days)

    # The work team: the account's village, and neighbours until it has a few members.
    home = team_account.region
    villages = [home]
    for village in Region.objects.filter(parent=home.parent, is_urban=False).exclude(pk=home.pk).order_by("code"):
        if Member.objects.filter(village__in=villages).count() >= 4:
            break
        villages.append(village)
    county = home.parent.parent
    team = services.helper_save(
        actor=staff,
        kind=HelperKind.WORK_TEAM,
        name=team_name,
        sending_unit=team_account.unit.replace("工作队", "") or "市委组织部",
        captain=team_account.display_name,
        region=county,
        starts_on=_days_ago(400),
        villages=villages,
        accounts=[team_account],
        phone=team_account.phone,
    )
    # Trainees the team recommended who completed a course are its key targets (training's demo).
    key_targets = services.key_targets_pair(actor=staff)
    team_members = list(Member.objects.filter(village__in=villages).order_by("file_number"))
    paired = set(Pairing.objects.filter(helper=team).values_list("member_id", flat=True))
    notes = []
    for member in team_members:
        if member.track == Track.DEMONSTRATION and member.pk not in paired:
            services.pairing_save(
                actor=staff,
                member=member,
                helper=team,
                starts_on=_days_ago(300),
                reason="驻村工作队结对帮扶，列入驻村工作目标考核",
            )
        notes += _visits(rng, team_account, team, member, rng.randint(1, 4), rng.choice([12, 20, 35]))

    # The cadre: county level, paired with members of the county.
    cadre_account = users["cadre"]
    cadre = services.helper_save(
        actor=staff,
        kind=HelperKind.CADRE,
        name=cadre_account.display_name,
        level=CadreLevel.COUNTY,
        unit=cadre_account.unit or "县人民政府",
        post="副县长",
        region=cadre_account.region,
        accounts=[cadre_account],
        phone=cadre_account.phone,
    )
    cadre_members = (
        list(
            Member.objects.filter(county=cadre_account.region, track=Track.DEMONSTRATION)
            .exclude(pk__in=[m.pk for m in team_members])
            .order_by("file_number")[:4]
        )
        + [m for m in team_members if m.track == Track.DEMONSTRATION][:1]
    )
    for i, member in enumerate(cadre_members):
        services.pairing_save(
            actor=staff,
            member=member,
            helper=cadre,
            starts_on=_days_ago(200),
            reason="县级党员领导干部联系贫困党员",
        )
        # Every other member is visited; the rest are overdue under the contact system.
        if i % 2 == 0:
            notes += _visits(rng, cadre_account, cadre, member, 2, 25)

    # Difficulties from visits: some resolved, some open, two overdue.
    for i, note in enumerate(notes[:8]):
        kind, text = DIFFICULTIES[i % len(DIFFICULTIES)]
        difficulty = services.difficulty_raise(
            actor=note.visitor,
            member=note.member,
            kind=kind,
            description=text,
            coordinator=note.helper,
            deadline=note.visited_on + timedelta(days=30),
            visit=note,
        )
        if i % 3 == 0 and difficulty.deadline <= timezone.localdate():
            services.difficulty_update(
                actor=note.visitor,
                difficulty=difficulty,
                status=DifficultyStatus.RESOLVED,
                resolution="已协调解决：" + rng.choice(ACTIONS),
                resolved_on=min(difficulty.deadline, timezone.localdate()),
            )

    # The enterprise: a leading agribusiness supporting rural members with equipment and know-how.
    enterprise_account = users["enterprise"]
    enterprise = services.helper_save(
        actor=staff,
        kind=HelperKind.ENTERPRISE,
        name=enterprise_account.unit or "河洛市丰源农业发展有限公司",
        enterprise_kind=EnterpriseKind.LEADING_AGRIBUSINESS,
        contact_person=enterprise_account.display_name,
        phone=enterprise_account.phone,
        region=enterprise_account.region,
        support_plan="订单收购、种苗和设备支持、技术培训",
        accounts=[enterprise_account],
    )
    rural = list(
        Member.objects.filter(track=Track.DEMONSTRATION, is_urban=False)
        .exclude(pk__in=[m.pk for m in cadre_members])
        .order_by("-file_number")[:3]
    )
    supports = [
        (SupportKind.EQUIPMENT, "小型饲草粉碎机一台", Decimal("3800.00")),
        (SupportKind.TECHNOLOGY, "食用菌栽培技术培训及跟踪指导", Decimal("1500.00")),
        (SupportKind.MONEY, "种苗款资助", Decimal("5000.00")),
    ]
    for member, (kind, text, value) in zip(rural, supports, strict=False):
        services.pairing_save(
            actor=staff, member=member, helper=enterprise, starts_on=_days_ago(150), reason="企业自愿结对帮扶"
        )
        services.enterprise_support_record(
            actor=enterprise_account,
            member=member,
            enterprise=enterprise,
            kind=kind,
            description=text,
            value=value,
            given_on=_days_ago(rng.randint(20, 120)),
        )

    # The urban centre: its district's urban members; training, a job referral, start-up support.
    centre_account = users["urban_centre"]
    centre = services.helper_save(
        actor=staff,
        kind=HelperKind.URBAN_CENTRE,
        name=centre_account.unit or "创业服务中心",
        address="人民路18号",
        phone=centre_account.phone,
        region=centre_account.region,
        accounts=[centre_account],
    )
    urban = list(
        Member.objects.filter(is_urban=True, county=centre_account.region)
        .exclude(track=Track.RELIEF)
        .order_by("file_number")[:3]
    )
    centre_services = [
        {"kind": CentreServiceKind.SKILLS_TRAINING, "description": "家政服务技能培训（15天）"},
        {
            "kind": CentreServiceKind.JOB_REFERRAL,
            "description": "推荐就业",
            "employer": "河洛市安居物业服务有限公司",
            "post": "保洁班长",
            "outcome": ServiceOutcome.SUCCEEDED,
            "outcome_note": "已签订一年劳动合同，月薪2600元",
        },
        {"kind": CentreServiceKind.STARTUP, "description": "早餐店创业扶持", "value": Decimal("8000.00")},
    ]
    for member, fields in zip(urban, centre_services, strict=False):
        services.pairing_save(
            actor=staff, member=member, helper=centre, starts_on=_days_ago(180), reason="城市贫困党员由中心牵头帮扶"
        )
        services.centre_service_save(
            actor=centre_account, member=member, centre=centre, started_on=_days_ago(rng.randint(30, 150)), **fields
        )

    # Social relief: the daily task's proposals, two confirmed, one already enrolled.
    proposed = services.referrals_propose()
    open_proposals = list(WelfareReferral.objects.filter(status=ReferralStatus.PROPOSED).order_by("pk")[:2])
    for i, referral in enumerate(open_proposals):
        referral = services.referral_confirm(actor=staff, referral=referral, referred_on=_days_ago(60 - i * 30))
        if i == 0:
            services.referral_record_outcome(
                actor=staff, referral=referral, enrolled=True, decided_on=_days_ago(20), benefit=Decimal("450.00")
            )

    # Phase 2: mentors among members out of poverty, paired with poor residents of their village.
    mentors = 0
    candidates = Member.objects.filter(status__in=[Status.OUT, Status.WELL_OFF]).order_by("file_number")[:3]
    for i, member in enumerate(candidates):
        mentor = services.mentor_designate(
            actor=staff,
            member=member,
            reason="率先脱贫，养殖经验丰富，群众基础好，帮带能力强。",
            designated_on=_days_ago(300),
        )
        resident = services.poor_resident_save(
            actor=staff,
            name=RESIDENT_NAMES[i],
            id_number=idnumbers.make("411521", date(1968 + i * 5, 3 + i, 10 + i), 500 + i * 2 + 1),
            village=member.village,
            household_size=3 + i,
            income_per_head=Decimal(2600 + i * 300),
        )
        if i < len(REVEAL_PURPOSES):  # so that the reveal log (个人信息查阅记录) is not empty
            services.poor_resident_id_reveal(actor=staff, resident=resident, purpose=REVEAL_PURPOSES[i])
        pair = services.mentor_pair_create(
            actor=staff, mentor=mentor, resident=resident, starts_on=_days_ago(280), goal="两年内人均纯收入超过脱贫标准"
        )
        year = timezone.localdate().year
        if pair.starts_on.year < year:
            services.mentor_outcome_record(
                actor=staff,
                pair=pair,
                year=year - 1,
                income_per_head=Decimal(3900 + i * 400),
                summary="在帮带党员指导下发展庭院养殖，收入明显增加。",
                out_of_poverty=i > 0,
            )
        mentors += 1

    created = {
        "helpers": Helper.objects.count(),
        "pairings": Pairing.objects.count(),
        "visits": len(notes),
        "proposals": proposed,
        "key_targets": key_targets,
        "mentors": mentors,
    }
    _write(
        stdout,
        f"帮扶 (assistance): 帮扶力量 {created['helpers']}，结对 {created['pairings']}，走访 {created['visits']}，"
        f"救济转介提议 {created['proposals']}，帮带党员 {created['mentors']}",
    )
    return {"created": created}

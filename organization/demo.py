"""A fictional demo city, 河洛市 (河南), for trying the system out.

The whole city is first planned in memory from ``random.Random(SEED)``, then written
through the services. Planning never looks at the database, so every run plans the same
city, and writing skips whatever already exists, so running it again changes nothing.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .choices import PartyOrganizationKind, RegionLevel, Role
from .models import PartyOrganization, Region, User
from .services import party_organization_create, region_create, user_create

SEED = 20261130
DEMO_PASSWORD = "Demo2026pass"  # noqa: S105 - printed for everyone on purpose; demo data only

CITY_CODE = "419900000000"
CITY_NAME = "河洛市"

# (two-digit code, name, townships). Districts take codes 0x and counties 2x, as in real
# codes; each township is "root/suffix", the suffix being 街道, 镇 or 乡.
COUNTIES = [
    ("02", "河东区", ["解放路/街道", "人民路/街道", "东关/街道", "南关/街道", "新华/街道", "李楼/镇", "白马/镇"]),
    ("03", "洛北区", ["洛北/街道", "王城/街道", "北邙/街道", "启明/街道", "邙岭/镇", "后寨/镇"]),
    ("21", "青山县", ["城关/镇", "马店/镇", "龙泉/镇", "青石/镇", "杨树/乡", "石门/乡"]),
    ("22", "白河县", ["白河/镇", "黄庄/镇", "双庙/镇", "清水/乡", "大坪/乡"]),
    ("23", "柳林县", ["柳林/镇", "古城/镇", "官庄/镇", "韩集/镇", "新店/镇", "张湾/乡", "槐树/乡"]),
    ("24", "石桥县", ["石桥/镇", "五里/镇", "高庙/镇", "孙营/镇", "枣园/乡", "朱寨/乡"]),
]


def _words(text: str) -> list[str]:
    """Space-separated words: keeps the name lists on a few lines."""
    return text.split()


# Common surnames, most frequent in 河南 first so that they come up more often.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常"
)
# Given-name characters, kept apart so that one name does not mix 军 with 娟.
GIVEN_CHARS = (
    "建国军伟强磊洋勇杰涛明超华平刚辉鹏飞斌波宇浩凯峰亮志海文永新庆卫东利俊",
    "红霞丽敏静燕芳娟玲秀英兰梅艳萍晓玉春",
)

# Rural village names: 张庄, 王家沟, 东李营, 柳树湾, 红旗.
RURAL_SUFFIXES = "庄营寨楼屯集店湾岗洼沟坡窑桥河"
FAMILY_SUFFIXES = "庄沟湾岭坪洼寨"
DIRECTIONS = "东西南北前后大小上下"
NATURE_ROOTS = _words(
    "柳树 槐树 杨树 枣树 杏花 桃花 梨园 石桥 石门 青石 黄土 龙泉 清泉 马蹄 鹿鸣 凤凰 卧龙 双泉 三里 五里 七里 十里"
)
NATURE_SUFFIXES = "湾沟岭坡坪河洼岗铺店庄寨"
SLOGAN_NAMES = _words("红旗 胜利 团结 前进 东风 光明 和平 新华 向阳 幸福")

# Urban community names: 建设路, 红旗, 锦绣家园.
STREET_ROOTS = _words(
    "建设 解放 人民 中州 文明 和平 新华 民主 青年 朝阳 滨河 王城 九都 洛浦 兴隆 纬一 经二 联盟 体育 延安"
)
STREET_SUFFIXES = ("路", "街", "路", "")
PLAIN_ROOTS = _words(
    "幸福 光明 团结 友谊 红旗 振兴 春华 锦绣 翠竹 景华 丽园 金谷 东关 西关 南关 北关 纱厂 铁路 棉纺 涧西"
)
PLAIN_SUFFIXES = ("", "", "家园", "里")

MOBILE_PREFIXES = [f"13{d}" for d in range(10)] + [f"15{d}" for d in "012356789"] + [f"18{d}" for d in range(10)]


@dataclass
class OrgPlan:
    """A party organization to create for a region."""

    name: str
    kind: str
    leader_name: str
    leader_post: str
    leader_phone: str


@dataclass
class RegionPlan:
    """A region to create, with its party organization and the regions below it."""

    code: str
    name: str
    level: str
    is_urban: bool
    org: OrgPlan
    children: list["RegionPlan"] = field(default_factory=list)

    def walk(self) -> Iterator["RegionPlan"]:
        """This region and every region below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class AccountPlan:
    """A demo account; ``region_code`` is its jurisdiction."""

    username: str
    role: str
    region_code: str
    display_name: str
    unit: str
    phone: str


class _Namer:
    """Draws names from the seeded generator, each used once in the city, so that a search finds one."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        """A person's name not given to anyone else in the demo, so that no two accounts or leaders look alike."""
        rng = self.rng
        for _ in range(500):
            # Weighted towards the front of SURNAMES, like real surname frequencies.
            surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
            chars = GIVEN_CHARS[rng.random() < 0.3]
            name = surname + "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2))))
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("demo name lists are too short for the number of people")

    def mobile(self) -> str:
        """An 11-digit mobile number on a 13x, 15x or 18x prefix."""
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _surname(self) -> str:
        """A surname for a village name; villages lean harder on the common ones than people do."""
        return SURNAMES[min(int(self.rng.expovariate(1 / 12)), len(SURNAMES) - 1)]

    def _rural(self) -> str:
        """A 村 name without the 村, in one of the common patterns."""
        rng = self.rng
        pattern = rng.choices(("surname", "family", "direction", "nature", "slogan"), weights=(5, 2, 3, 3, 1))[0]
        if pattern == "surname":
            return self._surname() + rng.choice(RURAL_SUFFIXES)
        if pattern == "family":
            return self._surname() + "家" + rng.choice(FAMILY_SUFFIXES)
        if pattern == "direction":
            return rng.choice(DIRECTIONS) + self._surname() + rng.choice("庄营楼寨")
        if pattern == "nature":
            return rng.choice(NATURE_ROOTS) + rng.choice(NATURE_SUFFIXES)
        return rng.choice(SLOGAN_NAMES)

    def _urban(self) -> str:
        """A 社区 name without the 社区: a street name or an auspicious word."""
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(STREET_ROOTS) + rng.choice(STREET_SUFFIXES)
        return rng.choice(PLAIN_ROOTS) + rng.choice(PLAIN_SUFFIXES)

    def village(self, *, urban: bool) -> str:
        """A 村 or 社区 name not used anywhere in the city yet."""
        for _ in range(500):
            name = (self._urban() + "社区") if urban else (self._rural() + "村")
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("demo name lists are too short for the number of villages")


def plan_city(seed: int = SEED) -> tuple[RegionPlan, list[AccountPlan]]:
    """The demo city and its accounts, decided entirely by ``seed``; touches no database."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    namer = _Namer(rng)

    def org(name: str, kind: str, post: str) -> OrgPlan:
        return OrgPlan(name, kind, namer.person(), post, namer.mobile())

    city = RegionPlan(
        CITY_CODE,
        CITY_NAME,
        RegionLevel.CITY,
        False,
        org(f"中共{CITY_NAME}委员会", PartyOrganizationKind.COMMITTEE, "市委书记"),
    )
    for county_code, county_name, townships in COUNTIES:
        is_district = county_name.endswith("区")
        county = RegionPlan(
            f"4199{county_code}000000",
            county_name,
            RegionLevel.COUNTY,
            False,
            org(f"中共{county_name}委员会", PartyOrganizationKind.COMMITTEE, "区委书记" if is_district else "县委书记"),
        )
        city.children.append(county)
        # Real codes number 街道 from 001, 镇 from 100 and 乡 from 200.
        serial = {"街道": 0, "镇": 100, "乡": 200}
        for township in townships:
            root, suffix = township.split("/")
            serial[suffix] += 1
            name = root + suffix
            if suffix == "街道":
                township_org = org(f"中共{name}工作委员会", PartyOrganizationKind.WORKING_COMMITTEE, "街道党工委书记")
            else:
                township_org = org(f"中共{name}委员会", PartyOrganizationKind.COMMITTEE, f"{suffix}党委书记")
            township_plan = RegionPlan(
                f"4199{county_code}{serial[suffix]:03d}000", name, RegionLevel.TOWNSHIP, False, township_org
            )
            county.children.append(township_plan)

            size = rng.randint(5, 12)
            if suffix == "街道":
                # Mostly 社区, now and then one 城中村 left.
                urban_count = size - 1 if rng.random() < 0.3 else size
            elif is_district:
                urban_count = rng.randint(1, 2)
            else:
                urban_count = 0
            # Real codes number 社区 from 001 and 村 from 200.
            for index in range(size):
                urban = index < urban_count
                village_code = f"{index + 1:03d}" if urban else f"{200 + index - urban_count + 1:03d}"
                village_name = namer.village(urban=urban)
                township_plan.children.append(
                    RegionPlan(
                        f"4199{county_code}{serial[suffix]:03d}{village_code}",
                        village_name,
                        RegionLevel.VILLAGE,
                        urban,
                        org(
                            f"中共{village_name}支部委员会",
                            PartyOrganizationKind.BRANCH,
                            "社区党支部书记" if urban else "村党支部书记",
                        ),
                    )
                )

    return city, _plan_accounts(city, namer)


def _plan_accounts(city: RegionPlan, namer: _Namer) -> list[AccountPlan]:
    """One account per role, plus a second county account to try scoping with."""
    by_name = {county.name: county for county in city.children}
    qingshan, baihe, hedong = by_name["青山县"], by_name["白河县"], by_name["河东区"]
    # 马店镇 rather than the county seat 城关镇: a rural township, where most cases are.
    township = next(t for t in qingshan.children if t.name == "马店镇")
    # A work team sits in a rural village: that is where the programme's cases are.
    village = next(v for v in township.children if not v.is_urban)
    rows = [
        ("city_staff", Role.CITY_STAFF, city, f"中共{city.name}委员会组织部"),
        ("county_staff", Role.COUNTY_STAFF, qingshan, f"中共{qingshan.name}委员会组织部"),
        ("county_staff2", Role.COUNTY_STAFF, baihe, f"中共{baihe.name}委员会组织部"),
        ("township_staff", Role.TOWNSHIP_STAFF, township, f"{township.name}党建工作办公室"),
        ("work_team", Role.WORK_TEAM, village, f"{city.name}委组织部驻{village.name}工作队"),
        ("cadre", Role.CADRE, qingshan, f"{qingshan.name}人民政府"),
        ("expert", Role.EXPERT, city, f"{city.name}脱困帮扶专家服务团"),
        ("enterprise", Role.ENTERPRISE, city, f"{city.name}丰源农业发展有限公司"),
        ("urban_centre", Role.URBAN_CENTRE, hedong, f"{hedong.name}创业服务中心"),
        ("leader", Role.LEADER, city, f"中共{city.name}委员会"),
        ("admin", Role.ADMIN, city, f"{city.name}委组织部信息中心"),
    ]
    return [
        AccountPlan(username, role, region.code, namer.person(), unit, namer.mobile())
        for username, role, region, unit in rows
    ]


def _write(message: str, stdout) -> None:
    """One line of progress, to a command's stdout or any file-like object, or nowhere."""
    if stdout is not None:
        stdout.write(message + "\n")


def _ensure_regions(city: RegionPlan, stdout) -> tuple[dict[str, Region], int]:
    """Every planned region by code, creating the missing ones; and how many were created."""
    plans = list(city.walk())
    # One query for what exists, instead of one per region.
    regions = Region.objects.in_bulk([plan.code for plan in plans], field_name="code")
    parents = {child.code: plan.code for plan in plans for child in plan.children}
    created = 0
    for plan in plans:
        if plan.code in regions:
            continue
        parent = regions[parents[plan.code]] if plan.code in parents else None
        regions[plan.code] = region_create(
            code=plan.code, name=plan.name, level=plan.level, parent=parent, is_urban=plan.is_urban
        )
        created += 1
        if plan.level == RegionLevel.COUNTY:
            villages = sum(len(township.children) for township in plan.children)
            _write(f"  {plan.name}：{len(plan.children)} 个乡镇/街道，{villages} 个村/社区", stdout)
    return regions, created


def _ensure_party_organizations(city: RegionPlan, regions: dict[str, Region]) -> int:
    """Create the missing party organizations, each under its parent region's; return how many."""
    existing = {
        (org.region_id, org.name): org
        for org in PartyOrganization.objects.filter(region__in=list(regions.values())).order_by()
    }
    created = 0

    def ensure(plan: RegionPlan, parent_org: PartyOrganization | None) -> None:
        nonlocal created
        region = regions[plan.code]
        org = existing.get((region.pk, plan.org.name))
        if org is None:
            org = party_organization_create(
                actor=None,
                name=plan.org.name,
                kind=plan.org.kind,
                region=region,
                parent=parent_org,
                leader_name=plan.org.leader_name,
                leader_post=plan.org.leader_post,
                leader_phone=plan.org.leader_phone,
            )
            created += 1
        for child in plan.children:
            ensure(child, org)

    ensure(city, None)
    return created


def _ensure_accounts(accounts: list[AccountPlan], regions: dict[str, Region]) -> tuple[list[dict], int]:
    """Create the missing demo accounts; make sure every one takes the demo password.

    The password is hashed once and that hash shared: a hash costs about half a second
    (PBKDF2), and a shared salt gives nothing away when the password is printed anyway.
    """
    users = User.objects.in_bulk([account.username for account in accounts], field_name="username")
    shared_hash = None
    verified: dict[str, bool] = {}  # stored hash -> does it take the demo password
    rows, created = [], 0
    for account in accounts:
        user = users.get(account.username)
        if user is None:
            # What user_create checks for a password; the hashing it would do is the slow part.
            validate_password(DEMO_PASSWORD, User(username=account.username, display_name=account.display_name))
            user = user_create(
                actor=None,
                username=account.username,
                password=None,
                display_name=account.display_name,
                role=account.role,
                region=regions[account.region_code],
                unit=account.unit,
                phone=account.phone,
            )
            created += 1
        elif user.password not in verified:
            verified[user.password] = check_password(DEMO_PASSWORD, user.password)
        if not verified.get(user.password):
            # Only the password is put back, so the printed table always works.
            shared_hash = shared_hash or make_password(DEMO_PASSWORD)
            user.password = shared_hash
            verified[shared_hash] = True
            # Setting a demo password is not a change worth a history row.
            user.skip_history_when_saving = True
            try:
                user.save(update_fields=["password"])
            finally:
                del user.skip_history_when_saving
        rows.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "role": user.role,
                "role_label": str(Role(user.role).label) if user.role in Role.values else user.role,
                "region_full_name": user.region.full_name if user.region else "",
                "display_name": user.display_name,
            }
        )
    return rows, created


def build_demo_city(*, stdout=None) -> dict:
    """Create (or complete) the demo city 河洛市 with party organizations and demo accounts.

    ``stdout`` is anything with ``write(str)``; it gets a line per county created.
    Returns ``counts`` (what the demo city now holds), ``created`` (what this run added)
    and ``accounts`` (one dict per demo account, with its password).
    """
    city_plan, account_plans = plan_city()
    with transaction.atomic():
        regions, regions_created = _ensure_regions(city_plan, stdout)
        orgs_created = _ensure_party_organizations(city_plan, regions)
        accounts, accounts_created = _ensure_accounts(account_plans, regions)

    city = regions[CITY_CODE]
    in_city = Region.objects.filter(path__startswith=city.path)
    level_counts = {level: in_city.filter(level=level).count() for level in RegionLevel.values}
    counts = {
        **level_counts,
        "urban_village": in_city.filter(level=RegionLevel.VILLAGE, is_urban=True).count(),
        "rural_village": in_city.filter(level=RegionLevel.VILLAGE, is_urban=False).count(),
        "party_organization": PartyOrganization.objects.filter(region__path__startswith=city.path).count(),
        "account": len(accounts),
    }
    return {
        "counts": counts,
        "created": {"region": regions_created, "party_organization": orgs_created, "account": accounts_created},
        "accounts": accounts,
    }

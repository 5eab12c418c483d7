"""Helpers and pairings built through the real services."""

from datetime import timedelta

from django.utils import timezone

from assistance import services
from assistance.choices import CadreLevel, EnterpriseKind, HelperKind


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def make_team(region, villages, accounts=(), *, name="市委组织部驻张庄村工作队", starts_on=None, **fields):
    return services.helper_save(
        actor=None,
        kind=HelperKind.WORK_TEAM,
        name=name,
        sending_unit=fields.pop("sending_unit", "市委组织部"),
        captain=fields.pop("captain", "王队长"),
        region=region,
        starts_on=starts_on or days_ago(100),
        villages=villages,
        accounts=list(accounts),
        **fields,
    )


def make_cadre(region, accounts=(), *, name="李副县长", level=CadreLevel.COUNTY):
    return services.helper_save(
        actor=None,
        kind=HelperKind.CADRE,
        name=name,
        level=level,
        unit="县人民政府",
        post="副县长",
        region=region,
        accounts=list(accounts),
    )


def make_enterprise(region, accounts=(), *, name="丰源农业发展有限公司"):
    return services.helper_save(
        actor=None,
        kind=HelperKind.ENTERPRISE,
        name=name,
        enterprise_kind=EnterpriseKind.LEADING_AGRIBUSINESS,
        contact_person="赵经理",
        region=region,
        accounts=list(accounts),
    )


def make_centre(region, accounts=(), *, name="青山县创业服务中心"):
    return services.helper_save(
        actor=None, kind=HelperKind.URBAN_CENTRE, name=name, region=region, accounts=list(accounts)
    )


def pair(member, helper, *, starts_on=None, ends_on=None, reason="结对帮扶"):
    return services.pairing_save(
        actor=None, member=member, helper=helper, starts_on=starts_on or days_ago(30), ends_on=ends_on, reason=reason
    )

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")


# The level each level's children must have.
CHILD_LEVEL = {
    RegionLevel.CITY: RegionLevel.COUNTY,
    RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
}


class PartyOrganizationKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    WORKING_COMMITTEE = "working_committee", _("党工委")


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("市委组织部工作人员")
    COUNTY_STAFF = "county_staff", _("县区组织部门工作人员")
    TOWNSHIP_STAFF = "township_staff", _("乡镇组织部门工作人员")
    WORK_TEAM = "work_team", _("驻村工作队队员")
    CADRE = "cadre", _("党员领导干部")
    EXPERT = "expert", _("专家服务团专家")
    ENTERPRISE = "enterprise", _("帮扶企业联系人")
    URBAN_CENTRE = "urban_centre", _("创业服务中心工作人员")
    LEADER = "leader", _("领导（只读）")
    ADMIN = "admin", _("系统管理员")

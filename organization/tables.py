import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import PartyOrganization, Region, User


class RegionTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("上级区划"))
    kind = tables.Column(accessor="kind_label", verbose_name=_("类别"), orderable=False)

    class Meta:
        model = Region
        fields = ("code", "name", "level", "kind", "parent")
        order_by = ("code",)


class PartyOrganizationTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(accessor="region__full_name", verbose_name=_("所在区划"))

    class Meta:
        model = PartyOrganization
        fields = ("name", "kind", "region", "leader_name", "leader_post")


class UserTable(tables.Table):
    region = tables.Column(accessor="region__full_name", verbose_name=_("管辖范围"))

    class Meta:
        model = User
        fields = ("username", "display_name", "role", "region", "unit", "is_active", "last_login")

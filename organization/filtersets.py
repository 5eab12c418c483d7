import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import PartyOrganizationKind, RegionLevel, Role
from .models import PartyOrganization, Region, User


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("层级"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("上级区划代码"))
    within = django_filters.CharFilter(method="filter_within", label=_("所属区划代码"))
    is_urban = django_filters.BooleanFilter(
        label=_("城乡"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("城市（社区）")), ("false", _("农村（村）"))]),
    )

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "within", "is_urban"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))

    def filter_within(self, queryset, name, value):
        return queryset.filter(path__contains=f"/{value}/")


class PartyOrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    kind = django_filters.ChoiceFilter(choices=PartyOrganizationKind.choices, label=_("类型"))
    region = django_filters.CharFilter(method="filter_region", label=_("所属区划代码"))

    class Meta:
        model = PartyOrganization
        fields = ["q", "kind", "region"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(leader_name__contains=value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__contains=f"/{value}/")


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"))
    is_active = django_filters.BooleanFilter(
        label=_("状态"), widget=forms.Select(choices=[("", _("全部")), ("true", _("启用")), ("false", _("停用"))])
    )

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__contains=value) | Q(display_name__contains=value))

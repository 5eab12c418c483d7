import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.choices import Direction
from members.filtersets import _regions
from organization.choices import RegionLevel

from .choices import ProjectStatus
from .models import IncomeProject


class IncomeProjectFilterSet(django_filters.FilterSet):
    """One filter set for the project list, its Excel export and the API."""

    q = django_filters.CharFilter(method="search", label=_("项目名称/党员姓名"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("状态"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("发展方向"))
    county = django_filters.ModelChoiceFilter(
        field_name="member__county", queryset=_regions(RegionLevel.COUNTY), label=_("县区")
    )
    township = django_filters.ModelChoiceFilter(
        field_name="member__township", queryset=_regions(RegionLevel.TOWNSHIP), label=_("乡镇（街道）")
    )
    village = django_filters.ModelChoiceFilter(
        field_name="member__village", queryset=_regions(RegionLevel.VILLAGE), label=_("村（社区）")
    )
    year = django_filters.NumberFilter(
        field_name="proposed_on", lookup_expr="year", label=_("提出年度"), min_value=1, max_value=9999
    )

    class Meta:
        model = IncomeProject
        fields = ["q", "status", "direction", "county", "township", "village", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__contains=value) | Q(member__name__startswith=value))

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organization.choices import RegionLevel
from organization.models import Region, User

from . import idnumbers
from .choices import PovertyCause, Status, Track
from .models import IdNumberReveal, IncomeThreshold, Member


def _regions(level):
    def queryset(request):
        user = getattr(request, "user", None)
        return Region.objects.visible_to(user).filter(level=level).only("id", "name", "code").order_by("code")

    return queryset


class MemberFilterSet(django_filters.FilterSet):
    """One filter set for the register list, the API and the export."""

    q = django_filters.CharFilter(method="search", label=_("姓名/身份证号/档案编号"))
    county = django_filters.ModelChoiceFilter(queryset=_regions(RegionLevel.COUNTY), label=_("县区"))
    township = django_filters.ModelChoiceFilter(queryset=_regions(RegionLevel.TOWNSHIP), label=_("乡镇（街道）"))
    village = django_filters.ModelChoiceFilter(queryset=_regions(RegionLevel.VILLAGE), label=_("村（社区）"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("脱贫状态"))
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("帮扶类别"))
    cause = django_filters.ChoiceFilter(choices=PovertyCause.choices, method="filter_cause", label=_("致贫原因"))
    is_urban = django_filters.BooleanFilter(
        label=_("城乡"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("城市")), ("false", _("农村"))]),
    )
    is_relapsed = django_filters.BooleanFilter(
        label=_("返贫"), widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    )

    class Meta:
        model = Member
        fields = ["q", "county", "township", "village", "status", "track", "cause", "is_urban", "is_relapsed"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = idnumbers.normalize(value)
        condition = Q(name__startswith=value) | Q(file_number__startswith=value)
        if number[:1].isdigit():
            # A whole ID number, or its last digits as read off a card.
            condition |= Q(id_number=number) if len(number) == 18 else Q(id_number__endswith=number)
        return queryset.filter(condition)

    def filter_cause(self, queryset, name, value):
        return queryset.with_cause(value)


class IncomeThresholdFilterSet(django_filters.FilterSet):
    class Meta:
        model = IncomeThreshold
        fields = ["year"]


def reveal_viewers(model):
    """The accounts that appear in the reveals the user may see (never another county's staff
    who only looked at their own county's people)."""

    def queryset(request):
        user = getattr(request, "user", None)
        if user is None:
            return User.objects.none()
        viewers = model.objects.visible_to(user).values("user")
        return User.objects.filter(pk__in=viewers).order_by("display_name", "username")

    return queryset


class IdNumberRevealFilterSet(django_filters.FilterSet):
    """By viewer and by the day range of the reveal; shared with 贫困群众's reveal log."""

    user = django_filters.ModelChoiceFilter(queryset=reveal_viewers(IdNumberReveal), label=_("查看人"))
    revealed_after = django_filters.DateFilter(
        field_name="revealed_at",
        lookup_expr="date__gte",
        label=_("查看日期起"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    revealed_before = django_filters.DateFilter(
        field_name="revealed_at",
        lookup_expr="date__lte",
        label=_("查看日期止"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = IdNumberReveal
        fields = ["user", "revealed_after", "revealed_before"]

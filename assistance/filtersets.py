"""One FilterSet per model, for the list pages and the API alike."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.filtersets import IdNumberRevealFilterSet, reveal_viewers

from .choices import (
    OPEN_DIFFICULTY,
    CadreLevel,
    CentreServiceKind,
    DifficultyKind,
    DifficultyStatus,
    HelperKind,
    ReferralStatus,
    ReliefScheme,
    SupportKind,
)
from .models import (
    CentreService,
    Difficulty,
    EnterpriseSupport,
    Helper,
    Mentor,
    MentorPair,
    Pairing,
    PoorResident,
    PoorResidentIdReveal,
    VisitNote,
    WelfareReferral,
)

YES_NO = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


class MemberSearchMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search_member", label=_("党员姓名/档案编号"))
    member = django_filters.NumberFilter(field_name="member", label=_("贫困党员ID"), widget=forms.HiddenInput)

    def search_member(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(member__name__startswith=value) | Q(member__file_number__startswith=value))


class HelperFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))
    kind = django_filters.ChoiceFilter(choices=HelperKind.choices, label=_("帮扶类型"))
    level = django_filters.ChoiceFilter(
        field_name="leadingcadre__level", choices=CadreLevel.choices, label=_("干部层级")
    )
    is_active = django_filters.BooleanFilter(label=_("在岗"), widget=YES_NO)

    class Meta:
        model = Helper
        fields = ["q", "kind", "level", "is_active"]


class PairingFilterSet(MemberSearchMixin):
    helper = django_filters.NumberFilter(field_name="helper", label=_("帮扶力量ID"), widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(field_name="helper__kind", choices=HelperKind.choices, label=_("帮扶类型"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("在结对"), widget=YES_NO)
    is_key_target = django_filters.BooleanFilter(label=_("重点帮扶对象"), widget=YES_NO)

    class Meta:
        model = Pairing
        fields = ["q", "member", "helper", "kind", "active", "is_key_target"]

    def filter_active(self, queryset, name, value):
        active = queryset.active()
        return active if value else queryset.exclude(pk__in=active.values("pk"))


class VisitNoteFilterSet(MemberSearchMixin):
    helper = django_filters.NumberFilter(field_name="helper", label=_("帮扶力量ID"), widget=forms.HiddenInput)
    visited_after = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="gte",
        label=_("走访日期起"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visited_before = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="lte",
        label=_("走访日期止"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = VisitNote
        fields = ["q", "member", "helper", "visited_after", "visited_before"]


class DifficultyFilterSet(MemberSearchMixin):
    kind = django_filters.ChoiceFilter(choices=DifficultyKind.choices, label=_("问题类型"))
    status = django_filters.ChoiceFilter(choices=DifficultyStatus.choices, label=_("状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已逾期"), widget=YES_NO)

    class Meta:
        model = Difficulty
        fields = ["q", "member", "kind", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN_DIFFICULTY, deadline__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class EnterpriseSupportFilterSet(MemberSearchMixin):
    kind = django_filters.ChoiceFilter(choices=SupportKind.choices, label=_("扶持方式"))

    class Meta:
        model = EnterpriseSupport
        fields = ["q", "member", "kind"]


class CentreServiceFilterSet(MemberSearchMixin):
    kind = django_filters.ChoiceFilter(choices=CentreServiceKind.choices, label=_("服务类型"))

    class Meta:
        model = CentreService
        fields = ["q", "member", "kind", "outcome"]


class WelfareReferralFilterSet(MemberSearchMixin):
    scheme = django_filters.ChoiceFilter(choices=ReliefScheme.choices, label=_("救助类别"))
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("状态"))

    class Meta:
        model = WelfareReferral
        fields = ["q", "member", "scheme", "status"]


class MentorFilterSet(MemberSearchMixin):
    is_active = django_filters.BooleanFilter(label=_("在帮带"), widget=YES_NO)

    class Meta:
        model = Mentor
        fields = ["q", "member", "is_active"]


class PoorResidentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="startswith", label=_("姓名"))

    class Meta:
        model = PoorResident
        fields = ["q"]


class MentorPairFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("帮带党员/贫困群众姓名"))
    mentor = django_filters.NumberFilter(field_name="mentor", label=_("帮带党员ID"), widget=forms.HiddenInput)

    class Meta:
        model = MentorPair
        fields = ["q", "mentor"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(mentor__member__name__startswith=value) | Q(resident__name__startswith=value))


class PoorResidentIdRevealFilterSet(IdNumberRevealFilterSet):
    user = django_filters.ModelChoiceFilter(queryset=reveal_viewers(PoorResidentIdReveal), label=_("查看人"))

    class Meta(IdNumberRevealFilterSet.Meta):
        model = PoorResidentIdReveal

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import BaseKind, BatchStatus, Department, EnrolmentStatus, ServiceKind, TopicDirection
from .models import BaseVisit, BatchBudgetItem, Enrolment, Expert, ExpertService, PracticeBase, TrainingBatch


def _visible(model, *only):
    """Choices narrowed to what the request's user may see (a select on the page, an id in the API)."""

    def queryset(request):
        return model.objects.visible_to(getattr(request, "user", None)).only("id", *only)

    return queryset


class BatchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称/地点"))
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label=_("状态"))
    year = django_filters.NumberFilter(field_name="start_date__year", label=_("年度"), min_value=1, max_value=9999)
    direction = django_filters.ChoiceFilter(
        choices=TopicDirection.choices, method="filter_direction", label=_("课程方向")
    )

    class Meta:
        model = TrainingBatch
        fields = ["q", "status", "year", "direction"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__contains=value) | Q(place__contains=value))

    def filter_direction(self, queryset, name, value):
        return queryset.filter(pk__in=TrainingBatch.objects.filter(topics__direction=value).values("pk"))


class EnrolmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="member__name", lookup_expr="startswith", label=_("姓名"))
    batch = django_filters.ModelChoiceFilter(
        queryset=_visible(TrainingBatch, "title", "period_number"), label=_("培训班")
    )
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("状态"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我推荐的"))
    member = django_filters.NumberFilter(field_name="member", label=_("贫困党员ID"))

    class Meta:
        model = Enrolment
        fields = ["q", "batch", "status", "mine", "member"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(recommended_by=user)
        return queryset


class BudgetItemFilterSet(django_filters.FilterSet):
    batch = django_filters.ModelChoiceFilter(
        queryset=_visible(TrainingBatch, "title", "period_number"), label=_("培训班")
    )
    year = django_filters.NumberFilter(field_name="spent_on__year", label=_("年度"), min_value=1, max_value=9999)

    class Meta:
        model = BatchBudgetItem
        fields = ["batch", "year", "category"]


class ExpertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名/专业"))
    department = django_filters.ChoiceFilter(choices=Department.choices, label=_("派出部门"))

    class Meta:
        model = Expert
        fields = ["q", "department", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(specialty__contains=value))


class ExpertServiceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ServiceKind.choices, label=_("服务方式"))
    expert = django_filters.ModelChoiceFilter(queryset=_visible(Expert, "name", "department"), label=_("专家"))
    member = django_filters.NumberFilter(field_name="members", label=_("贫困党员ID"), distinct=True)
    follow_up = django_filters.ChoiceFilter(
        choices=[("open", _("待回访")), ("overdue", _("回访逾期")), ("done", _("已回访"))],
        method="filter_follow_up",
        label=_("跟踪回访"),
    )
    served_after = django_filters.DateFilter(field_name="served_on", lookup_expr="gte", label=_("服务日期起"))
    served_before = django_filters.DateFilter(field_name="served_on", lookup_expr="lte", label=_("服务日期止"))

    class Meta:
        model = ExpertService
        fields = ["kind", "expert", "member", "follow_up", "served_after", "served_before"]

    def filter_follow_up(self, queryset, name, value):
        from django.utils import timezone

        if value == "done":
            return queryset.filter(follow_up_done_on__isnull=False)
        queryset = queryset.follow_ups_open()
        if value == "overdue":
            queryset = queryset.filter(follow_up_due__lt=timezone.localdate())
        return queryset


class PracticeBaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称/可学内容"))
    kind = django_filters.ChoiceFilter(choices=BaseKind.choices, label=_("类型"))

    class Meta:
        model = PracticeBase
        fields = ["q", "kind", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(learnable__contains=value))


class BaseVisitFilterSet(django_filters.FilterSet):
    base = django_filters.ModelChoiceFilter(queryset=_visible(PracticeBase, "name"), label=_("实践基地"))
    batch = django_filters.ModelChoiceFilter(
        queryset=_visible(TrainingBatch, "title", "period_number"), label=_("所属培训班")
    )
    member = django_filters.NumberFilter(field_name="members", label=_("贫困党员ID"), distinct=True)

    class Meta:
        model = BaseVisit
        fields = ["base", "batch", "member"]

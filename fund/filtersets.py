import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    ApplicationKind,
    ApplicationStatus,
    EntryKind,
    FollowUpStatus,
    GuaranteeStatus,
    InspectionConclusion,
    Source,
)
from .models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, Guarantee


def _funds(request):
    return Fund.objects.visible_to(getattr(request, "user", None)).select_related("region")


class FundEntryFilterSet(django_filters.FilterSet):
    """One filter set for the ledger page, its Excel export and the API."""

    fund = django_filters.ModelChoiceFilter(queryset=_funds, label=_("基金"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("资金来源"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("类型"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期从"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期至"))
    year = django_filters.NumberFilter(field_name="date__year", label=_("年度"), min_value=1, max_value=9999)
    q = django_filters.CharFilter(method="search", label=_("凭证号/摘要/捐款人/文号"))

    class Meta:
        model = FundEntry
        fields = ["fund", "source", "kind", "date_from", "date_to", "year", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(donor_name__icontains=value) | Q(budget_document__icontains=value)
        )


class FundApplicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices, label=_("申请类型"))
    member = django_filters.NumberFilter(field_name="member", label=_("贫困党员ID"))
    q = django_filters.CharFilter(field_name="member__name", lookup_expr="startswith", label=_("姓名"))

    class Meta:
        model = FundApplication
        fields = ["status", "kind", "member", "q"]


class GuaranteeFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=GuaranteeStatus.choices, label=_("状态"))
    fund = django_filters.ModelChoiceFilter(queryset=_funds, label=_("基金"))
    member = django_filters.NumberFilter(field_name="member", label=_("贫困党员ID"))

    class Meta:
        model = Guarantee
        fields = ["status", "fund", "member"]


class FundInspectionFilterSet(django_filters.FilterSet):
    conclusion = django_filters.ChoiceFilter(choices=InspectionConclusion.choices, label=_("结论"))
    application = django_filters.NumberFilter(field_name="application", label=_("申请ID"))

    class Meta:
        model = FundInspection
        fields = ["conclusion", "application"]


class FollowUpFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("状态"))

    class Meta:
        model = FollowUp
        fields = ["status"]

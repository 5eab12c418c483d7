import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    AdmonitionState,
    BulletinState,
    CommendationKind,
    CommendationState,
    EvaluationGrade,
    EvaluationSubject,
)
from .models import Admonition, BulletinJob, Commendation, Evaluation, JurisdictionPlan, Programme


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PlanFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    region = django_filters.CharFilter(field_name="region__code", label=_("区划代码"))

    class Meta:
        model = JurisdictionPlan
        fields = ["year", "region"]


class BulletinFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    state = django_filters.ChoiceFilter(choices=BulletinState.choices, label=_("状态"))

    class Meta:
        model = BulletinJob
        fields = ["year", "state"]


class AdmonitionFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    state = django_filters.ChoiceFilter(choices=AdmonitionState.choices, label=_("状态"))

    class Meta:
        model = Admonition
        fields = ["year", "state"]


class CommendationFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(choices=CommendationKind.choices, label=_("类别"))
    state = django_filters.ChoiceFilter(choices=CommendationState.choices, label=_("状态"))

    class Meta:
        model = Commendation
        fields = ["year", "kind", "state"]


class EvaluationFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    subject_kind = django_filters.ChoiceFilter(choices=EvaluationSubject.choices, label=_("考核对象类别"))
    grade = django_filters.ChoiceFilter(choices=EvaluationGrade.choices, label=_("考核等次"))

    class Meta:
        model = Evaluation
        fields = ["year", "subject_kind", "grade"]


class ProgrammeFilterSet(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(
        label=_("当前周期"), widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    )

    class Meta:
        model = Programme
        fields = ["is_active"]

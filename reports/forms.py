from django import forms
from django.utils.translation import gettext_lazy as _

from organization.choices import RegionLevel
from organization.forms import ScopedModelForm, bootstrapify
from organization.models import Region

from .models import Admonition, Commendation, CommendationObjection, Evaluation, JurisdictionPlan, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(ScopedModelForm):
    class Meta:
        model = Programme
        fields = ["name", "start_year", "years", "phase1_end_year", "bulletin_month", "bulletin_day", "is_active"]


class PlanForm(ScopedModelForm):
    class Meta:
        model = JurisdictionPlan
        fields = [
            "region",
            "year",
            "target_out_of_poverty",
            "target_trained",
            "target_projects",
            "target_mentor_pairs",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            self.fields["region"]
            .queryset.filter(level__in=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP))
            .only("id", "full_name")
            .order_by("path")
        )
        self.fields["region"].label_from_instance = lambda region: region.full_name
        if self.instance.pk:
            # the key of a plan is its place and year; a different one is a new plan
            self.fields["region"].disabled = True
            self.fields["year"].disabled = True


class BulletinRequestForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("通报范围"), queryset=Region.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.visible_to(user)
            .filter(level__in=(RegionLevel.CITY, RegionLevel.COUNTY))
            .only("id", "full_name")
            .order_by("path")
        )
        self.fields["region"].label_from_instance = lambda region: region.full_name
        bootstrapify(self)


class AdmonitionForm(ScopedModelForm):
    class Meta:
        model = Admonition
        fields = ["year", "region", "person_name", "person_post", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.only("id", "full_name").order_by("path")
        self.fields["region"].label_from_instance = lambda region: region.full_name


class TalkForm(forms.Form):
    talked_on = forms.DateField(label=_("谈话日期"), widget=DATE)
    talked_by = forms.CharField(label=_("谈话人"), max_length=64)
    explanation = forms.CharField(label=_("本人说明"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class RectificationForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 5}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("跟踪督办情况"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("整改完成，销号"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class CommendationForm(ScopedModelForm):
    class Meta:
        model = Commendation
        fields = ["year", "kind", "region", "party_organization", "name", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.only("id", "full_name").order_by("path")
        self.fields["region"].label_from_instance = lambda region: region.full_name
        self.fields["party_organization"].queryset = self.fields["party_organization"].queryset.only("id", "name")


class CommendationObjectionForm(ScopedModelForm):
    class Meta:
        model = CommendationObjection
        fields = ["raised_by", "content"]


class ResolutionForm(forms.Form):
    resolution = forms.CharField(label=_("核实处理情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class EvaluationForm(ScopedModelForm):
    class Meta:
        model = Evaluation
        fields = ["year", "subject_kind", "party_organization", "helper", "score", "grade", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from assistance.choices import HelperKind

        self.fields["party_organization"].queryset = self.fields["party_organization"].queryset.only("id", "name")
        self.fields["helper"].queryset = (
            self.fields["helper"]
            .queryset.filter(kind__in=(HelperKind.WORK_TEAM, HelperKind.CADRE))
            .only("id", "name", "kind")
        )
        self.fields["helper"].label_from_instance = lambda helper: f"{helper.get_kind_display()}：{helper.name}"
        self.fields["party_organization"].help_text = _("考核党组织时选择。")
        self.fields["helper"].help_text = _("考核驻村工作队或党员领导干部时选择。")


class AssessForm(ScopedModelForm):
    class Meta:
        model = Evaluation
        fields = ["score", "grade", "comment"]

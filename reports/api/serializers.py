"""Serializers for the reports API: output and input apart, the rules in reports.services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organization.models import PartyOrganization, Region
from reports.models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
)

KIND_HELP = _("organization：先进党组织；person：先进个人")


def label(source):
    return serializers.CharField(source=f"get_{source}_display", read_only=True)


def region_code(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.none(),
        help_text=_("区划代码"),
        error_messages={"does_not_exist": _("没有代码为 {value} 的区划，或不在您的管辖范围内。")},
        **kwargs,
    )


class ScopedChoicesMixin:
    """Region and party-organization choices narrowed to what the request's user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name, model in (("region", Region), ("party_organization", PartyOrganization)):
            if name in self.fields:
                self.fields[name].queryset = model.objects.visible_to(request.user)


# --- output -------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    end_year = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "start_year",
            "years",
            "end_year",
            "phase1_end_year",
            "bulletin_month",
            "bulletin_day",
            "is_active",
        ]


class PlanSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = JurisdictionPlan
        fields = [
            "id",
            "programme",
            "region",
            "region_name",
            "year",
            "target_out_of_poverty",
            "target_trained",
            "target_projects",
            "target_mentor_pairs",
            "note",
            "updated_at",
        ]


class BulletinSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    state_label = label("state")
    docx_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = BulletinJob
        fields = [
            "id",
            "year",
            "region",
            "region_name",
            "state",
            "state_label",
            "progress",
            "progress_note",
            "message",
            "attempts",
            "docx_url",
            "xlsx_url",
            "started_at",
            "finished_at",
        ]

    def _url(self, job, kind) -> str | None:
        if job.state != "done":
            return None
        request = self.context.get("request")
        from django.urls import reverse

        path = reverse("api:bulletinjob-download", kwargs={"pk": job.pk}) + f"?kind={kind}"
        return request.build_absolute_uri(path) if request else path

    def get_docx_url(self, job) -> str | None:
        return self._url(job, "docx")

    def get_xlsx_url(self, job) -> str | None:
        return self._url(job, "xlsx")


class RectificationSerializer(serializers.ModelSerializer):
    state_label = label("state")

    class Meta:
        model = RectificationPlan
        fields = ["id", "admonition", "measures", "deadline", "state", "state_label", "follow_up", "closed_on"]


class AdmonitionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    state_label = label("state")
    rectification = RectificationSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Admonition
        fields = [
            "id",
            "year",
            "region",
            "region_name",
            "person_name",
            "person_post",
            "reason",
            "state",
            "state_label",
            "bulletin",
            "talked_on",
            "talked_by",
            "explanation",
            "rectification",
        ]


class CommendationObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommendationObjection
        fields = ["id", "commendation", "raised_by", "raised_on", "content", "resolution"]


class CommendationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_label = label("kind")
    state_label = label("state")
    objections = CommendationObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = Commendation
        fields = [
            "id",
            "year",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "party_organization",
            "name",
            "reason",
            "state",
            "state_label",
            "notice_starts",
            "notice_ends",
            "decision_note",
            "objections",
        ]


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    due = serializers.DateField(allow_null=True)


# --- input --------------------------------------------------------------------------------


class ProgrammeInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    start_year = serializers.IntegerField()
    years = serializers.IntegerField(required=False)
    phase1_end_year = serializers.IntegerField()
    bulletin_month = serializers.IntegerField(required=False)
    bulletin_day = serializers.IntegerField(required=False)
    is_active = serializers.BooleanField(required=False)


class PlanInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    region = region_code()
    year = serializers.IntegerField()
    target_out_of_poverty = serializers.IntegerField(required=False, min_value=0)
    target_trained = serializers.IntegerField(required=False, min_value=0)
    target_projects = serializers.IntegerField(required=False, min_value=0)
    target_mentor_pairs = serializers.IntegerField(required=False, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True)


class PlanUpdateSerializer(PlanInputSerializer):
    region = None
    year = None


class BulletinInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    region = region_code()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class AdmonitionInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    year = serializers.IntegerField()
    region = region_code()
    person_name = serializers.CharField(max_length=32)
    person_post = serializers.CharField(max_length=64, required=False, allow_blank=True)
    reason = serializers.CharField()


class AdmonitionTalkInputSerializer(serializers.Serializer):
    talked_on = serializers.DateField()
    talked_by = serializers.CharField(max_length=64)
    explanation = serializers.CharField()


class ReportNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RectificationInputSerializer(serializers.Serializer):
    measures = serializers.CharField()
    deadline = serializers.DateField()


class RectificationFollowUpInputSerializer(serializers.Serializer):
    note = serializers.CharField()
    close = serializers.BooleanField(required=False, default=False)


class CommendationInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    year = serializers.IntegerField()
    # a plain string in the schema: "kind" names other choice sets elsewhere in the API
    kind = serializers.CharField(help_text=KIND_HELP)
    region = region_code()
    party_organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.none(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=128)
    reason = serializers.CharField()


class CommendationObjectionInputSerializer(serializers.Serializer):
    raised_by = serializers.CharField(max_length=64)
    content = serializers.CharField()


class CommendationResolutionInputSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class EvaluationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    subject_kind_label = label("subject_kind")
    grade_label = label("grade")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "year",
            "subject_kind",
            "subject_kind_label",
            "region",
            "party_organization",
            "helper",
            "subject_name",
            "indicators",
            "indicators_at",
            "score",
            "grade",
            "grade_label",
            "comment",
        ]


class EvaluationInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    subject_kind = serializers.CharField(help_text=_("party_organization、work_team 或 cadre"))
    party_organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.none(), required=False, allow_null=True
    )
    helper = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), required=False, allow_null=True)
    score = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    grade = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from assistance.models import Helper

            self.fields["party_organization"].queryset = PartyOrganization.objects.visible_to(request.user)
            self.fields["helper"].queryset = Helper.objects.visible_to(request.user)


class EvaluationAssessInputSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    grade = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)

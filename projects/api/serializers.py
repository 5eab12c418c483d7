"""Serializers for the income projects API, output and input apart.

Input serializers only parse; projects.services applies the rules. Amounts are parsed as
strings and checked by the service, so that zero, negative and sub-fen amounts get the
same Chinese message as on the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.choices import Direction
from members.models import Member

from ..choices import CLOSE_CHOICES, GiverKind, ParticipantRole, ProjectStatus, ReviewConclusion, SupportKind
from ..models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport, ReviewParticipant


def named_choices(choices_class, **kwargs):
    """A choice field whose enum has its own component name in the schema (SupportKindEnum):
    other apps' fields of the same name ("kind", "role") hold other choices, and the
    name drf-spectacular derives from the field name would clash."""
    field_class = _CHOICE_FIELDS.get(choices_class)
    if field_class is None:
        schema = {"type": "string", "enum": list(choices_class.values)}
        field_class = extend_schema_field(schema, component_name=f"{choices_class.__name__}Enum")(
            type(f"{choices_class.__name__}Field", (serializers.ChoiceField,), {})
        )
        _CHOICE_FIELDS[choices_class] = field_class
    return field_class(choices=choices_class.choices, **kwargs)


_CHOICE_FIELDS: dict = {}


def label(source):
    return serializers.CharField(source=f"get_{source}_display", read_only=True)


def person(source):
    return serializers.CharField(source=f"{source}.display_name", read_only=True, allow_null=True, default=None)


# --- output --------------------------------------------------------------------------------


class ReviewParticipantSerializer(serializers.ModelSerializer):
    role = named_choices(ParticipantRole, read_only=True)
    role_label = label("role")

    class Meta:
        model = ReviewParticipant
        fields = ["id", "role", "role_label", "name", "unit"]


class ProjectReviewSerializer(serializers.ModelSerializer):
    conclusion = named_choices(ReviewConclusion, read_only=True)
    conclusion_label = label("conclusion")
    participants = ReviewParticipantSerializer(many=True, read_only=True)
    recorded_by = person("recorded_by")

    class Meta:
        model = ProjectReview
        fields = [
            "id",
            "project",
            "reviewed_on",
            "conclusion",
            "conclusion_label",
            "opinion",
            "participants",
            "recorded_by",
            "created_at",
        ]


class ProjectSupportSerializer(serializers.ModelSerializer):
    kind = named_choices(SupportKind, read_only=True)
    kind_label = label("kind")
    giver_kind_label = label("giver_kind")
    recorded_by = person("recorded_by")

    class Meta:
        model = ProjectSupport
        fields = [
            "id",
            "project",
            "kind",
            "kind_label",
            "giver_name",
            "giver_kind",
            "giver_kind_label",
            "value",
            "given_on",
            "description",
            "recorded_by",
            "created_at",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    recorded_by = person("recorded_by")

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "reported_on", "text", "income_to_date", "recorded_by", "created_at"]


class IncomeProjectSerializer(serializers.ModelSerializer):
    status = named_choices(ProjectStatus, read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    village = serializers.CharField(source="member.village.name", read_only=True)
    direction_label = label("direction")
    status_label = label("status")
    proposed_by = person("proposed_by")
    decided_by = person("decided_by")

    class Meta:
        model = IncomeProject
        fields = [
            "id",
            "member",
            "member_name",
            "village",
            "direction",
            "direction_label",
            "title",
            "description",
            "budget",
            "expected_income",
            "status",
            "status_label",
            "proposed_on",
            "proposed_by",
            "decided_on",
            "decided_by",
            "decision_note",
            "started_on",
            "closed_on",
            "income_earned",
            "jobs_created",
            "outcome_note",
            "failure_reason",
            "created_at",
            "updated_at",
        ]


# --- input ---------------------------------------------------------------------------------

AMOUNT = {"help_text": _("金额（元），最多两位小数")}


class ProjectInputSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    title = serializers.CharField(max_length=128)
    description = serializers.CharField()
    budget = serializers.CharField(**AMOUNT)
    expected_income = serializers.CharField(**AMOUNT)
    proposed_on = serializers.DateField(required=False)


class ProjectCreateInputSerializer(ProjectInputSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["member"].queryset = Member.objects.visible_to(request.user)


class ParticipantInputSerializer(serializers.Serializer):
    role = named_choices(ParticipantRole)
    name = serializers.CharField(max_length=64)
    unit = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")


class ReviewInputSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=IncomeProject.objects.none())
    reviewed_on = serializers.DateField(required=False)
    conclusion = named_choices(ReviewConclusion)
    opinion = serializers.CharField(allow_blank=True)
    participants = ParticipantInputSerializer(many=True, required=False, default=list)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = IncomeProject.objects.visible_to(request.user)


class SupportInputSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=IncomeProject.objects.none())
    kind = named_choices(SupportKind)
    giver_name = serializers.CharField(max_length=128, allow_blank=True)
    giver_kind = serializers.ChoiceField(choices=GiverKind.choices)
    value = serializers.CharField(**AMOUNT)
    given_on = serializers.DateField(required=False)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = IncomeProject.objects.visible_to(request.user)


class ProgressInputSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=IncomeProject.objects.none())
    reported_on = serializers.DateField(required=False)
    text = serializers.CharField(allow_blank=True)
    income_to_date = serializers.CharField(**AMOUNT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = IncomeProject.objects.visible_to(request.user)


class ApproveInputSerializer(serializers.Serializer):
    decided_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RefuseInputSerializer(serializers.Serializer):
    decided_on = serializers.DateField(required=False)
    reason = serializers.CharField(allow_blank=True, default="")


class StartInputSerializer(serializers.Serializer):
    started_on = serializers.DateField(required=False)


class CloseInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CLOSE_CHOICES)
    closed_on = serializers.DateField(required=False)
    income_earned = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None, **AMOUNT)
    jobs_created = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    failure_reason = serializers.CharField(required=False, allow_blank=True, default="")

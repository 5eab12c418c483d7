"""Serializers for the training API, output and input apart (as in members.api).

Output serializers shape what a client reads; ID numbers never appear (members by id and
name). Input serializers only parse: the rules live in training.services. Related records
to choose from are narrowed to the request user's scope; a record outside it reads as
"does not exist".
"""

from functools import cache

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.api.serializers import ScopedChoicesMixin, label, person
from members.models import Member
from organization.models import Region, User

from ..choices import (
    AttendanceStatus,
    BaseKind,
    BatchStatus,
    BudgetCategory,
    Department,
    EnrolmentStatus,
    Grade,
    ServiceKind,
    TopicDirection,
)
from ..models import (
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_VISIBLE = _("记录 {pk_value} 不存在，或不在您的管辖范围内。")


def choice(choices_class, component: str, **kwargs):
    """A choice field whose enum is its own named component: "status" or "kind" alone would
    collide with other apps' choice sets of the same field name."""
    return _choice_class(choices_class, component)(choices=choices_class.choices, **kwargs)


@cache
def _choice_class(choices_class, component: str):
    # A class, not an instance: serializers deep-copy their fields from the constructor
    # arguments, which would drop an annotation set on the instance.
    schema = {"type": "string", "enum": list(choices_class.values)}
    field_class = type(f"{component}Field", (serializers.ChoiceField,), {})
    return extend_schema_field(schema, component_name=component)(field_class)


def scoped_pk(**kwargs):
    kwargs.setdefault("error_messages", {"does_not_exist": NOT_VISIBLE})
    return serializers.PrimaryKeyRelatedField(queryset=Member.objects.none(), **kwargs)


def region_code(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.none(),
        error_messages={"does_not_exist": _("没有代码为 {value} 的区划，或不在您的管辖范围内。")},
        **kwargs,
    )


class TraineeBriefSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "file_number", "name", "village"]
        read_only_fields = fields


# --- output ------------------------------------------------------------------------------


class CurriculumTopicSerializer(serializers.ModelSerializer):
    direction = choice(TopicDirection, "TopicDirectionEnum", read_only=True)
    direction_label = label("direction")
    expert_name = serializers.CharField(source="expert.name", read_only=True, default=None)

    class Meta:
        model = CurriculumTopic
        fields = ["id", "title", "direction", "direction_label", "hours", "expert", "expert_name"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "held_on", "topic", "label"]
        read_only_fields = fields


class TrainingBatchSerializer(serializers.ModelSerializer):
    """A batch. Expects ``seated`` and ``recommended`` annotated (the viewset does it)."""

    status = choice(BatchStatus, "TrainingBatchStatusEnum", read_only=True)

    region = serializers.CharField(source="region.code", read_only=True, help_text=_("主办区划代码"))
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_label = label("status")
    seated = serializers.IntegerField(read_only=True, help_text=_("已录取（含已结业）人数"))
    recommended = serializers.IntegerField(read_only=True, help_text=_("待录取人数"))
    topics = CurriculumTopicSerializer(many=True, read_only=True)
    sessions = TrainingSessionSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingBatch
        fields = [
            "id",
            "title",
            "period_number",
            "region",
            "region_name",
            "organizer",
            "start_date",
            "end_date",
            "place",
            "capacity",
            "seated",
            "recommended",
            "status",
            "status_label",
            "notes",
            "topics",
            "sessions",
        ]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer):
    status = choice(EnrolmentStatus, "EnrolmentStatusEnum", read_only=True)
    grade = choice(Grade, "TrainingGradeEnum", read_only=True)
    member = TraineeBriefSerializer(read_only=True)
    batch_title = serializers.CharField(source="batch.__str__", read_only=True)
    status_label = label("status")
    grade_label = label("grade")
    recommended_by = person("recommended_by")
    recommending_village = serializers.CharField(source="recommending_village.code", read_only=True)
    recommending_village_name = serializers.CharField(source="recommending_village.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "batch",
            "batch_title",
            "member",
            "status",
            "status_label",
            "recommended_by",
            "recommending_village",
            "recommending_village_name",
            "recommended_on",
            "reason",
            "admitted_on",
            "completed_on",
            "score",
            "grade",
            "grade_label",
            "certificate_number",
            "key_target_since",
            "closing_note",
        ]
        read_only_fields = fields


class BudgetItemSerializer(serializers.ModelSerializer):
    category = choice(BudgetCategory, "TrainingBudgetCategoryEnum", read_only=True)
    category_label = label("category")
    recorded_by = person("recorded_by")

    class Meta:
        model = BatchBudgetItem
        fields = ["id", "batch", "category", "category_label", "item", "amount", "spent_on", "voucher", "recorded_by"]
        read_only_fields = fields


class BudgetYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)
    items = serializers.IntegerField()
    batches = serializers.IntegerField()


class ExpertSerializer(serializers.ModelSerializer):
    department = choice(Department, "ExpertDepartmentEnum", read_only=True)
    department_label = label("department")
    region = serializers.CharField(source="region.code", read_only=True)
    account = serializers.CharField(source="account.username", read_only=True, default=None)

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "department",
            "department_label",
            "unit",
            "title",
            "specialty",
            "phone",
            "region",
            "account",
            "is_active",
        ]
        read_only_fields = fields


class ExpertServiceSerializer(serializers.ModelSerializer):
    """A service. ``members`` lists only those the reader may see (prefetched by the viewset)."""

    kind = choice(ServiceKind, "ExpertServiceKindEnum", read_only=True)

    expert_name = serializers.CharField(source="expert.name", read_only=True)
    kind_label = label("kind")
    members = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ExpertService
        fields = [
            "id",
            "expert",
            "expert_name",
            "kind",
            "kind_label",
            "served_on",
            "place",
            "content",
            "batch",
            "members",
            "follow_up_due",
            "follow_up_done_on",
            "follow_up_note",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_members(self, service) -> list[dict]:
        return TraineeBriefSerializer(service.visible_members, many=True).data

    def get_is_overdue(self, service) -> bool:
        from django.utils import timezone

        return bool(
            service.follow_up_due and not service.follow_up_done_on and service.follow_up_due < timezone.localdate()
        )


class PracticeBaseSerializer(serializers.ModelSerializer):
    kind = choice(BaseKind, "PracticeBaseKindEnum", read_only=True)
    kind_label = label("kind")
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)

    class Meta:
        model = PracticeBase
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "address",
            "plaque_date",
            "learnable",
            "contact",
            "phone",
            "is_active",
        ]
        read_only_fields = fields


class BaseVisitSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = BaseVisit
        fields = ["id", "base", "base_name", "visited_on", "batch", "content", "members"]
        read_only_fields = fields

    def get_members(self, visit) -> list[dict]:
        return TraineeBriefSerializer(visit.visible_members, many=True).data


# --- input -------------------------------------------------------------------------------


class BatchInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    title = serializers.CharField(max_length=128)
    period_number = serializers.IntegerField(min_value=1, max_value=999)
    region = region_code(help_text=_("主办区划代码（本人管辖范围内）"))
    organizer = serializers.CharField(max_length=128, required=False)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField(max_length=128)
    capacity = serializers.IntegerField(min_value=1, max_value=2000)
    notes = serializers.CharField(required=False, allow_blank=True)

    def scoped_querysets(self, user):
        return {"region": Region.objects.visible_to(user)}


class BatchAdvanceSerializer(serializers.Serializer):
    to_status = choice(BatchStatus, "TrainingBatchStatusEnum")


class TopicInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    title = serializers.CharField(max_length=128)
    direction = choice(TopicDirection, "TopicDirectionEnum")
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    expert = serializers.PrimaryKeyRelatedField(
        queryset=Expert.objects.none(), required=False, allow_null=True, error_messages={"does_not_exist": NOT_VISIBLE}
    )

    def scoped_querysets(self, user):
        return {"expert": Expert.objects.visible_to(user)}


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.IntegerField(required=False, allow_null=True, help_text=_("本期课程ID"))
    title = serializers.CharField(max_length=128, required=False, allow_blank=True)


class AttendanceInputSerializer(serializers.Serializer):
    session = serializers.IntegerField(help_text=_("课次ID"))
    marks = serializers.DictField(
        child=choice(AttendanceStatus, "AttendanceStatusEnum"), help_text=_("学员（报名记录）ID → 出勤情况")
    )


class BudgetItemInputSerializer(serializers.Serializer):
    category = choice(BudgetCategory, "TrainingBudgetCategoryEnum")
    item = serializers.CharField(max_length=128)
    amount = serializers.DecimalField(**MONEY)
    spent_on = serializers.DateField()
    voucher = serializers.CharField(max_length=64, required=False, allow_blank=True)


class RecommendInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(
        queryset=TrainingBatch.objects.none(), error_messages={"does_not_exist": NOT_VISIBLE}
    )
    member = scoped_pk()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def scoped_querysets(self, user):
        return {"batch": TrainingBatch.objects.visible_to(user), "member": Member.objects.visible_to(user)}


class NoteInputSerializer(serializers.Serializer):
    # Blank passes here so that the service's own message says why a reason is needed.
    note = serializers.CharField(allow_blank=True)


class AssessInputSerializer(serializers.Serializer):
    grade = choice(Grade, "TrainingGradeEnum")
    score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100, required=False)
    certificate_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    completed_on = serializers.DateField(required=False)


class ExpertInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=32)
    department = choice(Department, "ExpertDepartmentEnum")
    unit = serializers.CharField(max_length=128, required=False, allow_blank=True)
    title = serializers.CharField(max_length=64, required=False, allow_blank=True)
    specialty = serializers.CharField(max_length=128)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    region = region_code(help_text=_("专家服务团所属区划代码（市或县区）"))
    account = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("没有用户名为 {value} 的账号，或不在您的管辖范围内。")},
    )
    is_active = serializers.BooleanField(required=False)

    def scoped_querysets(self, user):
        return {"region": Region.objects.visible_to(user), "account": User.objects.visible_to(user)}


class ExpertServiceInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    expert = serializers.PrimaryKeyRelatedField(
        queryset=Expert.objects.none(), error_messages={"does_not_exist": NOT_VISIBLE}
    )
    kind = choice(ServiceKind, "ExpertServiceKindEnum")
    served_on = serializers.DateField()
    place = serializers.CharField(max_length=128)
    content = serializers.CharField()
    # Empty passes here so that the service's own message says at least one is needed.
    members = scoped_pk(many=True, allow_empty=True)
    batch = serializers.PrimaryKeyRelatedField(
        queryset=TrainingBatch.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": NOT_VISIBLE},
    )
    follow_up_due = serializers.DateField(required=False, allow_null=True)

    def scoped_querysets(self, user):
        return {"expert": Expert.objects.visible_to(user), "batch": TrainingBatch.objects.visible_to(user)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["members"].child_relation.queryset = Member.objects.visible_to(request.user)


class FollowUpInputSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False)
    note = serializers.CharField(allow_blank=True)


class PracticeBaseInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=128)
    kind = choice(BaseKind, "PracticeBaseKindEnum")
    region = region_code(help_text=_("基地所在区划代码"))
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    plaque_date = serializers.DateField()
    learnable = serializers.CharField()
    contact = serializers.CharField(max_length=32, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def scoped_querysets(self, user):
        return {"region": Region.objects.visible_to(user)}


class BaseVisitInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    base = serializers.PrimaryKeyRelatedField(
        queryset=PracticeBase.objects.none(), error_messages={"does_not_exist": NOT_VISIBLE}
    )
    visited_on = serializers.DateField()
    batch = serializers.PrimaryKeyRelatedField(
        queryset=TrainingBatch.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": NOT_VISIBLE},
    )
    content = serializers.CharField()
    members = scoped_pk(many=True, allow_empty=True)

    def scoped_querysets(self, user):
        return {"base": PracticeBase.objects.visible_to(user), "batch": TrainingBatch.objects.visible_to(user)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["members"].child_relation.queryset = Member.objects.visible_to(request.user)

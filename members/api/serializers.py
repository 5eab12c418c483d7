"""Serializers for the register API, output and input apart (HackSoft style).

Output serializers shape what a client reads; citizen ID numbers are always masked
there (the full number only through the logged reveal). Input serializers only parse
what a client sends: the rules live in members.services, which the views call with
``validated_data``. Related records to choose from are narrowed to the user's scope
in ``__init__``; without a request there is nothing to choose.
"""

from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members import idnumbers
from members.choices import (
    Direction,
    Education,
    Health,
    LabourCapacity,
    PovertyCause,
    Relation,
    Schooling,
    Track,
)
from members.models import (
    HouseholdMember,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
)
from organization.choices import RegionLevel
from organization.models import PartyOrganization, Region

MONEY = {"max_digits": 14, "decimal_places": 2}


class MaskedIdNumberField(serializers.CharField):
    """A citizen ID number as ``410102********1234``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("身份证号码（脱敏显示）"))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return idnumbers.mask(value)


class ChoiceLabelField(serializers.CharField):
    """The display label of a model's choice field, from a map built once per serializer.

    Model ``get_<field>_display()`` rebuilds a dict of the choices on every call, which was a
    fifth of the API list's time at 50 rows per page.
    """

    def __init__(self, source, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        choices = parent.Meta.model._meta.get_field(self.source).flatchoices
        self._labels = {value: str(text) for value, text in choices}

    def to_representation(self, value):
        return self._labels.get(value, value)


def label(source):
    """The display label of a choice field."""
    return ChoiceLabelField(source)


def code_like(field: str):
    """A read-only code of the same choices as ``field``: a plain string in the schema, since
    one choice set under two field names makes drf-spectacular warn about enum names."""
    return serializers.CharField(read_only=True, help_text=format_lazy(_("取值同 {}"), field))


def person(source):
    """An account that did something, by its display name."""
    return serializers.CharField(source=f"{source}.display_name", read_only=True, allow_null=True, default=None)


class ScopedChoicesMixin:
    """Narrows related fields to what the request's user may see."""

    def scoped_querysets(self, user) -> dict:
        return {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            for name, queryset in self.scoped_querysets(request.user).items():
                self.fields[name].queryset = queryset


def visible_members(user):
    return Member.objects.visible_to(user)


# --- output ------------------------------------------------------------------------------


class PovertyExitPlanSerializer(serializers.ModelSerializer):
    direction_label = label("direction")
    created_by = person("created_by")

    class Meta:
        model = PovertyExitPlan
        fields = [
            "id",
            "member",
            "direction",
            "direction_label",
            "project",
            "measures",
            "income_target",
            "target_year",
            "responsible_person",
            "is_current",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    """The per-person file. Expects ``current_plans`` prefetched (MemberViewSet does it)."""

    id_number = MaskedIdNumberField()
    gender_label = label("gender")
    age = serializers.IntegerField(read_only=True)
    education_label = label("education")
    health_label = label("health")
    labour_capacity_label = label("labour_capacity")
    village = serializers.CharField(source="village.code", read_only=True, help_text=_("村（社区）区划代码"))
    village_path = serializers.CharField(source="village.full_name", read_only=True)
    township = serializers.CharField(source="township.code", read_only=True)
    county = serializers.CharField(source="county.code", read_only=True)
    poverty_causes = serializers.ListField(child=serializers.CharField(), read_only=True)
    poverty_cause_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    computed_track = code_like("track")
    computed_track_label = label("computed_track")
    track_label = label("track")
    status_label = label("status")
    current_plan = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "file_number",
            "name",
            "id_number",
            "gender",
            "gender_label",
            "birth_date",
            "age",
            "ethnicity",
            "phone",
            "party_branch",
            "party_organization",
            "joined_party_on",
            "education",
            "education_label",
            "health",
            "health_label",
            "labour_capacity",
            "labour_capacity_label",
            "has_living_source",
            "household_size",
            "village",
            "village_path",
            "township",
            "county",
            "is_urban",
            "poverty_causes",
            "poverty_cause_labels",
            "income_per_head",
            "registered_on",
            "notes",
            "computed_track",
            "computed_track_label",
            "track",
            "track_label",
            "track_override_reason",
            "status",
            "status_label",
            "is_relapsed",
            "current_plan",
        ]
        read_only_fields = fields

    @cached_property
    def _plan_serializer(self):
        # One nested serializer for the whole page: building its fields per row cost ~1.5 ms each.
        return PovertyExitPlanSerializer(context=self.context)

    @extend_schema_field(PovertyExitPlanSerializer(allow_null=True))
    def get_current_plan(self, member):
        plans = member.current_plans
        return self._plan_serializer.to_representation(plans[0]) if plans else None


class MemberBriefSerializer(serializers.ModelSerializer):
    """Enough to recognise a file, e.g. in a list of possible duplicates."""

    id_number = MaskedIdNumberField()
    village = serializers.CharField(source="village.code", read_only=True)
    village_path = serializers.CharField(source="village.full_name", read_only=True)
    status_label = label("status")

    class Meta:
        model = Member
        fields = ["id", "file_number", "name", "id_number", "birth_date", "village", "village_path", "status_label"]
        read_only_fields = fields


class PossibleDuplicatesSerializer(serializers.Serializer):
    id_number_member = MemberBriefSerializer(
        allow_null=True, read_only=True, help_text=_("您管辖范围内已用该身份证号码建档的党员。")
    )
    id_number_registered = serializers.BooleanField(
        read_only=True, help_text=_("全市是否已有人用该身份证号码建档（不论是否在您的管辖范围内）；为真时不能再建档。")
    )
    same_name_and_birth_date = MemberBriefSerializer(
        many=True, read_only=True, help_text=_("同一乡镇（街道）内姓名和出生日期相同的党员，请核对是否同一人。")
    )


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField(read_only=True, help_text=_("完整的身份证号码"))


class HouseholdMemberSerializer(serializers.ModelSerializer):
    id_number = MaskedIdNumberField()
    relation_label = label("relation")
    health_label = label("health")
    labour_capacity_label = label("labour_capacity")
    schooling_label = label("schooling")
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "member",
            "relation",
            "relation_label",
            "name",
            "id_number",
            "age",
            "health",
            "health_label",
            "labour_capacity",
            "labour_capacity_label",
            "schooling",
            "schooling_label",
        ]
        read_only_fields = fields


class IncomeThresholdSerializer(serializers.ModelSerializer):
    set_by = person("set_by")

    class Meta:
        model = IncomeThreshold
        fields = ["year", "out_of_poverty", "well_off", "notice_days", "set_by", "updated_at"]
        read_only_fields = fields


class IncomeCheckSerializer(serializers.ModelSerializer):
    recorded_by = person("recorded_by")

    class Meta:
        model = IncomeCheck
        fields = ["id", "member", "year", "income_per_head", "checked_on", "note", "recorded_by", "updated_at"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="status_change.member_id", read_only=True)
    is_resolved = serializers.SerializerMethodField()
    recorded_by = person("recorded_by")

    class Meta:
        model = Objection
        fields = [
            "id",
            "status_change",
            "member",
            "raised_by",
            "raised_on",
            "content",
            "resolution",
            "is_resolved",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_resolved(self, objection) -> bool:
        return bool(objection.resolution)


class StatusChangeSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    from_status = code_like("status")
    from_status_label = label("from_status")
    to_status = code_like("status")
    to_status_label = label("to_status")
    state_label = label("state")
    proposed_by = person("proposed_by")
    decided_by = person("decided_by")
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "member",
            "member_name",
            "income_check",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "is_relapse",
            "reason",
            "state",
            "state_label",
            "notice_starts",
            "notice_ends",
            "proposed_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "objections",
        ]
        read_only_fields = fields


# --- input -------------------------------------------------------------------------------


class MemberInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    """What a clerk types for a file; derived fields (gender, birth date, track...) are not accepted."""

    name = serializers.CharField()
    id_number = serializers.CharField(help_text=_("完整的身份证号码（18位；15位旧号码自动升位）"))
    ethnicity = serializers.CharField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True)
    party_branch = serializers.CharField(required=False, allow_blank=True)
    party_organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.none(), required=False, allow_null=True
    )
    joined_party_on = serializers.DateField(required=False, allow_null=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    health = serializers.ChoiceField(choices=Health.choices, required=False)
    labour_capacity = serializers.ChoiceField(choices=LabourCapacity.choices)
    has_living_source = serializers.BooleanField(required=False)
    household_size = serializers.IntegerField(required=False)
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.none(),
        help_text=_("村（社区）区划代码"),
        error_messages={"does_not_exist": _("没有代码为 {value} 的村（社区），或不在您的管辖范围内。")},
    )
    poverty_causes = serializers.ListField(
        child=serializers.ChoiceField(choices=PovertyCause.choices), required=False, allow_empty=True
    )
    income_per_head = serializers.DecimalField(**MONEY, required=False)
    registered_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("同一乡镇已有同名、同出生日期的档案时，核对确认不是同一人后设为 true 再提交（仅新建时）。"),
    )

    def scoped_querysets(self, user):
        return {
            "village": Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE),
            "party_organization": PartyOrganization.objects.visible_to(user),
        }


class TrackDecisionInputSerializer(serializers.Serializer):
    track = serializers.ChoiceField(choices=Track.choices)
    # Blank passes here so that the service's own message says why a reason is needed.
    reason = serializers.CharField(allow_blank=True)


class IdNumberRevealInputSerializer(serializers.Serializer):
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text=_("查看用途"))


class PossibleDuplicatesQuerySerializer(ScopedChoicesMixin, serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, help_text=_("姓名"))
    id_number = serializers.CharField(required=False, allow_blank=True, help_text=_("完整的身份证号码"))
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.none(),
        required=False,
        help_text=_("村（社区）区划代码"),
        error_messages={"does_not_exist": _("没有代码为 {value} 的村（社区），或不在您的管辖范围内。")},
    )

    def scoped_querysets(self, user):
        return {"village": Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE)}

    def validate_id_number(self, value):
        return idnumbers.validate(value) if value else ""


class HouseholdMemberInputSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=Relation.choices)
    name = serializers.CharField()
    id_number = serializers.CharField(required=False, allow_blank=True)
    health = serializers.ChoiceField(choices=Health.choices, required=False)
    labour_capacity = serializers.ChoiceField(choices=LabourCapacity.choices, required=False, allow_blank=True)
    schooling = serializers.ChoiceField(choices=Schooling.choices, required=False, allow_blank=True)


class HouseholdMemberCreateInputSerializer(ScopedChoicesMixin, HouseholdMemberInputSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())

    def scoped_querysets(self, user):
        return {"member": visible_members(user)}


class PovertyExitPlanInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    direction = serializers.ChoiceField(choices=Direction.choices)
    project = serializers.CharField()
    measures = serializers.CharField()
    income_target = serializers.DecimalField(**MONEY)
    target_year = serializers.IntegerField()
    responsible_person = serializers.CharField()

    def scoped_querysets(self, user):
        return {"member": visible_members(user)}


class IncomeThresholdInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    out_of_poverty = serializers.DecimalField(**MONEY)
    well_off = serializers.DecimalField(**MONEY)
    notice_days = serializers.IntegerField(required=False, help_text=_("公示天数，默认7天"))


class IncomeCheckInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    year = serializers.IntegerField()
    income_per_head = serializers.DecimalField(**MONEY)
    checked_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    def scoped_querysets(self, user):
        return {"member": visible_members(user)}


class DecisionNoteInputSerializer(serializers.Serializer):
    # Blank passes here; withdrawing needs a note, and the service says so.
    note = serializers.CharField(allow_blank=True, default="")


class ObjectionInputSerializer(ScopedChoicesMixin, serializers.Serializer):
    status_change = serializers.PrimaryKeyRelatedField(queryset=StatusChange.objects.none())
    raised_by = serializers.CharField()
    content = serializers.CharField()
    raised_on = serializers.DateField(required=False)

    def scoped_querysets(self, user):
        return {"status_change": StatusChange.objects.visible_to(user)}


class ObjectionResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)

"""Serializers for the assistance API, output and input apart.

Output serializers shape what a client reads (ID numbers of poor residents always
masked; the full number only through the logged ``reveal-id``). Input serializers only
parse: the rules are in assistance.services. Related records to choose from are narrowed to the user's scope.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator

from members import idnumbers
from members.api.serializers import MaskedIdNumberField, label, person
from members.models import Member
from organization.models import Region, User

from ..choices import (
    CadreLevel,
    CentreServiceKind,
    DifficultyKind,
    DifficultyStatus,
    EnterpriseKind,
    HelperKind,
    ReferralStatus,
    ReliefScheme,
    ServiceOutcome,
    SupportKind,
)
from ..models import (
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    Helper,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
    WorkTeam,
)


def inline_choice(choices_class, **kwargs):
    """A choice field described in place in the schema: several apps have a ``kind`` or a
    ``status`` of their own, and named enum components would collide. (A subclass: DRF
    copies declared fields, and an annotation on the instance would be lost.)"""
    # Values in the description, not as "enum": the schema's enum hook would name them again.
    schema = {"type": "string", "description": " | ".join(f"{v}={label}" for v, label in choices_class.choices)}
    field_class = extend_schema_field(schema)(type(f"{choices_class.__name__}Field", (serializers.ChoiceField,), {}))
    return field_class(choices=choices_class.choices, **kwargs)


def member_name():
    return serializers.CharField(source="member.name", read_only=True)


# --- output ---------------------------------------------------------------------------------


class HelperSerializer(serializers.ModelSerializer):
    kind = inline_choice(HelperKind, read_only=True)
    kind_label = label("kind")
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Helper
        fields = ["id", "kind", "kind_label", "name", "region", "phone", "is_active"]
        read_only_fields = fields


class WorkTeamSerializer(HelperSerializer):
    villages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta(HelperSerializer.Meta):
        model = WorkTeam
        fields = [*HelperSerializer.Meta.fields, "sending_unit", "captain", "villages", "starts_on", "ends_on"]
        read_only_fields = fields


class LeadingCadreSerializer(HelperSerializer):
    level = inline_choice(CadreLevel, read_only=True)
    level_label = label("level")

    class Meta(HelperSerializer.Meta):
        model = LeadingCadre
        fields = [*HelperSerializer.Meta.fields, "level", "level_label", "unit", "post"]
        read_only_fields = fields


class EnterpriseSerializer(HelperSerializer):
    enterprise_kind = inline_choice(EnterpriseKind, read_only=True)
    enterprise_kind_label = label("enterprise_kind")

    class Meta(HelperSerializer.Meta):
        model = Enterprise
        fields = [
            *HelperSerializer.Meta.fields,
            "enterprise_kind",
            "enterprise_kind_label",
            "contact_person",
            "support_plan",
        ]
        read_only_fields = fields


class UrbanCentreSerializer(HelperSerializer):
    class Meta(HelperSerializer.Meta):
        model = UrbanCentre
        fields = [*HelperSerializer.Meta.fields, "address"]
        read_only_fields = fields


class PairingSerializer(serializers.ModelSerializer):
    member_name = member_name()
    helper_name = serializers.CharField(source="helper.name", read_only=True)
    helper_kind = serializers.CharField(source="helper.kind", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "member",
            "member_name",
            "helper",
            "helper_name",
            "helper_kind",
            "starts_on",
            "ends_on",
            "reason",
            "is_key_target",
            "is_active",
        ]
        read_only_fields = fields


class VisitPolicySerializer(serializers.ModelSerializer):
    kind = inline_choice(HelperKind, read_only=True)
    kind_label = label("kind")

    class Meta:
        model = VisitPolicy
        fields = ["id", "kind", "kind_label", "every_days", "updated_at"]
        read_only_fields = fields


class VisitNoteSerializer(serializers.ModelSerializer):
    member_name = member_name()
    helper_name = serializers.CharField(source="helper.name", read_only=True)
    visitor = person("visitor")

    class Meta:
        model = VisitNote
        fields = [
            "id",
            "member",
            "member_name",
            "helper",
            "helper_name",
            "visitor",
            "visited_on",
            "findings",
            "needs",
            "actions",
            "photo",
            "created_at",
        ]
        read_only_fields = fields


class DifficultySerializer(serializers.ModelSerializer):
    kind = inline_choice(DifficultyKind, read_only=True)
    status = inline_choice(DifficultyStatus, read_only=True)
    member_name = member_name()
    kind_label = label("kind")
    status_label = label("status")
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Difficulty
        fields = [
            "id",
            "member",
            "member_name",
            "visit",
            "kind",
            "kind_label",
            "description",
            "coordinator",
            "coordinator_name",
            "deadline",
            "status",
            "status_label",
            "resolution",
            "resolved_on",
            "is_overdue",
        ]
        read_only_fields = fields


class EnterpriseSupportSerializer(serializers.ModelSerializer):
    kind = inline_choice(SupportKind, read_only=True)
    member_name = member_name()
    kind_label = label("kind")

    class Meta:
        model = EnterpriseSupport
        fields = ["id", "member", "member_name", "enterprise", "kind", "kind_label", "description", "value", "given_on"]
        read_only_fields = fields


class CentreServiceSerializer(serializers.ModelSerializer):
    kind = inline_choice(CentreServiceKind, read_only=True)
    outcome = inline_choice(ServiceOutcome, read_only=True)
    member_name = member_name()
    kind_label = label("kind")
    outcome_label = label("outcome")

    class Meta:
        model = CentreService
        fields = [
            "id",
            "member",
            "member_name",
            "centre",
            "kind",
            "kind_label",
            "description",
            "started_on",
            "employer",
            "post",
            "value",
            "outcome",
            "outcome_label",
            "outcome_note",
        ]
        read_only_fields = fields


class WelfareReferralSerializer(serializers.ModelSerializer):
    scheme = inline_choice(ReliefScheme, read_only=True)
    status = inline_choice(ReferralStatus, read_only=True)
    member_name = member_name()
    scheme_label = label("scheme")
    status_label = label("status")

    class Meta:
        model = WelfareReferral
        fields = [
            "id",
            "member",
            "member_name",
            "scheme",
            "scheme_label",
            "status",
            "status_label",
            "is_proposed_by_system",
            "proposed_on",
            "referred_on",
            "decided_on",
            "benefit",
            "note",
        ]
        read_only_fields = fields


class MentorSerializer(serializers.ModelSerializer):
    member_name = member_name()

    class Meta:
        model = Mentor
        fields = ["id", "member", "member_name", "designated_on", "reason", "is_active"]
        read_only_fields = fields


class PoorResidentSerializer(serializers.ModelSerializer):
    id_number = MaskedIdNumberField()  # for every role; the full number via ``reveal-id``, logged
    village = serializers.CharField(source="village.code", read_only=True)

    class Meta:
        model = PoorResident
        fields = ["id", "name", "id_number", "village", "household_size", "income_per_head", "phone"]
        read_only_fields = fields


class MentorOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorOutcome
        fields = ["id", "pair", "year", "income_per_head", "out_of_poverty", "summary"]
        read_only_fields = fields


class MentorPairSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.member.name", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    outcomes = MentorOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = MentorPair
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "resident",
            "resident_name",
            "starts_on",
            "ends_on",
            "goal",
            "outcomes",
        ]
        read_only_fields = fields


# --- input ----------------------------------------------------------------------------------


class InputSerializer(serializers.ModelSerializer):
    """Parses only; the services say what clashes (in Chinese), so DRF's own unique checks go."""

    def get_validators(self):
        return [v for v in super().get_validators() if not isinstance(v, UniqueTogetherValidator)]

    def scoped_querysets(self, user) -> dict:
        return {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        for field in self.fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                # Every choice narrowed to what the user may see; nothing without a request.
                relation.queryset = (
                    queryset.model.objects.visible_to(request.user) if request is not None else queryset.none()
                )
        if request is not None:
            for name, queryset in self.scoped_querysets(request.user).items():
                getattr(self.fields[name], "child_relation", self.fields[name]).queryset = queryset


ACCOUNT_ROLES = {WorkTeam: "work_team", LeadingCadre: "cadre", Enterprise: "enterprise", UrbanCentre: "urban_centre"}


def _helper_input(model_class, extra):
    class Input(InputSerializer):
        account_role = ACCOUNT_ROLES[model_class]
        region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
        accounts = serializers.PrimaryKeyRelatedField(
            queryset=User.objects.none(), many=True, required=False, help_text=_("账号ID")
        )

        class Meta:
            model = model_class
            fields = ["name", "region", "phone", "is_active", "accounts", *extra]

        def scoped_querysets(self, user):
            return {"accounts": User.objects.visible_to(user).filter(role=self.account_role)}

    Input.__name__ = f"{model_class.__name__}InputSerializer"
    return Input


class WorkTeamInputSerializer(_helper_input(WorkTeam, ["sending_unit", "captain", "starts_on", "ends_on"])):
    villages = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none(), many=True)

    class Meta:
        model = WorkTeam
        fields = ["name", "region", "phone", "is_active", "accounts", "sending_unit", "captain"]
        fields += ["starts_on", "ends_on", "villages"]

    def scoped_querysets(self, user):
        return {
            **super().scoped_querysets(user),
            "villages": Region.objects.visible_to(user).filter(level="village"),
        }


class LeadingCadreInputSerializer(_helper_input(LeadingCadre, ["level", "unit", "post"])):
    level = inline_choice(CadreLevel)


class EnterpriseInputSerializer(_helper_input(Enterprise, ["enterprise_kind", "contact_person", "support_plan"])):
    enterprise_kind = inline_choice(EnterpriseKind)


UrbanCentreInputSerializer = _helper_input(UrbanCentre, ["address"])


class PairingInputSerializer(InputSerializer):
    class Meta:
        model = Pairing
        fields = ["member", "helper", "starts_on", "ends_on", "reason", "is_key_target"]


class VisitPolicyInputSerializer(InputSerializer):
    kind = inline_choice(HelperKind)

    class Meta:
        model = VisitPolicy
        fields = ["kind", "every_days"]


class VisitNoteInputSerializer(InputSerializer):
    helper = serializers.PrimaryKeyRelatedField(
        queryset=Helper.objects.none(), required=False, help_text=_("不填则为本人所在的帮扶力量")
    )
    visited_on = serializers.DateField(required=False, help_text=_("不填则为今天"))

    class Meta:
        model = VisitNote
        fields = ["member", "helper", "visited_on", "findings", "needs", "actions", "photo"]


class VisitNoteUpdateSerializer(InputSerializer):
    class Meta:
        model = VisitNote
        fields = ["visited_on", "findings", "needs", "actions"]


class DifficultyInputSerializer(InputSerializer):
    kind = inline_choice(DifficultyKind)

    class Meta:
        model = Difficulty
        fields = ["member", "visit", "kind", "description", "coordinator", "deadline"]


class DifficultyUpdateSerializer(InputSerializer):
    status = inline_choice(DifficultyStatus, required=False)

    class Meta:
        model = Difficulty
        fields = ["status", "coordinator", "deadline", "resolution", "resolved_on"]


class EnterpriseSupportInputSerializer(InputSerializer):
    kind = inline_choice(SupportKind)

    class Meta:
        model = EnterpriseSupport
        fields = ["member", "enterprise", "kind", "description", "value", "given_on"]


class CentreServiceInputSerializer(InputSerializer):
    kind = inline_choice(CentreServiceKind)
    outcome = inline_choice(ServiceOutcome, required=False)

    class Meta:
        model = CentreService
        fields = ["member", "centre", "kind", "description", "started_on", "employer", "post", "value", "outcome"]
        fields += ["outcome_note"]


class WelfareReferralInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    referred_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["member"].queryset = Member.objects.visible_to(request.user)


class ReferralConfirmSerializer(serializers.Serializer):
    referred_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralDismissSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class ReferralOutcomeSerializer(serializers.Serializer):
    enrolled = serializers.BooleanField()
    decided_on = serializers.DateField(required=False)
    benefit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MentorInputSerializer(InputSerializer):
    class Meta:
        model = Mentor
        fields = ["member", "designated_on", "reason"]


class PoorResidentInputSerializer(InputSerializer):
    village = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())

    class Meta:
        model = PoorResident
        fields = ["name", "id_number", "village", "household_size", "income_per_head", "phone"]
        extra_kwargs = {"id_number": {"max_length": 24}}

    def validate_id_number(self, value):
        # The record sent back as it was read (masked) keeps its number, as on the edit page.
        if self.instance is not None and value.strip() == idnumbers.mask(self.instance.id_number):
            return self.instance.id_number
        return value


class MentorPairInputSerializer(InputSerializer):
    class Meta:
        model = MentorPair
        fields = ["mentor", "resident", "starts_on", "goal"]


class MentorOutcomeInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    income_per_head = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    out_of_poverty = serializers.BooleanField(required=False, default=False)
    summary = serializers.CharField()

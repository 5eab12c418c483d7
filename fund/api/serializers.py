"""Serializers for the fund API, output and input apart.

Input serializers only parse; the rules (amounts to the fen, a guarantee within the
loan, eligibility, the balance and exposure limits) are in fund.services, whose Chinese
messages come back as JSON by field. Amounts are read as decimal strings so that the
service, not the parser, says what is wrong with "10.001" or "-5".
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fund.choices import InspectionConclusion, Source
from fund.models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, FundPolicy, Guarantee
from members.models import Member


class MoneyField(serializers.CharField):
    """Yuan as a decimal string (``"1234.50"``); the service checks sign and fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("金额（元），最多两位小数"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record by id, chosen only among those the user may see."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.model.objects.visible_to(user) if user is not None else self.model.objects.none()


def label(source):
    return serializers.CharField(source=f"get_{source}_display", read_only=True)


# --- output ----------------------------------------------------------------------------


class FundSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "name", "region_code"]


class SourceBalanceSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    cash = serializers.DecimalField(max_digits=14, decimal_places=2)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=2)
    free = serializers.DecimalField(max_digits=14, decimal_places=2)


class BalancesSerializer(serializers.Serializer):
    cash = serializers.DecimalField(max_digits=14, decimal_places=2)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=2)
    free = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding_guarantees = serializers.DecimalField(max_digits=14, decimal_places=2)
    sources = SourceBalanceSerializer(many=True)


def codes(help_text):
    """A choice code as a plain string in the schema: one choice set under several field
    names (and "kind" in several apps) would make drf-spectacular warn about enum names."""
    return serializers.CharField(read_only=True, help_text=help_text)


SOURCE_CODES = _("资金来源代码：party_dues 党费拨付、donation 党员捐款、fiscal 财政补助")


class FundPolicySerializer(serializers.ModelSerializer):
    support_sources = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=SOURCE_CODES)
    guarantee_sources = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=SOURCE_CODES)

    class Meta:
        model = FundPolicy
        fields = ["support_sources", "guarantee_sources", "leverage", "updated_at"]


class FundEntrySerializer(serializers.ModelSerializer):
    kind = codes(_("分录类型代码"))
    kind_label = label("kind")
    source_label = label("source")
    created_by = serializers.StringRelatedField()
    reversed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FundEntry
        fields = [
            "id",
            "fund",
            "date",
            "amount",
            "source",
            "source_label",
            "account",
            "kind",
            "kind_label",
            "reference",
            "donor_name",
            "budget_document",
            "application",
            "guarantee",
            "reverses",
            "reversed_by",
            "created_by",
            "created_at",
        ]


class FundApplicationSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    kind = codes(_("申请类型代码：guarantee 贷款担保、support 资金扶持"))
    kind_label = label("kind")
    status_label = label("status")

    class Meta:
        model = FundApplication
        fields = [
            "id",
            "member",
            "member_name",
            "fund",
            "project",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "bank",
            "loan_amount",
            "guaranteed_amount",
            "term_months",
            "amount",
            "purpose",
            "prepared_by",
            "submitted_at",
            "reviewed_by",
            "review_opinion",
            "decided_by",
            "decided_at",
            "refusal_reason",
            "created_at",
        ]


class GuaranteeSerializer(serializers.ModelSerializer):
    status_label = label("status")
    call_paid_amount = serializers.DecimalField(
        source="call.paid_amount", max_digits=14, decimal_places=2, read_only=True, default=None
    )
    recovery_status = serializers.CharField(source="call.status", read_only=True, default=None)

    class Meta:
        model = Guarantee
        fields = [
            "id",
            "application",
            "member",
            "fund",
            "source",
            "bank",
            "loan_amount",
            "guaranteed_amount",
            "reserved_amount",
            "term_months",
            "issued_on",
            "due_on",
            "status",
            "status_label",
            "ended_on",
            "call_paid_amount",
            "recovery_status",
        ]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "inspection", "member", "required_action", "deadline", "status", "result", "closed_on"]


class FundInspectionSerializer(serializers.ModelSerializer):
    follow_up = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FundInspection
        fields = ["id", "application", "member", "inspected_on", "findings", "conclusion", "inspector", "follow_up"]


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


# --- input -----------------------------------------------------------------------------


class ReceiptInputSerializer(serializers.Serializer):
    fund = ScopedRelatedField(Fund, label=_("基金"))
    date = serializers.DateField(label=_("日期"))
    amount = MoneyField(label=_("金额（元）"))
    source = serializers.ChoiceField(choices=Source.choices, label=_("资金来源"))
    reference = serializers.CharField(max_length=128, required=False, default="", allow_blank=True)
    donor_name = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    budget_document = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class ReversalInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=128, label=_("冲正原因"))
    date = serializers.DateField(required=False, allow_null=True, default=None)


class PolicyInputSerializer(serializers.Serializer):
    support_sources = serializers.ListField(child=serializers.CharField(), help_text=SOURCE_CODES)
    guarantee_sources = serializers.ListField(child=serializers.CharField(), help_text=SOURCE_CODES)
    leverage = serializers.DecimalField(max_digits=5, decimal_places=2)


class ApplicationFieldsSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("申请类型代码：guarantee 贷款担保、support 资金扶持"))
    project = serializers.IntegerField(label=_("致富项目ID"))
    bank = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    loan_amount = MoneyField(required=False, allow_null=True, default=None)
    guaranteed_amount = MoneyField(required=False, allow_null=True, default=None)
    term_months = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=120)
    amount = MoneyField(required=False, allow_null=True, default=None)
    purpose = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class ApplicationInputSerializer(ApplicationFieldsSerializer):
    member = ScopedRelatedField(Member, label=_("贫困党员"))


class FundReviewInputSerializer(serializers.Serializer):
    opinion = serializers.CharField(label=_("审核意见"))


class FundRefuseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("不予批准理由"))


class PayInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=128, required=False, default="", allow_blank=True)


class IssueInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReleaseInputSerializer(serializers.Serializer):
    released_on = serializers.DateField(required=False, allow_null=True, default=None)


class CallInputSerializer(serializers.Serializer):
    amount = MoneyField()
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class RecoveryInputSerializer(serializers.Serializer):
    amount = MoneyField()
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=128, required=False, default="", allow_blank=True)


class RecoveryCloseInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionInputSerializer(serializers.Serializer):
    application = ScopedRelatedField(FundApplication)
    inspected_on = serializers.DateField()
    findings = serializers.CharField()
    conclusion = serializers.ChoiceField(choices=InspectionConclusion.choices)
    required_action = serializers.CharField(required=False, default="", allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class FollowUpCloseInputSerializer(serializers.Serializer):
    result = serializers.CharField()
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)

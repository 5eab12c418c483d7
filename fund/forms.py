from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organization.choices import RegionLevel
from organization.forms import ScopedModelForm, bootstrapify
from organization.models import Region

from .choices import ApplicationKind, InspectionConclusion, Source
from .models import Fund, FundPolicy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def amount_field(label, required=True):
    # No decimal_places here: the service says "最多保留两位小数" itself, in one place.
    return forms.DecimalField(label=label, required=required, widget=forms.NumberInput(attrs={"step": "0.01"}))


class PlainForm(forms.Form):
    """A form for a workflow step; ``user`` is accepted like ScopedModelForm's."""

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrapify(self)


class ReceiptForm(PlainForm):
    """A receipt; a plain form so that every rule's message comes from the service."""

    fund = forms.ModelChoiceField(label=_("基金"), queryset=Fund.objects.none(), empty_label=None)
    date = forms.DateField(label=_("日期"), widget=DATE)
    amount = amount_field(_("金额（元）"))
    source = forms.ChoiceField(label=_("资金来源"), choices=Source.choices)
    reference = forms.CharField(label=_("凭证号/摘要"), max_length=128, required=False)
    donor_name = forms.CharField(
        label=_("捐款人"), max_length=32, required=False, help_text=_("党员捐款时填写，捐款人可以是任何党员。")
    )
    budget_document = forms.CharField(
        label=_("预算文件文号"), max_length=64, required=False, help_text=_("财政补助时填写。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.visible_to(self.user)
        self.fields["date"].initial = timezone.localdate()


class ReversalForm(PlainForm):
    reason = forms.CharField(label=_("冲正原因"), max_length=128)
    date = forms.DateField(label=_("冲正日期"), widget=DATE, required=False)


class ApplicationForm(forms.Form):
    """An application's fields; plain, so that every rule's message comes from the service."""

    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices)
    project = forms.ModelChoiceField(label=_("致富项目"), queryset=None, empty_label=None)
    bank = forms.CharField(
        label=_("贷款银行"),
        max_length=64,
        required=False,
        help_text=_("贷款担保填写：贷款银行、贷款金额、担保金额（不大于贷款金额）、期限。"),
    )
    loan_amount = amount_field(_("贷款金额（元）"), required=False)
    guaranteed_amount = amount_field(_("担保金额（元）"), required=False)
    term_months = forms.IntegerField(label=_("贷款期限（月）"), required=False, min_value=1, max_value=120)
    amount = amount_field(_("扶持金额（元）"), required=False)
    purpose = forms.CharField(
        label=_("资金用途"), max_length=255, required=False, help_text=_("资金扶持填写：扶持金额和资金用途。")
    )

    def __init__(self, *args, user=None, instance=None, member=None, **kwargs):
        from projects.selectors import member_approved_projects

        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.base_fields}
            initial["project"] = instance.project_id
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.user = user
        member = member or instance.member
        self.fields["project"].queryset = member_approved_projects(member)
        bootstrapify(self)


class ReviewForm(PlainForm):
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(PlainForm):
    reason = forms.CharField(label=_("不予批准理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(PlainForm):
    pass


class PayForm(PlainForm):
    source = forms.ChoiceField(label=_("资金来源"), choices=Source.choices)
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE, required=False)
    reference = forms.CharField(label=_("凭证号"), max_length=128, required=False)


class IssueGuaranteeForm(PlainForm):
    source = forms.ChoiceField(label=_("占用资金来源"), choices=Source.choices)
    issued_on = forms.DateField(label=_("出具日期"), widget=DATE, required=False)


class ReleaseForm(PlainForm):
    released_on = forms.DateField(label=_("贷款还清日期"), widget=DATE, required=False)


class CallForm(PlainForm):
    amount = amount_field(_("代偿金额（元）"))
    paid_on = forms.DateField(label=_("代偿日期"), widget=DATE, required=False)


class RecoveryForm(PlainForm):
    amount = amount_field(_("还款金额（元）"))
    received_on = forms.DateField(label=_("还款日期"), widget=DATE, required=False)
    reference = forms.CharField(label=_("凭证号/摘要"), max_length=128, required=False)


class RecoveryCloseForm(PlainForm):
    reason = forms.CharField(label=_("核销理由"), widget=forms.Textarea(attrs={"rows": 3}))


class InspectionForm(PlainForm):
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.ChoiceField(label=_("结论"), choices=InspectionConclusion.choices)
    required_action = forms.CharField(
        label=_("整改要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("存在违规使用时填写。"),
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DATE, required=False)


class FollowUpCloseForm(PlainForm):
    result = forms.CharField(label=_("整改结果"), widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label=_("办结日期"), widget=DATE, required=False)


class PolicyForm(ScopedModelForm):
    class Meta:
        model = FundPolicy
        fields = ["support_sources", "guarantee_sources", "leverage"]


class FundForm(ScopedModelForm):
    class Meta:
        model = Fund
        fields = ["region", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(self.user).filter(
            level__in=[RegionLevel.CITY, RegionLevel.COUNTY]
        )
        self.fields["name"].required = False

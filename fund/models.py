"""The relief fund (贫困党员脱困基金): funds, the append-only ledger, applications,
guarantees, recovery after a call, and the supervision of use.

Design (see also fund/roles.py):

- One fund per jurisdiction region: the city's fund (市级基金) and, where a county keeps
  one, the county's fund. A fund is seen by the staff whose jurisdiction contains its
  region: city staff see every fund, county staff their county's. An application draws
  on the member's county fund if the county has one, otherwise on the city's.
- The ledger (``FundEntry``) holds signed amounts in yuan on two sums per source: cash
  (资金余额) and the cash set aside behind guarantees (担保占用). A receipt adds to cash;
  a disbursement, a call payment and the reversal of a receipt take from it. Issuing a
  guarantee sets aside ``guaranteed amount / N`` (N = the city's leverage, 放大倍数) of the
  source's cash; its release or call frees it. Balances are sums of entries, never a
  stored number; free (可用余额) = cash − reserved, and no operation may make it negative.
- Entries are never changed or deleted: save() refuses an update, delete() and the
  queryset's update()/delete() refuse, the admin is read-only, and on PostgreSQL a trigger
  (migration 0002) raises on UPDATE and DELETE. A mistake is corrected by a reversing
  entry that points at the entry it corrects; an entry is reversed at most once and a
  reversal is never reversed (a unique constraint, checked again by the service).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import ChoiceSetField, Member, MemberScopedMixin
from organization.choices import RegionLevel
from organization.models import Region, TimeStampedModel
from organization.scoping import ScopedModelMixin, ScopedQuerySet

from .choices import (
    Account,
    ApplicationKind,
    ApplicationStatus,
    EntryKind,
    FollowUpStatus,
    GuaranteeStatus,
    InspectionConclusion,
    RecoveryStatus,
    Source,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class LedgerImmutable(Exception):
    """Raised by any attempt to change or delete a ledger entry."""


def fund_scope_q(user, prefix: str = "") -> Q:
    """Funds whose region lies in the user's jurisdiction (city staff: all; county staff: their county's)."""
    region = user.region
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}region__path__startswith": region.path})


class Fund(ScopedModelMixin, TimeStampedModel):
    """A relief fund kept by the city or by one county (一级一基金)."""

    region = models.OneToOneField(
        Region,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="relief_fund",
        limit_choices_to={"level__in": [RegionLevel.CITY, RegionLevel.COUNTY]},
    )
    name = models.CharField(_("基金名称"), max_length=64)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("脱困基金")
        verbose_name_plural = _("脱困基金")
        ordering = ["region__path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("fund:fund_detail", kwargs={"pk": self.pk})

    @classmethod
    def scope_q(cls, user):
        return fund_scope_q(user)


class FundPolicy(TimeStampedModel):
    """The city's rules for every fund: which sources pay for what, and the leverage N.

    One row (the city's); services read it through ``selectors.current_policy``."""

    support_sources = ChoiceSetField(
        _("可用于资金扶持的来源"),
        choices_class=Source,
        blank=False,
        help_text=_("直接拨付扶持资金时可动用的资金来源。"),
    )
    guarantee_sources = ChoiceSetField(
        _("可用于贷款担保的来源"),
        choices_class=Source,
        blank=False,
        help_text=_("为贷款担保占用资金、代偿时可动用的资金来源。"),
    )
    leverage = models.DecimalField(
        _("担保放大倍数"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("在保余额最多为可担保来源资金余额的 N 倍；每笔担保占用“担保额 ÷ N”。"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("基金使用规则")
        verbose_name_plural = _("基金使用规则")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leverage__gte=1),
                name="fund_policy_leverage_at_least_one",
                violation_error_message=_("担保放大倍数不能小于 1。"),
            )
        ]

    def __str__(self):
        return str(_("基金使用规则"))

    @classmethod
    def scope_q(cls, user):
        # The city's rules apply everywhere: whoever may view them sees them.
        return Q()


class FundEntryQuerySet(ScopedQuerySet):
    """Entries are appended, never changed: the bulk paths refuse too."""

    def update(self, **kwargs):
        raise LedgerImmutable(_("基金台账只能追加，不能修改。"))

    def delete(self):
        raise LedgerImmutable(_("基金台账只能追加，不能删除；更正请做冲正。"))

    def _raw_delete(self, using):
        raise LedgerImmutable(_("基金台账只能追加，不能删除；更正请做冲正。"))


class FundEntry(models.Model):
    """One movement of money (台账分录): signed yuan on one source's cash or reserve."""

    fund = models.ForeignKey(Fund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY, help_text=_("正数增加，负数减少。"))
    source = models.CharField(_("资金来源"), max_length=16, choices=Source.choices)
    account = models.CharField(_("科目"), max_length=16, choices=Account.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    reference = models.CharField(_("凭证号/摘要"), max_length=128, blank=True)
    donor_name = models.CharField(_("捐款人"), max_length=32, blank=True)
    budget_document = models.CharField(_("预算文件文号"), max_length=64, blank=True)
    application = models.ForeignKey(
        "FundApplication",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    guarantee = models.ForeignKey(
        "Guarantee", verbose_name=_("担保"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的分录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("基金台账分录")
        verbose_name_plural = _("基金台账")
        ordering = ["-date", "-id"]
        permissions = [("reverse_fundentry", _("冲正基金台账分录"))]
        indexes = [
            models.Index(fields=["fund", "source", "account"], name="fund_entry_balance"),
            models.Index(fields=["fund", "date"], name="fund_entry_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="fund_entry_amount_not_zero", violation_error_message=_("金额不能为零。")
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="fund_entry_reversal_points_at_entry",
                violation_error_message=_("冲正分录必须指明所冲正的分录，其他分录不能指明。"),
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.DONATION) | ~Q(kind=EntryKind.RECEIPT) | ~Q(donor_name=""),
                name="fund_entry_donation_names_donor",
                violation_error_message=_("党员捐款须填写捐款人。"),
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.FISCAL) | ~Q(kind=EntryKind.RECEIPT) | ~Q(budget_document=""),
                name="fund_entry_fiscal_names_document",
                violation_error_message=_("财政补助须填写预算文件文号。"),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutable(_("基金台账只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("fund:entry_detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        raise LedgerImmutable(_("基金台账只能追加，不能删除；更正请做冲正。"))

    @classmethod
    def scope_q(cls, user):
        return fund_scope_q(user, "fund__")


class FundApplication(MemberScopedMixin, TimeStampedModel):
    """An application for a loan guarantee (贷款担保) or direct support (资金扶持)."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="fund_applications"
    )
    fund = models.ForeignKey(Fund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="applications")
    project = models.ForeignKey(
        "projects.IncomeProject",
        verbose_name=_("致富项目"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, editable=False
    )
    # 贷款担保
    bank = models.CharField(_("贷款银行"), max_length=64, blank=True)
    loan_amount = models.DecimalField(_("贷款金额（元）"), **MONEY, null=True, blank=True)
    guaranteed_amount = models.DecimalField(_("担保金额（元）"), **MONEY, null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(
        _("贷款期限（月）"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    # 资金扶持
    amount = models.DecimalField(_("扶持金额（元）"), **MONEY, null=True, blank=True)
    purpose = models.CharField(_("资金用途"), max_length=255, blank=True)

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协助申请的工作队员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    review_opinion = models.TextField(_("审核意见"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("不予批准理由"), blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("基金申请")
        verbose_name_plural = _("基金申请")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("submit_fundapplication", _("提交基金申请")),
            ("review_fundapplication", _("审核基金申请")),
            ("approve_fundapplication", _("审批基金申请")),
            ("disburse_fundapplication", _("拨付资金、出具担保")),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="fund_application_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(guaranteed_amount__isnull=True)
                | Q(loan_amount__isnull=True)
                | Q(guaranteed_amount__lte=models.F("loan_amount")),
                name="fund_application_guarantee_within_loan",
                violation_error_message=_("担保金额不能大于贷款金额。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REFUSED) | ~Q(refusal_reason=""),
                name="fund_application_refusal_has_reason",
                violation_error_message=_("不予批准须写明理由。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} {self.get_kind_display()}（{self.pk}）"

    def get_absolute_url(self):
        return reverse("fund:application_detail", kwargs={"pk": self.pk})

    @property
    def requested_amount(self):
        return self.guaranteed_amount if self.kind == ApplicationKind.GUARANTEE else self.amount


class Guarantee(MemberScopedMixin, TimeStampedModel):
    """A loan guarantee the fund has given (担保), until released or called."""

    application = models.OneToOneField(
        FundApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="guarantee"
    )
    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="guarantees")
    fund = models.ForeignKey(Fund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="guarantees")
    source = models.CharField(_("占用资金来源"), max_length=16, choices=Source.choices)
    bank = models.CharField(_("贷款银行"), max_length=64)
    loan_amount = models.DecimalField(_("贷款金额（元）"), **MONEY)
    guaranteed_amount = models.DecimalField(_("担保金额（元）"), **MONEY)
    reserved_amount = models.DecimalField(_("占用基金（元）"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("贷款期限（月）"))
    issued_on = models.DateField(_("出具日期"))
    due_on = models.DateField(_("到期日"))
    status = models.CharField(
        _("状态"), max_length=16, choices=GuaranteeStatus.choices, default=GuaranteeStatus.ISSUED, editable=False
    )
    ended_on = models.DateField(_("解除/代偿日期"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("贷款担保")
        verbose_name_plural = _("贷款担保")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["fund", "status"], name="fund_guarantee_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(guaranteed_amount__gt=0) & Q(guaranteed_amount__lte=models.F("loan_amount")),
                name="guarantee_within_loan",
                violation_error_message=_("担保金额须大于零且不大于贷款金额。"),
            ),
        ]

    def __str__(self):
        return _("%(member)s %(bank)s 担保 %(amount)s 元") % {
            "member": self.member.name,
            "bank": self.bank,
            "amount": self.guaranteed_amount,
        }

    def get_absolute_url(self):
        return reverse("fund:guarantee_detail", kwargs={"pk": self.pk})


class GuaranteeCall(MemberScopedMixin, TimeStampedModel):
    """A call on a guarantee (代偿): the fund paid the bank and recovers from the member."""

    guarantee = models.OneToOneField(Guarantee, verbose_name=_("担保"), on_delete=models.PROTECT, related_name="call")
    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("代偿日期"))
    paid_amount = models.DecimalField(_("代偿金额（元）"), **MONEY)
    status = models.CharField(
        _("追偿状态"),
        max_length=16,
        choices=RecoveryStatus.choices,
        default=RecoveryStatus.RECOVERING,
        editable=False,
    )
    closed_on = models.DateField(_("追偿终结日期"), null=True, blank=True, editable=False)
    close_reason = models.TextField(_("核销理由"), blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("担保代偿")
        verbose_name_plural = _("担保代偿")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_amount__gt=0),
                name="guarantee_call_paid_positive",
                violation_error_message=_("代偿金额必须大于零。"),
            ),
        ]

    def __str__(self):
        return _("%(member)s 代偿 %(amount)s 元") % {"member": self.member.name, "amount": self.paid_amount}

    def get_absolute_url(self):
        return self.guarantee.get_absolute_url()


class FundInspection(MemberScopedMixin, TimeStampedModel):
    """An inspection of how the money is used (监督资金使用), by the work team."""

    application = models.ForeignKey(
        FundApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="inspections"
    )
    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("检查情况"))
    conclusion = models.CharField(_("结论"), max_length=16, choices=InspectionConclusion.choices)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("资金使用检查")
        verbose_name_plural = _("资金使用检查")
        ordering = ["-inspected_on", "-id"]

    def __str__(self):
        return _("%(member)s %(day)s 资金使用检查") % {"member": self.member.name, "day": self.inspected_on}

    def get_absolute_url(self):
        return reverse("fund:application_detail", kwargs={"pk": self.application_id}) + "#inspections"


class FollowUp(MemberScopedMixin, TimeStampedModel):
    """The follow-up a finding of misuse opens (整改跟踪), until closed with its result."""

    inspection = models.OneToOneField(
        FundInspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="follow_up"
    )
    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+")
    required_action = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, editable=False
    )
    result = models.TextField(_("整改结果"), blank=True, editable=False)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("违规使用整改")
        verbose_name_plural = _("违规使用整改")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.CLOSED) | ~Q(result=""),
                name="follow_up_closed_with_result",
                violation_error_message=_("办结须写明整改结果。"),
            ),
        ]

    def __str__(self):
        return _("%(member)s 资金使用整改（%(deadline)s 前）") % {"member": self.member.name, "deadline": self.deadline}

    def get_absolute_url(self):
        return reverse("fund:follow_up_close", kwargs={"pk": self.pk})


__all__ = [
    "Fund",
    "FundApplication",
    "FundEntry",
    "FundInspection",
    "FundPolicy",
    "FollowUp",
    "Guarantee",
    "GuaranteeCall",
    "LedgerImmutable",
]

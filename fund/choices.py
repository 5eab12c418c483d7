from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """党费拨一点、党员捐一点、财政补一点."""

    PARTY_DUES = "party_dues", _("党费拨付")
    DONATION = "donation", _("党员捐款")
    FISCAL = "fiscal", _("财政补助")


class Account(models.TextChoices):
    """The two sums an entry moves: the fund's cash, or the cash set aside behind guarantees."""

    CASH = "cash", _("资金余额")
    RESERVED = "reserved", _("担保占用")


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("收入")
    DISBURSEMENT = "disbursement", _("扶持资金拨付")
    RESERVATION = "reservation", _("担保占用")
    RELEASE = "release", _("担保解除")
    CALL_PAYMENT = "call_payment", _("代偿支付")
    RECOVERY = "recovery", _("代偿追回")
    REVERSAL = "reversal", _("冲正")


# Kinds a person types in by hand and may correct by a reversing entry; the other kinds
# belong to an application or guarantee workflow and are corrected there.
REVERSIBLE_KINDS = frozenset({EntryKind.RECEIPT, EntryKind.RECOVERY})


class ApplicationKind(models.TextChoices):
    GUARANTEE = "guarantee", _("贷款担保")
    SUPPORT = "support", _("资金扶持")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    REVIEWED = "reviewed", _("已审核")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    DISBURSED = "disbursed", _("已拨付")
    GUARANTEE_ISSUED = "guarantee_issued", _("已担保")


OPEN_STATUSES = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED, ApplicationStatus.APPROVED}
)


class GuaranteeStatus(models.TextChoices):
    ISSUED = "issued", _("在保")
    RELEASED = "released", _("已解除")
    CALLED = "called", _("已代偿")


class RecoveryStatus(models.TextChoices):
    RECOVERING = "recovering", _("追偿中")
    RECOVERED = "recovered", _("已全额追回")
    WRITTEN_OFF = "written_off", _("追偿终结（核销）")


class InspectionConclusion(models.TextChoices):
    PROPER = "proper", _("使用规范")
    MISUSE = "misuse", _("存在违规使用")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已办结")

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import FollowUp, FundApplication, FundEntry, FundInspection, Guarantee

ATTRS = {"class": "table table-sm table-hover align-middle"}


class FundEntryTable(tables.Table):
    date = tables.Column(linkify=True)
    fund = tables.Column(accessor="fund__name", verbose_name=_("基金"))
    amount = tables.Column(attrs={"td": {"class": "text-end text-nowrap"}})
    created_by = tables.Column(accessor="created_by__display_name", verbose_name=_("记账人"))

    class Meta:
        model = FundEntry
        fields = ("date", "fund", "kind", "source", "account", "amount", "reference", "created_by")
        order_by = ("-date",)
        attrs = ATTRS


class FundApplicationTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = tables.Column(
        accessor="member__name", verbose_name=_("贫困党员"), linkify=lambda record: record.get_absolute_url()
    )
    requested = tables.Column(accessor="requested_amount", verbose_name=_("金额（元）"), orderable=False)

    class Meta:
        model = FundApplication
        fields = ("id", "member", "kind", "requested", "status", "created_at")
        order_by = ("-created_at",)
        attrs = ATTRS


class GuaranteeTable(tables.Table):
    member = tables.Column(
        accessor="member__name", verbose_name=_("贫困党员"), linkify=lambda record: record.get_absolute_url()
    )

    class Meta:
        model = Guarantee
        fields = (
            "member",
            "bank",
            "loan_amount",
            "guaranteed_amount",
            "reserved_amount",
            "issued_on",
            "due_on",
            "status",
        )
        order_by = ("-issued_on",)
        attrs = ATTRS


class FundInspectionTable(tables.Table):
    member = tables.Column(
        accessor="member__name", verbose_name=_("贫困党员"), linkify=lambda record: record.get_absolute_url()
    )

    class Meta:
        model = FundInspection
        fields = ("inspected_on", "member", "conclusion", "findings")
        order_by = ("-inspected_on",)
        attrs = ATTRS


class FollowUpTable(tables.Table):
    member = tables.Column(
        accessor="member__name", verbose_name=_("贫困党员"), linkify=lambda record: record.get_absolute_url()
    )

    class Meta:
        model = FollowUp
        fields = ("member", "required_action", "deadline", "status", "result", "closed_on")
        order_by = ("deadline",)
        attrs = ATTRS

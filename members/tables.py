import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import IdNumberReveal, IncomeThreshold, Member


class MemberTable(tables.Table):
    file_number = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    id_number = tables.Column(accessor="masked_id_number", verbose_name=_("公民身份号码"), orderable=False)
    age = tables.Column(accessor="birth_date", verbose_name=_("年龄"))
    village = tables.Column(
        accessor="village__full_name", verbose_name=_("所在村（社区）"), order_by=("village__path",)
    )
    status = tables.Column()

    class Meta:
        model = Member
        fields = ("file_number", "name", "gender", "age", "id_number", "village", "labour_capacity", "track", "status")
        order_by = ("file_number",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_age(self, record):
        return record.age

    def render_village(self, value):
        # the city name is the same on every row
        return value.split("/", 1)[-1]

    def render_status(self, record):
        label = record.get_status_display()
        if record.is_relapsed:
            return format_html('{} <span class="badge text-bg-warning">{}</span>', label, _("返贫"))
        return label


class ThresholdTable(tables.Table):
    class Meta:
        model = IncomeThreshold
        fields = ("year", "out_of_poverty", "well_off", "notice_days", "set_by", "updated_at")


class RevealRecordTable(tables.Table):
    """个人信息查阅记录: when, who and why; each log's table adds the person, linked."""

    revealed_at = tables.DateTimeColumn(format="Y-m-d H:i")
    user = tables.Column(order_by=("user__display_name", "user__username"))
    purpose = tables.Column(orderable=False)

    class Meta:
        order_by = ("-revealed_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}


class IdNumberRevealTable(RevealRecordTable):
    """Who saw a member's full ID number."""

    member = tables.Column(
        accessor="member__name",
        verbose_name=_("贫困党员"),
        linkify=lambda record: record.member.get_absolute_url(),
        order_by=("member__name",),
    )

    class Meta(RevealRecordTable.Meta):
        model = IdNumberReveal
        fields = ("revealed_at", "user", "member", "purpose")

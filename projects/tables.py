import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import IncomeProject


class IncomeProjectTable(tables.Table):
    title = tables.Column(linkify=True)
    member = tables.Column(
        accessor="member__name", verbose_name=_("贫困党员"), linkify=lambda record: record.member.get_absolute_url()
    )
    village = tables.Column(
        accessor="member__village__name", verbose_name=_("所在村（社区）"), order_by=("member__village__path",)
    )
    status = tables.Column()

    class Meta:
        model = IncomeProject
        fields = ("title", "member", "village", "direction", "budget", "expected_income", "proposed_on", "status")
        order_by = ("-proposed_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_status(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            record.status_badge,
            record.get_status_display(),
        )

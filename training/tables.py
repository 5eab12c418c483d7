import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import BaseVisit, Enrolment, Expert, ExpertService, PracticeBase, TrainingBatch

ATTRS = {"class": "table table-sm table-hover align-middle"}


class BatchTable(tables.Table):
    title = tables.Column(linkify=True)
    region = tables.Column(accessor="region__name", verbose_name=_("主办"))
    seated = tables.Column(verbose_name=_("已录取/计划"), orderable=False)
    recommended = tables.Column(verbose_name=_("待录取"))

    class Meta:
        model = TrainingBatch
        fields = (
            "period_number",
            "title",
            "region",
            "start_date",
            "end_date",
            "place",
            "seated",
            "recommended",
            "status",
        )
        order_by = ("-start_date",)
        attrs = ATTRS

    def render_seated(self, record):
        return f"{record.seated}/{record.capacity}"


class EnrolmentTable(tables.Table):
    member = tables.Column(
        accessor="member__name", verbose_name=_("姓名"), linkify=lambda record: record.get_absolute_url()
    )
    village = tables.Column(accessor="recommending_village__name", verbose_name=_("推荐村（社区）"))
    batch = tables.Column(
        accessor="batch__title", verbose_name=_("培训班"), linkify=lambda record: record.batch.get_absolute_url()
    )
    recommended_by = tables.Column(accessor="recommended_by__display_name", verbose_name=_("推荐人"))

    class Meta:
        model = Enrolment
        fields = (
            "member",
            "village",
            "batch",
            "recommended_by",
            "recommended_on",
            "status",
            "grade",
            "certificate_number",
        )
        order_by = ("-recommended_on",)
        attrs = ATTRS


class ExpertTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(accessor="region__name", verbose_name=_("所属服务团"))

    class Meta:
        model = Expert
        fields = ("name", "department", "unit", "title", "specialty", "phone", "region", "is_active")
        attrs = ATTRS


class ExpertServiceTable(tables.Table):
    served_on = tables.Column(linkify=True)
    expert = tables.Column(accessor="expert__name", verbose_name=_("专家"))
    content = tables.Column(orderable=False)

    class Meta:
        model = ExpertService
        fields = ("served_on", "expert", "kind", "place", "content", "follow_up_due", "follow_up_done_on")
        order_by = ("-served_on",)
        attrs = ATTRS

    def render_content(self, value):
        return value if len(value) <= 30 else value[:30] + "…"


class PracticeBaseTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(accessor="region__full_name", verbose_name=_("所在地"))
    learnable = tables.Column(orderable=False)

    class Meta:
        model = PracticeBase
        fields = ("name", "kind", "region", "plaque_date", "learnable", "is_active")
        attrs = ATTRS

    def render_region(self, value):
        return value.split("/", 1)[-1]

    def render_learnable(self, value):
        return value if len(value) <= 30 else value[:30] + "…"


class BaseVisitTable(tables.Table):
    visited_on = tables.Column(linkify=True)
    base = tables.Column(accessor="base__name", verbose_name=_("实践基地"))
    batch = tables.Column(accessor="batch__title", verbose_name=_("所属培训班"))
    people = tables.Column(verbose_name=_("人数"), orderable=False)

    class Meta:
        model = BaseVisit
        fields = ("visited_on", "base", "batch", "people")
        order_by = ("-visited_on",)
        attrs = ATTRS

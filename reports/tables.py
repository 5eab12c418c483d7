import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Admonition, BulletinJob, Commendation, Evaluation, JurisdictionPlan, Programme

ATTRS = {"class": "table table-sm table-hover align-middle"}


class ProgrammeTable(tables.Table):
    name = tables.Column(linkify=("reports:programme_edit", {"pk": tables.A("pk")}))

    class Meta:
        model = Programme
        fields = ("name", "start_year", "years", "phase1_end_year", "bulletin_month", "bulletin_day", "is_active")
        attrs = ATTRS


class PlanTable(tables.Table):
    region = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("region__path",))

    class Meta:
        model = JurisdictionPlan
        fields = (
            "year",
            "region",
            "target_out_of_poverty",
            "target_trained",
            "target_projects",
            "target_mentor_pairs",
            "updated_at",
        )
        order_by = ("year", "region")
        attrs = ATTRS


class BulletinTable(tables.Table):
    region = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("region__path",))
    progress = tables.Column(verbose_name=_("进度（%）"))

    class Meta:
        model = BulletinJob
        fields = ("year", "region", "state", "progress", "finished_at")
        attrs = ATTRS


class AdmonitionTable(tables.Table):
    person_name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__path",))
    rectification = tables.Column(
        accessor="rectification__get_state_display", verbose_name=_("整改"), orderable=False, default="—"
    )

    class Meta:
        model = Admonition
        fields = ("year", "region", "person_name", "person_post", "state", "talked_on", "rectification")
        attrs = ATTRS


class CommendationTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__path",))

    class Meta:
        model = Commendation
        fields = ("year", "kind", "name", "region", "state", "notice_ends")
        attrs = ATTRS


class EvaluationTable(tables.Table):
    subject_name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__path",))

    class Meta:
        model = Evaluation
        fields = ("year", "subject_kind", "subject_name", "region", "score", "grade")
        attrs = ATTRS

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.tables import RevealRecordTable

from .models import (
    CentreService,
    Difficulty,
    EnterpriseSupport,
    Helper,
    Mentor,
    MentorPair,
    Pairing,
    PoorResident,
    PoorResidentIdReveal,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
)

ATTRS = {"class": "table table-sm table-hover align-middle"}


class MemberColumn(tables.Column):
    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("贫困党员"))
        kwargs.setdefault("accessor", "member__name")
        super().__init__(**kwargs)


class HelperTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(accessor="region__name", verbose_name=_("所属区划"))

    class Meta:
        model = Helper
        fields = ("kind", "name", "region", "phone", "is_active")
        attrs = ATTRS


class PairingTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = MemberColumn()
    helper = tables.Column(accessor="helper__name", verbose_name=_("帮扶力量"))
    kind = tables.Column(accessor="helper__kind", verbose_name=_("帮扶类型"))

    class Meta:
        model = Pairing
        fields = ("id", "member", "kind", "helper", "starts_on", "ends_on", "is_key_target", "reason")
        attrs = ATTRS

    def render_kind(self, record):
        return record.helper.get_kind_display()


class VisitNoteTable(tables.Table):
    visited_on = tables.Column(linkify=True)
    member = MemberColumn()
    helper = tables.Column(accessor="helper__name", verbose_name=_("帮扶力量"))
    visitor = tables.Column(accessor="visitor__display_name", verbose_name=_("走访人"))
    findings = tables.Column(orderable=False)

    class Meta:
        model = VisitNote
        fields = ("visited_on", "member", "helper", "visitor", "findings")
        attrs = ATTRS

    def render_findings(self, value):
        return value if len(value) <= 40 else value[:40] + "…"


class DifficultyTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = MemberColumn()
    coordinator = tables.Column(accessor="coordinator__name", verbose_name=_("协调责任方"))
    status = tables.Column()

    class Meta:
        model = Difficulty
        fields = ("id", "member", "kind", "coordinator", "deadline", "status")
        attrs = ATTRS

    def render_status(self, record):
        label = record.get_status_display()
        if record.is_overdue:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', label, _("逾期"))
        return label


class EnterpriseSupportTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = MemberColumn()
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("帮扶企业"))

    class Meta:
        model = EnterpriseSupport
        fields = ("id", "given_on", "member", "enterprise", "kind", "description", "value")
        attrs = ATTRS


class CentreServiceTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = MemberColumn()

    class Meta:
        model = CentreService
        fields = ("id", "started_on", "member", "kind", "description", "employer", "post", "outcome")
        attrs = ATTRS


class WelfareReferralTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    member = MemberColumn()

    class Meta:
        model = WelfareReferral
        fields = ("id", "member", "scheme", "status", "proposed_on", "referred_on", "decided_on", "benefit")
        attrs = ATTRS


class VisitPolicyTable(tables.Table):
    set_by = tables.Column(accessor="set_by__display_name", verbose_name=_("设定人"), default="—")

    class Meta:
        model = VisitPolicy
        fields = ("kind", "every_days", "set_by", "updated_at")
        attrs = ATTRS


class MentorTable(tables.Table):
    member = MemberColumn(linkify=lambda record: record.get_absolute_url())
    status = tables.Column(accessor="member__status", verbose_name=_("脱贫状态"))

    class Meta:
        model = Mentor
        fields = ("member", "status", "designated_on", "is_active", "reason")
        attrs = ATTRS

    def render_status(self, record):
        return record.member.get_status_display()


class PoorResidentTable(tables.Table):
    name = tables.Column(linkify=True)
    id_number = tables.Column(accessor="masked_id_number", verbose_name=_("公民身份号码"), orderable=False)
    village = tables.Column(accessor="village__name", verbose_name=_("所在村（社区）"))

    class Meta:
        model = PoorResident
        fields = ("name", "id_number", "village", "household_size", "income_per_head")
        attrs = ATTRS


class MentorPairTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    mentor = tables.Column(accessor="mentor__member__name", verbose_name=_("帮带党员"))
    resident = tables.Column(accessor="resident__name", verbose_name=_("贫困群众"))

    class Meta:
        model = MentorPair
        fields = ("id", "mentor", "resident", "starts_on", "ends_on", "goal")
        attrs = ATTRS


class PoorResidentIdRevealTable(RevealRecordTable):
    """Who saw a poor resident's full ID number."""

    resident = tables.Column(
        accessor="resident__name",
        verbose_name=_("贫困群众"),
        linkify=lambda record: record.resident.get_absolute_url(),
        order_by=("resident__name",),
    )

    class Meta(RevealRecordTable.Meta):
        model = PoorResidentIdReveal
        fields = ("revealed_at", "user", "resident", "purpose")

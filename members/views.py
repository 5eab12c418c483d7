import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ScopedViewMixin,
    add_service_errors,
)
from organization.hooks import sections

from . import idnumbers, selectors, services
from .filtersets import IdNumberRevealFilterSet, IncomeThresholdFilterSet, MemberFilterSet
from .forms import (
    DecisionNoteForm,
    HouseholdMemberForm,
    IncomeCheckForm,
    MemberForm,
    ObjectionForm,
    ObjectionResolutionForm,
    PlanForm,
    RevealForm,
    ThresholdForm,
    TrackDecisionForm,
)
from .models import (
    HouseholdMember,
    IdNumberReveal,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
    TrackDecision,
)
from .tables import IdNumberRevealTable, MemberTable, ThresholdTable


class MemberListView(ObjectListView):
    queryset = Member.objects.select_related("village", "township", "county")
    filterset_class = MemberFilterSet
    table_class = MemberTable
    add_url_name = "members:member_add"
    template_name = "members/member_list.html"


class MemberEditView(ObjectEditView):
    queryset = Member.objects.select_related("village")
    form_class = MemberForm
    template_name = "members/member_form.html"

    def form_valid(self, form):
        try:
            member = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            context = {"form": form}
            if getattr(error, "code", None) == "possible_duplicate":
                form.offer_duplicate_confirmation()
                context["duplicates"] = self._possible_duplicates(form)
            return self.render_to_response(self.get_context_data(**context))
        messages.success(self.request, _("已保存：%(object)s") % {"object": member})
        return redirect(member.get_absolute_url())

    def _possible_duplicates(self, form):
        village = form.cleaned_data.get("village")
        try:
            number = idnumbers.validate(form.cleaned_data.get("id_number"))
        except ValidationError:
            return []  # the service reports the bad number on its field
        if village is None:
            return []
        return list(
            selectors.possible_duplicates(
                user=self.request.user,
                name=form.cleaned_data["name"],
                birth_date=idnumbers.birth_date(number),
                township=village.parent,
                exclude_pk=self.object.pk if self.object else None,
            )
        )

    def save(self, form):
        if self.object is None:
            return services.member_create(
                actor=self.request.user,
                confirm_not_duplicate=form.cleaned_data.get("confirm_not_duplicate", False),
                **form.service_fields,
            )
        return services.member_update(actor=self.request.user, member=self.object, **form.service_fields)


class MemberDetailView(ObjectDetailView):
    queryset = Member.objects.all()
    template_name = "members/member_detail.html"

    def get_object(self, queryset=None):
        try:
            return selectors.member_file(user=self.request.user, pk=self.kwargs["pk"])
        except Member.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        context["plans"] = list(member.plans.all())
        context["current_plan"] = next((p for p in context["plans"] if p.is_current), None)
        context["can_reveal"] = self.request.user.has_perm("members.reveal_id_number")
        context["revealed_id"] = self.request.session.pop(f"revealed-{member.pk}", None)
        context["reveal_form"] = RevealForm()
        context["years"] = range(member.registered_on.year, timezone.localdate().year)
        context["perms_member"] = {
            action: self.request.user.has_perm(f"members.{action}")
            for action in (
                "change_member",
                "add_povertyexitplan",
                "add_incomecheck",
                "add_householdmember",
                "change_statuschange",
                "add_objection",
                "add_trackdecision",
            )
        }
        context["file_sections"] = sections("member_file_sections", self.request, member)
        return context


class MemberHistoryView(ObjectHistoryView):
    queryset = Member.objects.all()
    # the full number only through the logged reveal, for old numbers too
    history_masked = {"id_number": idnumbers.mask}


class MemberAsOfView(ScopedViewMixin, DetailView):
    """The file as it stood at the end of a past year (年末档案)."""

    queryset = Member.objects.all()
    template_name = "members/member_as_of.html"

    def get_object(self, queryset=None):
        current = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        year = self.kwargs["year"]
        moment = datetime.datetime(year, 12, 31, 23, 59, 59, tzinfo=timezone.get_current_timezone())
        self.moment = moment
        record = current.history.filter(history_date__lte=moment).order_by("-history_date", "-history_id").first()
        if record is None:
            raise Http404(_("该年末尚未建档。"))
        return record.instance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member, moment = self.object, self.moment
        context["year"] = self.kwargs["year"]
        context["plans"] = _latest_records(PovertyExitPlan, member.pk, moment)
        context["income_checks"] = _latest_records(IncomeCheck, member.pk, moment)
        return context


def _latest_records(model, member_pk, moment):
    """Each record of ``model`` for the member as it stood at ``moment`` (deleted ones left out)."""
    latest = {}
    for record in model.history.filter(member_id=member_pk, history_date__lte=moment).order_by("history_date"):
        latest[record.id] = record
    return [record.instance for record in latest.values() if record.history_type != "-"]


class MemberPrintView(MemberDetailView):
    """The A4 per-person file (建档立卡登记表), for printing."""

    template_name = "members/member_print.html"


class RevealIdView(ScopedViewMixin, DetailView):
    """POST only: show the full number once, and log who saw it.

    Other people's records with an ID number (贫困群众) subclass it with their own
    ``reveal`` (a service that logs) and ``session_key``."""

    queryset = Member.objects.all()
    http_method_names = ["post"]

    def reveal(self, obj, purpose: str) -> str:
        return services.id_number_reveal(actor=self.request.user, member=obj, purpose=purpose)

    def session_key(self, obj) -> str:
        return f"revealed-{obj.pk}"

    def post(self, request, *args, **kwargs):
        obj = self.get_object()  # outside the jurisdiction: 404, whatever the role
        if not request.user.has_perm("members.reveal_id_number"):
            raise PermissionDenied(_("您的角色不能查看完整身份证号码。"))
        form = RevealForm(request.POST)
        purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
        try:
            number = self.reveal(obj, purpose)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[self.session_key(obj)] = number
        return redirect(obj.get_absolute_url())


class MemberActionView(ObjectEditView):
    """A form on a member's file that calls one service (plan, income check, ...).

    The member comes from ``member_pk`` in the URL, or from the record being acted on.
    """

    template_name = "members/member_action.html"
    title = ""
    anchor = ""

    def get_member(self):
        if self.object is not None:
            return self.member_of(self.object)
        if not hasattr(self, "_member"):
            self._member = get_object_or_404(Member.objects.visible_to(self.request.user), pk=self.kwargs["member_pk"])
        return self._member

    def member_of(self, obj):
        return obj.member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.get_member()  # 404 before the form is shown
        if not isinstance(kwargs.get("instance"), self.model):
            kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.get_member()
        context["title"] = self.title
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.get_member().get_absolute_url() + self.anchor)


class PlanCreateView(MemberActionView):
    queryset = PovertyExitPlan.objects.all()
    form_class = PlanForm
    title = _("制定脱贫规划")
    anchor = "#plan"

    def save(self, form):
        return services.plan_create(actor=self.request.user, member=self.get_member(), **form.service_fields)


class IncomeCheckCreateView(MemberActionView):
    queryset = IncomeCheck.objects.all()
    form_class = IncomeCheckForm
    title = _("录入年度收入核查")
    anchor = "#income"

    def save(self, form):
        return services.income_check_record(actor=self.request.user, member=self.get_member(), **form.service_fields)


class HouseholdMemberEditView(MemberActionView):
    queryset = HouseholdMember.objects.select_related("member")
    form_class = HouseholdMemberForm
    title = _("家庭成员")
    anchor = "#household"

    def save(self, form):
        return services.household_member_save(
            actor=self.request.user, member=self.get_member(), household_member=self.object, **form.service_fields
        )


class TrackDecisionView(MemberActionView):
    queryset = TrackDecision.objects.all()
    form_class = TrackDecisionForm
    title = _("人工决定帮扶类别")
    anchor = "#track"

    def get_member(self):
        if not hasattr(self, "_member"):
            # deciding the track changes the member: it must be changeable by this user
            self._member = get_object_or_404(
                Member.objects.visible_to(self.request.user, "change"), pk=self.kwargs["member_pk"]
            )
        return self._member

    def save(self, form):
        return services.member_decide_track(actor=self.request.user, member=self.get_member(), **form.cleaned_data)


class StatusChangeConfirmView(MemberActionView):
    queryset = StatusChange.objects.select_related("member")
    form_class = DecisionNoteForm
    title = _("确认状态变更")
    anchor = "#status"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change"] = self.object
        return context

    def save(self, form):
        return services.status_change_confirm(
            actor=self.request.user, status_change=self.object, note=form.cleaned_data["note"]
        )


class StatusChangeWithdrawView(StatusChangeConfirmView):
    title = _("撤回状态变更公示")

    def save(self, form):
        return services.status_change_withdraw(
            actor=self.request.user, status_change=self.object, note=form.cleaned_data["note"]
        )


class ObjectionCreateView(MemberActionView):
    queryset = Objection.objects.all()
    form_class = ObjectionForm
    title = _("登记公示异议")
    anchor = "#status"

    def get_change(self):
        if not hasattr(self, "_change"):
            self._change = get_object_or_404(
                StatusChange.objects.visible_to(self.request.user).select_related("member"),
                pk=self.kwargs["change_pk"],
            )
        return self._change

    def get_member(self):
        return self.get_change().member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change"] = self.get_change()
        return context

    def save(self, form):
        return services.objection_record(
            actor=self.request.user, status_change=self.get_change(), **form.service_fields
        )


class ObjectionResolveView(MemberActionView):
    queryset = Objection.objects.select_related("status_change__member")
    form_class = ObjectionResolutionForm
    title = _("核实处理异议")
    anchor = "#status"

    def member_of(self, obj):
        return obj.status_change.member

    def save(self, form):
        return services.objection_resolve(actor=self.request.user, objection=self.object, **form.cleaned_data)


class ThresholdListView(ObjectListView):
    queryset = IncomeThreshold.objects.select_related("set_by")
    table_class = ThresholdTable
    filterset_class = IncomeThresholdFilterSet
    add_url_name = "members:threshold_set"
    template_name = "members/threshold_list.html"


class IdNumberRevealListView(ObjectListView):
    """身份证号查看记录: the reveals of the members the user may see, newest first."""

    queryset = IdNumberReveal.objects.select_related("user", "member")
    table_class = IdNumberRevealTable
    filterset_class = IdNumberRevealFilterSet
    template_name = "members/idnumberreveal_list.html"


class ThresholdSetView(ObjectEditView):
    queryset = IncomeThreshold.objects.all()
    form_class = ThresholdForm

    def save(self, form):
        services.threshold_set(actor=self.request.user, **form.cleaned_data)

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存 %(year)s 年度收入标准。") % {"year": form.cleaned_data["year"]})
        return redirect("members:threshold_list")

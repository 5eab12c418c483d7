"""Pages of the relief fund: thin; every write calls fund.services, every read starts from visible_to."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from members.models import Member
from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ScopedViewMixin,
    add_service_errors,
)

from . import forms, selectors, services
from .choices import ApplicationKind, ApplicationStatus, GuaranteeStatus, RecoveryStatus
from .exporting import write_ledger
from .filtersets import (
    FollowUpFilterSet,
    FundApplicationFilterSet,
    FundEntryFilterSet,
    FundInspectionFilterSet,
    GuaranteeFilterSet,
)
from .models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, FundPolicy, Guarantee
from .tables import FollowUpTable, FundApplicationTable, FundEntryTable, FundInspectionTable, GuaranteeTable

# --- dashboard and funds ---------------------------------------------------------------


class DashboardView(ScopedViewMixin, TemplateView):
    """Balance by source, reserved, free, guarantees, calls and recoveries, per year."""

    fund_tab = "overview"
    queryset = Fund.objects.all()
    template_name = "fund/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.dashboard(user=self.request.user))
        user = self.request.user
        context["can_receive"] = user.has_perm("fund.add_fundentry")
        context["can_set_policy"] = user.has_perm("fund.change_fundpolicy")
        return context


class FundDetailView(ObjectDetailView):
    fund_tab = "overview"
    queryset = Fund.objects.select_related("region")
    template_name = "fund/fund_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["balances"] = selectors.fund_balances(self.object)
        context["outstanding"] = selectors.outstanding_guarantees(self.object)
        context["entries"] = list(
            FundEntry.objects.visible_to(self.request.user)
            .filter(fund=self.object)
            .select_related("created_by")
            .order_by("-date", "-id")[:20]
        )
        return context


class FundCreateView(ObjectEditView):
    queryset = Fund.objects.all()
    form_class = forms.FundForm

    def save(self, form):
        return services.fund_create(actor=self.request.user, **form.cleaned_data)


class PolicyEditView(ObjectEditView):
    """The city's rules; one row, edited in place."""

    queryset = FundPolicy.objects.all()
    form_class = forms.PolicyForm

    def dispatch(self, request, *args, **kwargs):
        self.scope_action = "change"
        return super(ObjectEditView, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object = selectors.current_policy()
        return kwargs

    def form_valid(self, form):
        try:
            services.policy_set(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存基金使用规则。"))
        return redirect("fund:dashboard")


# --- the ledger ------------------------------------------------------------------------


class EntryListView(ObjectListView):
    fund_tab = "ledger"
    queryset = FundEntry.objects.select_related("fund", "created_by")
    filterset_class = FundEntryFilterSet
    table_class = FundEntryTable
    add_url_name = "fund:receipt_add"
    template_name = "fund/entry_list.html"


@login_required
def entry_export(request):
    """The filtered ledger as .xlsx: the page's filter set over the user's scope."""
    if not request.user.has_perm("fund.view_fundentry"):
        raise PermissionDenied(_("您的角色没有这项权限。"))
    queryset = FundEntry.objects.visible_to(request.user)
    filterset = FundEntryFilterSet(request.GET, queryset=queryset, request=request)
    buffer = io.BytesIO()
    write_ledger(filterset.qs, user=request.user, destination=buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="fund-ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


class EntryDetailView(ObjectDetailView):
    fund_tab = "ledger"
    queryset = FundEntry.objects.select_related("fund", "created_by", "reverses", "application__member", "guarantee")
    template_name = "fund/entry_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reversed_by"] = FundEntry.objects.visible_to(self.request.user).filter(reverses=self.object).first()
        context["can_reverse"] = self.request.user.has_perm("fund.reverse_fundentry")
        return context


class ReceiptCreateView(ObjectEditView):
    fund_tab = "ledger"
    queryset = FundEntry.objects.all()
    form_class = forms.ReceiptForm
    template_name = "fund/action.html"

    def save(self, form):
        return services.receipt_record(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("录入基金收入")
        return context


# --- actions on one record -------------------------------------------------------------


class ActionView(ObjectEditView):
    """A form that applies one service to one record (``pk``), then returns to the record.

    ``action_scope`` is the model permission the record must be reached with and
    ``permission`` an extra permission (a workflow step); the service checks both again.
    """

    template_name = "fund/action.html"
    form_class = forms.ConfirmForm
    action_scope = "view"
    fund_tab = ""  # the tab of fund/_nav.html marked as current; each page sets its own
    permission = None
    title = ""

    def dispatch(self, request, *args, **kwargs):
        self.scope_action = self.action_scope
        if request.user.is_authenticated and self.permission and not request.user.has_perm(self.permission):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        return super(ObjectEditView, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def success_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已办理：%(title)s") % {"title": self.title})
        return redirect(self.success_url())


class EntryReverseView(ActionView):
    fund_tab = "ledger"
    queryset = FundEntry.objects.select_related("fund")
    form_class = forms.ReversalForm
    permission = "fund.reverse_fundentry"
    title = gettext_lazy("冲正分录")

    def save(self, form):
        return services.entry_reverse(actor=self.request.user, entry=self.object, **form.cleaned_data)


# --- applications ----------------------------------------------------------------------


class ApplicationListView(ObjectListView):
    fund_tab = "applications"
    queryset = FundApplication.objects.select_related("member")
    filterset_class = FundApplicationFilterSet
    table_class = FundApplicationTable
    template_name = "fund/list.html"


class ApplicationQueueView(ApplicationListView):
    """The applications waiting for this user's step (队列)."""

    fund_tab = "queue"

    def get_queryset(self):
        return selectors.application_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name_plural"] = _("待我办理的基金申请")
        return context


class ApplicationCreateView(ObjectEditView):
    """A new application for one member (``member_pk``), prepared with the work team."""

    fund_tab = "applications"
    queryset = FundApplication.objects.all()
    form_class = forms.ApplicationForm
    template_name = "fund/application_form.html"

    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = get_object_or_404(Member.objects.visible_to(self.request.user), pk=self.kwargs["member_pk"])
        return self._member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["member"] = self.get_member()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.get_member()
        context["reasons"] = selectors.application_eligibility(self.get_member())
        return context

    def save(self, form):
        return services.application_create(actor=self.request.user, member=self.get_member(), **form.cleaned_data)


class ApplicationEditView(ObjectEditView):
    fund_tab = "applications"
    queryset = FundApplication.objects.select_related("member")
    form_class = forms.ApplicationForm
    template_name = "fund/application_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.object.member
        return context

    def save(self, form):
        return services.application_update(actor=self.request.user, application=self.object, **form.cleaned_data)


class ApplicationDetailView(ObjectDetailView):
    fund_tab = "applications"
    queryset = FundApplication.objects.select_related(
        "member", "fund", "project", "prepared_by", "reviewed_by", "decided_by"
    )
    template_name = "fund/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.object, self.request.user
        context["guarantee"] = Guarantee.objects.visible_to(user).filter(application=application).first()
        context["entries"] = list(
            FundEntry.objects.visible_to(user).filter(application=application).order_by("date", "id")
        )
        context["inspections"] = list(
            FundInspection.objects.visible_to(user)
            .filter(application=application)
            .select_related("inspector", "follow_up")
            .order_by("-inspected_on")
        )
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
            context["reasons"] = selectors.application_eligibility(application.member)
        context["steps"] = _steps(application, user)
        context["can_inspect"] = user.has_perm("fund.add_fundinspection") and application.status in (
            ApplicationStatus.DISBURSED,
            ApplicationStatus.GUARANTEE_ISSUED,
        )
        return context


def _steps(application, user) -> list[tuple[str, str, str]]:
    """The workflow buttons this user may press now: (url name, label, button style)."""
    status, kind = application.status, application.kind
    candidates = {
        ApplicationStatus.DRAFT: [
            ("fund:application_edit", _("修改"), "outline-secondary", "fund.change_fundapplication"),
            ("fund:application_submit", _("提交"), "danger", "fund.submit_fundapplication"),
        ],
        ApplicationStatus.SUBMITTED: [
            ("fund:application_review", _("审核"), "danger", "fund.review_fundapplication"),
            ("fund:application_refuse", _("不予批准"), "outline-danger", "fund.approve_fundapplication"),
        ],
        ApplicationStatus.REVIEWED: [
            ("fund:application_approve", _("批准"), "danger", "fund.approve_fundapplication"),
            ("fund:application_refuse", _("不予批准"), "outline-danger", "fund.approve_fundapplication"),
        ],
        ApplicationStatus.APPROVED: [
            ("fund:application_disburse", _("拨付资金"), "danger", "fund.disburse_fundapplication")
            if kind == ApplicationKind.SUPPORT
            else ("fund:guarantee_issue", _("出具担保"), "danger", "fund.disburse_fundapplication")
        ],
    }
    return [(name, label, style) for name, label, style, perm in candidates.get(status, []) if user.has_perm(perm)]


class ApplicationHistoryView(ObjectHistoryView):
    queryset = FundApplication.objects.all()


class ApplicationStepView(ActionView):
    fund_tab = "applications"
    queryset = FundApplication.objects.select_related("member", "fund")


class ApplicationSubmitView(ApplicationStepView):
    permission = "fund.submit_fundapplication"
    title = gettext_lazy("提交基金申请")

    def save(self, form):
        return services.application_submit(actor=self.request.user, application=self.object)


class ApplicationReviewView(ApplicationStepView):
    form_class = forms.ReviewForm
    permission = "fund.review_fundapplication"
    title = gettext_lazy("审核基金申请")

    def save(self, form):
        return services.application_review(actor=self.request.user, application=self.object, **form.cleaned_data)


class ApplicationApproveView(ApplicationStepView):
    permission = "fund.approve_fundapplication"
    title = gettext_lazy("批准基金申请")

    def save(self, form):
        return services.application_approve(actor=self.request.user, application=self.object)


class ApplicationRefuseView(ApplicationStepView):
    form_class = forms.RefuseForm
    permission = "fund.approve_fundapplication"
    title = gettext_lazy("不予批准")

    def save(self, form):
        return services.application_refuse(actor=self.request.user, application=self.object, **form.cleaned_data)


class ApplicationDisburseView(ApplicationStepView):
    form_class = forms.PayForm
    permission = "fund.disburse_fundapplication"
    title = gettext_lazy("拨付扶持资金")

    def save(self, form):
        return services.application_disburse(actor=self.request.user, application=self.object, **form.cleaned_data)


class GuaranteeIssueView(ApplicationStepView):
    form_class = forms.IssueGuaranteeForm
    permission = "fund.disburse_fundapplication"
    title = gettext_lazy("出具贷款担保")

    def save(self, form):
        return services.guarantee_issue(actor=self.request.user, application=self.object, **form.cleaned_data)


class InspectionCreateView(ActionView):
    """A work team's inspection of one application's money (``application_pk``)."""

    fund_tab = "inspections"
    queryset = FundInspection.objects.all()
    form_class = forms.InspectionForm
    action_scope = "add"
    title = gettext_lazy("记录资金使用检查")

    def get_application(self):
        if not hasattr(self, "_application"):
            self._application = get_object_or_404(
                FundApplication.objects.visible_to(self.request.user).select_related("member"),
                pk=self.kwargs["application_pk"],
            )
        return self._application

    def get_form_kwargs(self):
        self.object = self.get_application()  # 404 before the form is shown
        return super().get_form_kwargs()

    def save(self, form):
        return services.inspection_record(
            actor=self.request.user, application=self.get_application(), **form.cleaned_data
        )


# --- guarantees ------------------------------------------------------------------------


class GuaranteeListView(ObjectListView):
    fund_tab = "guarantees"
    template_name = "fund/list.html"
    queryset = Guarantee.objects.select_related("member")
    filterset_class = GuaranteeFilterSet
    table_class = GuaranteeTable


class GuaranteeDetailView(ObjectDetailView):
    fund_tab = "guarantees"
    queryset = Guarantee.objects.select_related("member", "fund", "application", "issued_by")
    template_name = "fund/guarantee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guarantee, user = self.object, self.request.user
        context["entries"] = list(FundEntry.objects.visible_to(user).filter(guarantee=guarantee).order_by("date", "id"))
        call = getattr(guarantee, "call", None) if guarantee.status == GuaranteeStatus.CALLED else None
        context["call"] = call
        if call is not None:
            context["recovered"] = selectors.recovered_amount(call)
            context["owed"] = call.paid_amount - context["recovered"]
            context["recovering"] = call.status == RecoveryStatus.RECOVERING
        context["can_act"] = user.has_perm("fund.change_guarantee")
        context["can_recover"] = user.has_perm("fund.change_guaranteecall")
        return context


class GuaranteeHistoryView(ObjectHistoryView):
    queryset = Guarantee.objects.all()


class GuaranteeActionView(ActionView):
    fund_tab = "guarantees"
    queryset = Guarantee.objects.select_related("member", "fund")
    action_scope = "change"


class GuaranteeReleaseView(GuaranteeActionView):
    form_class = forms.ReleaseForm
    title = gettext_lazy("解除担保（贷款已还清）")

    def save(self, form):
        return services.guarantee_release(actor=self.request.user, guarantee=self.object, **form.cleaned_data)


class GuaranteeCallView(GuaranteeActionView):
    form_class = forms.CallForm
    title = gettext_lazy("担保代偿")

    def save(self, form):
        return services.guarantee_call(actor=self.request.user, guarantee=self.object, **form.cleaned_data)


class RecoveryCreateView(GuaranteeActionView):
    form_class = forms.RecoveryForm
    permission = "fund.change_guaranteecall"
    title = gettext_lazy("登记追偿还款")

    def save(self, form):
        return services.recovery_record(actor=self.request.user, guarantee=self.object, **form.cleaned_data)


class RecoveryCloseView(GuaranteeActionView):
    form_class = forms.RecoveryCloseForm
    permission = "fund.change_guaranteecall"
    title = gettext_lazy("终结追偿（核销）")

    def save(self, form):
        call = getattr(self.object, "call", None)
        if call is None:
            raise ValidationError(_("该担保没有代偿，无需终结追偿。"))
        return services.recovery_close(actor=self.request.user, call=call, **form.cleaned_data)


# --- supervision -----------------------------------------------------------------------


class InspectionListView(ObjectListView):
    fund_tab = "inspections"
    template_name = "fund/list.html"
    queryset = FundInspection.objects.select_related("member")
    filterset_class = FundInspectionFilterSet
    table_class = FundInspectionTable


class FollowUpListView(ObjectListView):
    fund_tab = "follow_ups"
    template_name = "fund/list.html"
    queryset = FollowUp.objects.select_related("member")
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable


class FollowUpCloseView(ActionView):
    fund_tab = "follow_ups"
    queryset = FollowUp.objects.select_related("member", "inspection__application")
    form_class = forms.FollowUpCloseForm
    action_scope = "change"
    title = gettext_lazy("办结整改")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_up"] = self.object
        return context

    def success_url(self):
        return self.object.inspection.application.get_absolute_url() + "#inspections"

    def save(self, form):
        return services.follow_up_close(actor=self.request.user, follow_up=self.object, **form.cleaned_data)


# --- hooks -----------------------------------------------------------------------------


def member_file_section(request, member):
    """The member's fund history on their file (2 queries), for those who may see it."""
    user = request.user
    if not user.has_perm("fund.view_fundapplication"):
        return None
    history = selectors.member_fund_history(user=user, member=member)
    return {
        "template": "fund/_member_file.html",
        "applications": history["applications"],
        "can_apply": user.has_perm("fund.add_fundapplication"),
    }


def home_panel(request):
    """How many applications wait for this user's step."""
    user = request.user
    if not user.has_perm("fund.view_fundapplication"):
        return None
    waiting = selectors.application_queue(user=user).count()
    if not waiting:
        return None
    return {"template": "fund/_home_panel.html", "waiting": waiting}

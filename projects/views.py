"""Pages of the income projects: list (cards on a phone), detail with the whole
timeline, a form for each step, history, Excel export, and the hooks for the member's
file, the home page and the work list. Thin: the rules are in projects.services."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_service_errors,
)
from organization.history import history_entries

from . import exporting, selectors, services
from .choices import APPROVED_STATES, FINAL_STATES, ProjectStatus
from .filtersets import IncomeProjectFilterSet
from .forms import ApproveForm, CloseForm, ProgressForm, ProjectForm, RefuseForm, ReviewForm, StartForm, SupportForm
from .models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport
from .services import EDITABLE_STATES
from .tables import IncomeProjectTable


class ProjectListView(ObjectListView):
    queryset = IncomeProject.objects.select_related("member__village")
    filterset_class = IncomeProjectFilterSet
    table_class = IncomeProjectTable
    add_url_name = "projects:project_add"
    template_name = "projects/project_list.html"


class ProjectDetailView(ObjectDetailView):
    queryset = IncomeProject.objects.all()
    template_name = "projects/project_detail.html"

    def get_object(self, queryset=None):
        try:
            return selectors.project_detail(user=self.request.user, pk=self.kwargs["pk"])
        except IncomeProject.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        status = project.status
        context["timeline"] = selectors.timeline(project)
        context["support_totals"] = selectors.support_totals(project)
        latest = context["latest_review"] = next(iter(project.reviews.all()), None)
        context["steps"] = {
            "edit": status in EDITABLE_STATES and user.has_perm("projects.change_incomeproject"),
            "review": status in EDITABLE_STATES and user.has_perm("projects.review_incomeproject"),
            # approval needs a feasible latest review (the service says so too)
            "approve": status == ProjectStatus.REVIEWING
            and latest is not None
            and latest.is_feasible
            and user.has_perm("projects.approve_incomeproject"),
            "refuse": status in EDITABLE_STATES and user.has_perm("projects.approve_incomeproject"),
            "start": status == ProjectStatus.APPROVED and user.has_perm("projects.change_incomeproject"),
            "support": status in APPROVED_STATES and user.has_perm("projects.add_projectsupport"),
            "progress": status == ProjectStatus.RUNNING and user.has_perm("projects.add_progressreport"),
            "close": status in APPROVED_STATES and user.has_perm("projects.change_incomeproject"),
        }
        context["is_final"] = status in FINAL_STATES
        return context


class ProjectHistoryView(ObjectHistoryView):
    """Each step with who and when, choices shown by their labels; support values and
    progress reports (money) with their own history below."""

    queryset = IncomeProject.objects.select_related("member")
    template_name = "projects/project_history.html"

    def get_context_data(self, **kwargs):
        context = super(ObjectHistoryView, self).get_context_data(**kwargs)
        project, user = self.object, self.request.user
        context["history"] = history_entries(project.history.all(), IncomeProject, user=user, summary=lambda r: r.title)
        context["support_history"] = history_entries(
            ProjectSupport.history.filter(project_id=project.pk),
            ProjectSupport,
            user=user,
            summary=lambda r: (
                _("%(kind)s：%(giver)s，%(value)s 元（%(day)s）")
                % {"kind": r.get_kind_display(), "giver": r.giver_name, "value": r.value, "day": r.given_on}
            ),
        )
        context["progress_history"] = history_entries(
            ProgressReport.history.filter(project_id=project.pk),
            ProgressReport,
            user=user,
            summary=lambda r: (
                _("%(day)s 进展，累计收入 %(income)s 元") % {"day": r.reported_on, "income": r.income_to_date}
            ),
        )
        return context


class ProjectProposeView(ObjectEditView):
    """Propose a project (from the list, or from a member's file with ``member_pk``);
    with ``pk``, change the proposal before it is decided."""

    queryset = IncomeProject.objects.select_related("member")
    form_class = ProjectForm
    template_name = "projects/project_form.html"

    def get(self, request, *args, **kwargs):
        if "pk" in kwargs:
            project = self.get_object()
            if project.status not in EDITABLE_STATES:
                messages.error(request, services.wrong_state_message(project, "update", EDITABLE_STATES))
                return redirect(project)
        return super().get(request, *args, **kwargs)

    def get_member(self):
        if "member_pk" not in self.kwargs:
            return None
        if not hasattr(self, "_member"):
            self._member = get_object_or_404(Member.objects.visible_to(self.request.user), pk=self.kwargs["member_pk"])
        return self._member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["member"] = self.get_member()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.object.member if self.object else self.get_member()
        return context

    def save(self, form):
        fields = dict(form.service_fields)
        if self.object is not None:
            fields.pop("member", None)
            return services.project_update(actor=self.request.user, project=self.object, **fields)
        member = self.get_member() or fields.pop("member")
        fields.pop("member", None)
        return services.project_propose(actor=self.request.user, member=member, **fields)


class ProjectStepView(ObjectEditView):
    """A form that takes a project one step (review, approve, start, ...) through a service.

    The project is the URL's ``pk`` (this view's queryset) or ``project_pk`` (a record
    added under it); either way it must be visible to the user, else 404."""

    template_name = "projects/project_step.html"
    title = ""
    project_action = "view"

    def dispatch(self, request, *args, **kwargs):
        # Skip ObjectEditView's add/change choice: each step names its own scope_action.
        return super(ObjectEditView, self).dispatch(request, *args, **kwargs)

    def get_project(self):
        if not hasattr(self, "_project"):
            if "project_pk" in self.kwargs:
                projects = IncomeProject.objects.visible_to(self.request.user, self.project_action)
                self._project = get_object_or_404(projects.select_related("member"), pk=self.kwargs["project_pk"])
            else:
                self._project = get_object_or_404(self.get_queryset().select_related("member"), pk=self.kwargs["pk"])
        return self._project

    def get_form_kwargs(self):
        self.get_project()  # 404 before the form is shown
        kwargs = super(ObjectEditView, self).get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.get_project()
        context["title"] = self.title
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存：%(step)s。") % {"step": self.title})
        return redirect(self.get_project().get_absolute_url())


class ReviewCreateView(ProjectStepView):
    queryset = ProjectReview.objects.all()
    scope_action = "add"
    project_action = "review"
    form_class = ReviewForm
    title = gettext_lazy("录入项目论证")

    def save(self, form):
        return services.review_record(actor=self.request.user, project=self.get_project(), **form.service_fields)


class ApproveView(ProjectStepView):
    queryset = IncomeProject.objects.all()
    scope_action = "approve"
    form_class = ApproveForm
    title = gettext_lazy("批准项目")

    def save(self, form):
        return services.project_approve(actor=self.request.user, project=self.get_project(), **form.cleaned_data)


class RefuseView(ProjectStepView):
    queryset = IncomeProject.objects.all()
    scope_action = "approve"
    form_class = RefuseForm
    title = gettext_lazy("不予批准")

    def save(self, form):
        return services.project_refuse(actor=self.request.user, project=self.get_project(), **form.cleaned_data)


class StartView(ProjectStepView):
    queryset = IncomeProject.objects.all()
    scope_action = "change"
    form_class = StartForm
    title = gettext_lazy("开始实施")

    def save(self, form):
        return services.project_start(actor=self.request.user, project=self.get_project(), **form.cleaned_data)


class SupportCreateView(ProjectStepView):
    queryset = ProjectSupport.objects.all()
    scope_action = "add"
    form_class = SupportForm
    title = gettext_lazy("登记项目扶持")

    def save(self, form):
        return services.support_record(actor=self.request.user, project=self.get_project(), **form.service_fields)


class ProgressCreateView(ProjectStepView):
    queryset = ProgressReport.objects.all()
    scope_action = "add"
    form_class = ProgressForm
    title = gettext_lazy("报告项目进展")

    def save(self, form):
        return services.progress_record(actor=self.request.user, project=self.get_project(), **form.service_fields)


class CloseView(ProjectStepView):
    queryset = IncomeProject.objects.all()
    scope_action = "change"
    form_class = CloseForm
    title = gettext_lazy("项目结项")

    def save(self, form):
        return services.project_close(actor=self.request.user, project=self.get_project(), **form.cleaned_data)


def project_export(request):
    """The list as an Excel workbook (same filters as the page), scoped, formula-escaped."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")
    if not user.has_perm("projects.view_incomeproject"):
        raise PermissionDenied(_("您的角色没有这项权限。"))
    queryset = selectors.project_list(user=user, filters=request.GET, request=request)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exporting.write_projects(queryset, user=user, destination=handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=exporting.export_filename(user))


# --- hooks (organization.hooks) --------------------------------------------------------------


def member_file_section(request, member):
    """The member's projects on their file: one query."""
    user = request.user
    if not user.has_perm("projects.view_incomeproject"):
        return None
    return {
        "template": "projects/_member_file.html",
        "projects": list(selectors.member_projects(user=user, member=member)),
        "can_propose": user.has_perm("projects.add_incomeproject"),
    }


def home_panel(request):
    """Projects by status within the user's jurisdiction: one query."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("projects.view_incomeproject"):
        return None
    counts = selectors.status_counts(user=user)
    if not counts["total"]:
        return None
    return {"template": "projects/_home_panel.html", **counts}

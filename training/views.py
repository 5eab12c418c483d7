"""Training pages: thin views over training.services and training.selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ScopedViewMixin,
    add_service_errors,
)
from organization.scoping import permission_name

from . import exporting, selectors, services
from .choices import BATCH_NEXT_STATUS, SEAT_STATUSES, AttendanceStatus, BatchStatus, EnrolmentStatus
from .filtersets import (
    BaseVisitFilterSet,
    BatchFilterSet,
    EnrolmentFilterSet,
    ExpertFilterSet,
    ExpertServiceFilterSet,
    PracticeBaseFilterSet,
)
from .forms import (
    AssessForm,
    BaseVisitForm,
    BatchAdvanceForm,
    BatchForm,
    BudgetItemForm,
    ExpertForm,
    ExpertServiceForm,
    FollowUpForm,
    NoteForm,
    PracticeBaseForm,
    RecommendForm,
    SessionForm,
    TopicForm,
)
from .models import (
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)
from .tables import (
    BaseVisitTable,
    BatchTable,
    EnrolmentTable,
    ExpertServiceTable,
    ExpertTable,
    PracticeBaseTable,
)


def _visible_batch(user, pk, action="view"):
    return get_object_or_404(TrainingBatch.objects.visible_to(user, action).select_related("region"), pk=pk)


def _can_change_batch(user, batch) -> bool:
    return TrainingBatch.objects.visible_to(user, "change").filter(pk=batch.pk).exists()


class ChildEditView(ObjectEditView):
    """A form for a record under a batch (or another parent): the parent comes from
    ``batch_pk`` when adding, from the record when changing; it must be changeable."""

    template_name = "training/form_page.html"
    title = ""
    parent_kwarg = "batch_pk"

    def get_parent(self):
        if not hasattr(self, "_parent"):
            if self.object is not None:
                self._parent = self.parent_of(self.object)
            else:
                self._parent = _visible_batch(self.request.user, self.kwargs[self.parent_kwarg])
            if not _can_change_batch(self.request.user, self._parent):
                raise PermissionDenied(_("只有主办单位的工作人员可以修改这期培训班。"))
        return self._parent

    def parent_of(self, obj):
        return obj.batch

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.get_parent()  # 404 or 403 before the form is shown
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["parent"] = self.get_parent()
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.success_url_for(self.get_parent()))

    def success_url_for(self, parent):
        return parent.get_absolute_url()


class CanChangeObjectMixin:
    """``can_change`` for this record, not only for its kind (region line, own services)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = (
            self.model.objects.visible_to(self.request.user, "change").filter(pk=self.object.pk).exists()
        )
        return context


class BatchListView(ObjectListView):
    queryset = TrainingBatch.objects.select_related("region").annotate(
        seated=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES), distinct=True),
        recommended=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.RECOMMENDED), distinct=True),
    )
    filterset_class = BatchFilterSet
    table_class = BatchTable
    add_url_name = "training:batch_add"
    template_name = "training/batch_list.html"


class BatchDetailView(ObjectDetailView):
    queryset = TrainingBatch.objects.select_related("region", "created_by")
    template_name = "training/batch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch, user = self.object, self.request.user
        roster = list(selectors.batch_roster(user=user, batch=batch))
        context["roster"] = roster
        context["seated"] = batch.enrolments.filter(status__in=SEAT_STATUSES).count()
        context["topics"] = list(batch.topics.select_related("expert"))
        context["sessions"] = list(batch.sessions.select_related("topic"))
        context["can_manage"] = _can_change_batch(user, batch)
        context["can_recommend"] = user.has_perm("training.add_enrolment") and batch.status in (
            BatchStatus.PLANNED,
            BatchStatus.ENROLLING,
        )
        context["can_see_costs"] = user.has_perm("training.view_batchbudgetitem")
        if context["can_see_costs"]:
            context["cost_total"] = selectors.batch_cost_total(batch)
        next_status = BATCH_NEXT_STATUS.get(batch.status)
        context["next_status"] = BatchStatus(next_status) if next_status else None
        return context


class BatchEditView(ObjectEditView):
    queryset = TrainingBatch.objects.select_related("region")
    form_class = BatchForm

    def save(self, form):
        if self.object is None:
            return services.batch_create(actor=self.request.user, **form.service_fields)
        return services.batch_update(actor=self.request.user, batch=self.object, **form.service_fields)


class BatchHistoryView(ObjectHistoryView):
    queryset = TrainingBatch.objects.all()


class BatchAdvanceView(ObjectEditView):
    """POST: move the batch to its next status."""

    queryset = TrainingBatch.objects.all()
    form_class = BatchAdvanceForm
    http_method_names = ["post"]

    def save(self, form):
        return services.batch_advance(
            actor=self.request.user, batch=self.object, to_status=form.cleaned_data["to_status"]
        )

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(self.object.get_absolute_url())


class NeedsPermissionMixin:
    """A page about a batch that shows another kind of record needs that kind's permission too."""

    extra_permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.extra_permission):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        return super().dispatch(request, *args, **kwargs)


class BatchRosterExportView(NeedsPermissionMixin, ScopedViewMixin, DetailView):
    """The roster as an Excel workbook, with what the user may see."""

    queryset = TrainingBatch.objects.select_related("region")
    extra_permission = "training.view_enrolment"

    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        roster = selectors.batch_roster(user=request.user, batch=batch)
        content = exporting.roster_workbook(batch, roster)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = exporting.roster_filename(batch)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        return response


class AttendanceSheetView(NeedsPermissionMixin, ObjectDetailView):
    """The printable attendance sheet (考勤表) of a batch."""

    queryset = TrainingBatch.objects.select_related("region")
    extra_permission = "training.view_enrolment"
    template_name = "training/attendance_sheet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"], context["rows"] = selectors.attendance_sheet(user=self.request.user, batch=self.object)
        context["blank_columns"] = range(max(0, 6 - len(context["sessions"])))
        return context


class BatchCostsView(NeedsPermissionMixin, ObjectDetailView):
    """The batch's costs paid by the city budget (市财政列支)."""

    queryset = TrainingBatch.objects.select_related("region")
    template_name = "training/batch_costs.html"
    extra_permission = "training.view_batchbudgetitem"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(self.object.budget_items.select_related("recorded_by"))
        context["items"] = items
        context["total"] = sum((item.amount for item in items), 0)
        context["can_manage"] = self.request.user.has_perm("training.add_batchbudgetitem") and _can_change_batch(
            self.request.user, self.object
        )
        return context


class BudgetYearView(ScopedViewMixin, TemplateView):
    """The city budget's training costs per year."""

    queryset = BatchBudgetItem.objects.all()
    template_name = "training/budget_years.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = selectors.budget_totals_by_year(user=self.request.user)
        context["grand_total"] = sum((row["total"] for row in context["years"]), 0)
        return context


class TopicEditView(ChildEditView):
    queryset = CurriculumTopic.objects.select_related("batch")
    form_class = TopicForm
    title = _("培训课程")

    def save(self, form):
        return services.topic_save(
            actor=self.request.user, batch=self.get_parent(), topic=self.object, **form.service_fields
        )

    def success_url_for(self, parent):
        return parent.get_absolute_url() + "#curriculum"


class SessionEditView(ChildEditView):
    queryset = TrainingSession.objects.select_related("batch")
    form_class = SessionForm
    title = _("培训课次")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["batch"] = self.get_parent()
        return kwargs

    def save(self, form):
        return services.session_save(
            actor=self.request.user, batch=self.get_parent(), session=self.object, **form.service_fields
        )

    def success_url_for(self, parent):
        return parent.get_absolute_url() + "#sessions"


class BudgetItemEditView(ChildEditView):
    queryset = BatchBudgetItem.objects.select_related("batch")
    form_class = BudgetItemForm
    title = _("培训经费支出")

    def save(self, form):
        if self.object is None:
            return services.budget_item_add(actor=self.request.user, batch=self.get_parent(), **form.service_fields)
        return services.budget_item_update(actor=self.request.user, item=self.object, **form.service_fields)

    def success_url_for(self, parent):
        return reverse("training:batch_costs", kwargs={"pk": parent.pk})


class BudgetItemHistoryView(ObjectHistoryView):
    queryset = BatchBudgetItem.objects.all()


class SessionAttendanceView(ScopedViewMixin, DetailView):
    """Take the attendance of one session: one row per trainee, a tap per status."""

    queryset = TrainingSession.objects.select_related("batch", "topic")
    template_name = "training/session_attendance.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            self.scope_action = "change"
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        roster = selectors.batch_roster(user=self.request.user, batch=session.batch).filter(status__in=SEAT_STATUSES)
        marks = {a.enrolment_id: a.status for a in session.attendances.all()}
        context["rows"] = [{"enrolment": e, "status": marks.get(e.pk, "")} for e in roster]
        context["statuses"] = AttendanceStatus.choices
        context["can_manage"] = _can_change_batch(self.request.user, session.batch)
        return context

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        marks = {
            key.removeprefix("mark-"): value
            for key, value in request.POST.items()
            if key.startswith("mark-") and value and key.removeprefix("mark-").isdigit()
        }
        visible = set(selectors.batch_roster(user=request.user, batch=session.batch).values_list("pk", flat=True))
        marks = {int(k): v for k, v in marks.items() if int(k) in visible}
        try:
            services.attendance_record(actor=request.user, session=session, marks=marks)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(object=session))
        messages.success(request, _("已保存考勤：%(count)s人。") % {"count": len(marks)})
        return redirect(session.batch.get_absolute_url() + "#sessions")


# --- enrolment ---------------------------------------------------------------------------


class RecommendStartView(ScopedViewMixin, TemplateView):
    """The batches a work team can recommend to now (phone first)."""

    queryset = Enrolment.objects.all()
    scope_action = "add"
    template_name = "training/recommend_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["batches"] = list(
            TrainingBatch.objects.visible_to(user)
            .filter(status__in=(BatchStatus.PLANNED, BatchStatus.ENROLLING))
            .select_related("region")
            .order_by("start_date")
        )
        context["mine"] = list(
            Enrolment.objects.visible_to(user)
            .filter(recommended_by=user)
            .select_related("member", "batch")
            .order_by("-recommended_on", "-id")[:30]
        )
        return context


class RecommendView(ChildEditView):
    """A work team ticks members of its villages for a batch."""

    queryset = Enrolment.objects.all()
    form_class = RecommendForm
    title = _("推荐学员")
    template_name = "training/recommend.html"

    def get_parent(self):
        # Recommending needs only to see the batch, not to run it.
        if not hasattr(self, "_parent"):
            self._parent = _visible_batch(self.request.user, self.kwargs["batch_pk"])
        return self._parent

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["batch"] = self.get_parent()
        return kwargs

    def save(self, form):
        batch, reason = self.get_parent(), form.cleaned_data["reason"]
        # All the ticked members, or none: a refusal names the member.
        with transaction.atomic():
            return [
                services.enrolment_recommend(actor=self.request.user, batch=batch, member=member, reason=reason)
                for member in form.cleaned_data["members"]
            ]

    def form_valid(self, form):
        try:
            created = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已推荐%(count)s人，等待主办单位录取。") % {"count": len(created)})
        return redirect("training:recommend_start")


class EnrolmentListView(ObjectListView):
    template_name = "training/list.html"
    queryset = Enrolment.objects.select_related("member", "batch", "recommended_by", "recommending_village")
    filterset_class = EnrolmentFilterSet
    table_class = EnrolmentTable


class EnrolmentDetailView(ObjectDetailView):
    queryset = Enrolment.objects.select_related(
        "member", "member__village", "batch", "recommended_by", "recommending_village", "admitted_by"
    )
    template_name = "training/enrolment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment = self.object
        context["attendances"] = list(enrolment.attendances.select_related("session", "session__topic"))
        context["can_manage"] = self.request.user.has_perm("training.change_enrolment") and _can_change_batch(
            self.request.user, enrolment.batch
        )
        return context


class EnrolmentHistoryView(ObjectHistoryView):
    queryset = Enrolment.objects.all()


class EnrolmentActionView(ChildEditView):
    queryset = Enrolment.objects.select_related("member", "batch")
    form_class = NoteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolment"] = self.object
        return context

    def success_url_for(self, parent):
        return parent.get_absolute_url() + "#roster"


class EnrolmentAdmitView(EnrolmentActionView):
    """POST: admit (录取)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrolment = self.get_object()
        self.object = enrolment
        self.get_parent()
        try:
            services.enrolment_admit(actor=request.user, enrolment=enrolment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已录取：%(name)s") % {"name": enrolment.member.name})
        return redirect(enrolment.batch.get_absolute_url() + "#roster")


class EnrolmentDeclineView(EnrolmentActionView):
    title = _("不予录取")

    def save(self, form):
        return services.enrolment_decline(actor=self.request.user, enrolment=self.object, **form.cleaned_data)


class EnrolmentDropView(EnrolmentActionView):
    title = _("中途退出")

    def save(self, form):
        return services.enrolment_drop(actor=self.request.user, enrolment=self.object, **form.cleaned_data)


class EnrolmentAssessView(EnrolmentActionView):
    form_class = AssessForm
    title = _("结业考核")

    def save(self, form):
        return services.enrolment_assess(actor=self.request.user, enrolment=self.object, **form.cleaned_data)


# --- experts and services ----------------------------------------------------------------


class ExpertListView(ObjectListView):
    template_name = "training/list.html"
    queryset = Expert.objects.select_related("region")
    filterset_class = ExpertFilterSet
    table_class = ExpertTable
    add_url_name = "training:expert_add"


class ExpertDetailView(CanChangeObjectMixin, ObjectDetailView):
    queryset = Expert.objects.select_related("region", "account")
    template_name = "training/expert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services_qs = ExpertService.objects.visible_to(self.request.user).filter(expert=self.object)
        context["services"] = list(services_qs.annotate(people=Count("members")).order_by("-served_on", "-id")[:50])
        context["service_counts"] = list(services_qs.values("kind").annotate(count=Count("id")).order_by("kind"))
        return context


class ExpertEditView(ObjectEditView):
    queryset = Expert.objects.select_related("region")
    form_class = ExpertForm

    def save(self, form):
        if self.object is None:
            return services.expert_create(actor=self.request.user, **form.service_fields)
        return services.expert_update(actor=self.request.user, expert=self.object, **form.service_fields)


class ExpertHistoryView(ObjectHistoryView):
    queryset = Expert.objects.all()


class ServiceListView(ObjectListView):
    template_name = "training/list.html"
    queryset = ExpertService.objects.select_related("expert")
    filterset_class = ExpertServiceFilterSet
    table_class = ExpertServiceTable
    add_url_name = "training:service_add"


class ServiceDetailView(CanChangeObjectMixin, ObjectDetailView):
    queryset = ExpertService.objects.select_related("expert", "batch", "recorded_by")
    template_name = "training/service_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, service = self.request.user, self.object
        context["members"] = list(
            service.members.all().visible_to(user).select_related("village").order_by("village__code", "name")
        )
        context["hidden_members"] = service.members.count() - len(context["members"])
        context["today"] = timezone.localdate()
        return context


class ServiceEditView(ObjectEditView):
    queryset = ExpertService.objects.select_related("expert")
    form_class = ExpertServiceForm

    def save(self, form):
        fields, members = form.service_fields, form.cleaned_data.get("members") or []
        if self.object is None:
            return services.expert_service_record(actor=self.request.user, members=members, **fields)
        return services.expert_service_update(actor=self.request.user, service=self.object, members=members, **fields)


class ServiceHistoryView(ObjectHistoryView):
    queryset = ExpertService.objects.all()


class FollowUpView(ObjectEditView):
    queryset = ExpertService.objects.select_related("expert")
    form_class = FollowUpForm
    template_name = "training/form_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("记录跟踪回访")
        context["parent"] = self.object
        return context

    def save(self, form):
        return services.follow_up_complete(actor=self.request.user, service=self.object, **form.cleaned_data)


# --- bases and visits --------------------------------------------------------------------


class BaseListView(ObjectListView):
    template_name = "training/list.html"
    queryset = PracticeBase.objects.select_related("region")
    filterset_class = PracticeBaseFilterSet
    table_class = PracticeBaseTable
    add_url_name = "training:base_add"


class BaseDetailView(CanChangeObjectMixin, ObjectDetailView):
    queryset = PracticeBase.objects.select_related("region")
    template_name = "training/base_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visits"] = list(
            BaseVisit.objects.visible_to(self.request.user)
            .filter(base=self.object)
            .select_related("batch")
            .annotate(people=Count("members"))
            .order_by("-visited_on")[:50]
        )
        return context


class BaseEditView(ObjectEditView):
    queryset = PracticeBase.objects.select_related("region")
    form_class = PracticeBaseForm

    def save(self, form):
        if self.object is None:
            return services.practice_base_create(actor=self.request.user, **form.service_fields)
        return services.practice_base_update(actor=self.request.user, base=self.object, **form.service_fields)


class BaseHistoryView(ObjectHistoryView):
    queryset = PracticeBase.objects.all()


class VisitListView(ObjectListView):
    template_name = "training/list.html"
    queryset = BaseVisit.objects.select_related("base", "batch").annotate(people=Count("members"))
    filterset_class = BaseVisitFilterSet
    table_class = BaseVisitTable
    add_url_name = "training:visit_add"


class VisitDetailView(CanChangeObjectMixin, ObjectDetailView):
    queryset = BaseVisit.objects.select_related("base", "batch", "recorded_by")
    template_name = "training/visit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        context["members"] = list(
            visit.members.all()
            .visible_to(self.request.user)
            .select_related("village")
            .order_by("village__code", "name")
        )
        context["hidden_members"] = visit.members.count() - len(context["members"])
        return context


class VisitEditView(ObjectEditView):
    queryset = BaseVisit.objects.select_related("base")
    form_class = BaseVisitForm

    def get_initial(self):
        initial = super().get_initial()
        for name in ("base", "batch"):
            if self.request.GET.get(name, "").isdigit():
                initial[name] = int(self.request.GET[name])
        return initial

    def save(self, form):
        fields, members = form.service_fields, form.cleaned_data.get("members") or []
        if self.object is None:
            return services.base_visit_record(actor=self.request.user, members=members, **fields)
        return services.base_visit_update(actor=self.request.user, visit=self.object, members=members, **fields)


class VisitHistoryView(ObjectHistoryView):
    queryset = BaseVisit.objects.all()


# --- hooks -------------------------------------------------------------------------------


def member_file_section(request, member):
    """Training, services received and visits on the member's file (3 queries)."""
    user = request.user
    if not user.has_perm(permission_name(Enrolment, "view")):
        return None
    enrolments, services_received, visits = selectors.member_training(user=user, member=member)
    return {
        "template": "training/_member_file.html",
        "enrolments": enrolments,
        "services_received": services_received,
        "visits": visits,
    }


def home_panel(request):
    """What is waiting in training for this user: follow-ups, admissions, open batches."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("training.view_trainingbatch"):
        return None
    items = selectors.work_items(user)
    # A work team's finished trainees are its key assistance targets (重点帮扶对象).
    targets = []
    if user.has_perm("training.view_enrolment"):
        targets = list(
            selectors.key_assistance_targets()
            .filter(recommended_by=user)
            .filter(pk__in=Enrolment.objects.visible_to(user).values("pk"))[:10]
        )
    if not items and not targets:
        return None
    return {
        "template": "training/_home_panel.html",
        "training_items": items[:8],
        "key_targets": targets,
        "today": timezone.localdate(),
    }

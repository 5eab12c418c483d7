import io
from urllib.parse import urlencode

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from config.routers import replica_reads
from members.choices import Status, Track
from organization.choices import RegionLevel
from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ScopedViewMixin,
    add_service_errors,
)
from organization.models import Region

from . import bulletin, dashboard, selectors, services
from .charts import Bar, BarChart
from .choices import AdmonitionState, BulletinState, CommendationState, RectificationState
from .filtersets import (
    AdmonitionFilterSet,
    BulletinFilterSet,
    CommendationFilterSet,
    EvaluationFilterSet,
    PlanFilterSet,
    ProgrammeFilterSet,
)
from .forms import (
    AdmonitionForm,
    AssessForm,
    BulletinRequestForm,
    CommendationForm,
    CommendationObjectionForm,
    EvaluationForm,
    FollowUpForm,
    NoteForm,
    PlanForm,
    ProgrammeForm,
    RectificationForm,
    ResolutionForm,
    TalkForm,
)
from .models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
)
from .tables import AdmonitionTable, BulletinTable, CommendationTable, EvaluationTable, PlanTable, ProgrammeTable

# --- programme ----------------------------------------------------------------------------


class ProgrammeListView(ObjectListView):
    queryset = Programme.objects.all()
    table_class = ProgrammeTable
    filterset_class = ProgrammeFilterSet
    add_url_name = "reports:programme_add"


class ProgrammeEditView(ObjectEditView):
    queryset = Programme.objects.all()
    form_class = ProgrammeForm

    def save(self, form):
        return services.programme_save(actor=self.request.user, programme=self.object, **form.service_fields)


class ProgrammeHistoryView(ObjectHistoryView):
    queryset = Programme.objects.all()


# --- jurisdiction plans -------------------------------------------------------------------


class PlanListView(ObjectListView):
    queryset = JurisdictionPlan.objects.select_related("region", "programme")
    table_class = PlanTable
    filterset_class = PlanFilterSet
    add_url_name = "reports:plan_add"


class PlanDetailView(ObjectDetailView):
    queryset = JurisdictionPlan.objects.select_related("region", "programme", "created_by")
    template_name = "reports/plan_detail.html"


class PlanEditView(ObjectEditView):
    queryset = JurisdictionPlan.objects.select_related("region", "programme")
    form_class = PlanForm

    def save(self, form):
        fields = form.service_fields
        if self.object is not None:
            fields.pop("region", None), fields.pop("year", None)
        return services.plan_save(actor=self.request.user, plan=self.object, **fields)


class PlanHistoryView(ObjectHistoryView):
    queryset = JurisdictionPlan.objects.all()


# --- dashboard ----------------------------------------------------------------------------


def year_param(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def members_url(**filters) -> str:
    return reverse("members:member_list") + "?" + urlencode({k: v for k, v in filters.items() if v is not None})


class DashboardView(ScopedViewMixin, DetailView):
    """Progress in a region and each region below it: city → county → township → village."""

    # the breadcrumbs walk up to the city: three levels in the same query
    queryset = Region.objects.select_related("parent__parent__parent")
    slug_field = slug_url_kwarg = "code"
    template_name = "reports/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("reports.view_dashboard"):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        with replica_reads():  # read-only figures: from the replica when there is one (config.routers)
            return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if "code" not in self.kwargs:
            if self.request.user.region is None:
                raise Http404(_("您的账号尚未设置管辖范围。"))
            self.kwargs["code"] = self.request.user.region.code
        return super().get_object(queryset)

    def live(self) -> bool:
        """``?live=1``: count now instead of reading the villages' snapshot."""
        return self.request.GET.get("live") == "1"

    def report(self):
        return selectors.progress_for_user(
            user=self.request.user, region=self.object, year=year_param(self.request), live=self.live()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, year = self.object, year_param(self.request)
        report = self.report()
        child_field = selectors.CHILD_KEY.get(region.level)

        def links(row, field):
            place = {field: row.region.pk} if field else {}
            return {
                "total": members_url(**place),
                "poor": members_url(**place, status=Status.POOR),
                "out": members_url(**place, status=Status.OUT),
                "well_off": members_url(**place, status=Status.WELL_OFF),
                "demonstration": members_url(**place, track=Track.DEMONSTRATION),
                "relief": members_url(**place, track=Track.RELIEF),
                "undecided": members_url(**place, track=Track.UNDECIDED),
                # a village too: its page has the village's own figures and sections
                "drill": reverse("reports:dashboard_region", kwargs={"code": row.region.code}) + f"?year={year}",
                "plan": row.plan.get_absolute_url() if row.plan else "",
            }

        rows = [{"row": row, "links": links(row, child_field)} for row in report.ranked()]
        # the whole city needs no place filter on the register list
        total_links = links(report.total, None if region.level == RegionLevel.CITY else region.level)
        context.update(
            {
                "year": year,
                # the programme's years to choose from, and the year shown if it lies outside them
                "years": sorted(
                    {*(report.programme.year_range if report.programme else range(year - 2, year + 2)), year}
                ),
                "report": report,
                "rows": rows,
                "total_links": total_links,
                "programme": report.programme,
                "phase": report.programme.phase_of(year) if report.programme else None,
                "charts": self.charts(report, rows, year, total_links),
                "section_tables": dashboard.tables(report),
                "breadcrumbs": self.breadcrumbs(region),
                "export_url": reverse("reports:dashboard_export", kwargs={"code": region.code})
                + f"?year={year}"
                + ("&live=1" if self.live() else ""),
                "live": self.live(),
                "live_url": f"?year={year}&live=1",
                "tally_minutes": settings.REPORTS_TALLY_MINUTES,
            }
        )
        return context

    def charts(self, report, rows, year, links):
        """Bars drawn on the server; each bar links to the list behind it."""
        status = BarChart(_("贫困党员脱贫状态"))
        counts = report.total.counts
        for key, label in ((Status.POOR, _("贫困")), (Status.OUT, _("脱贫")), (Status.WELL_OFF, _("小康"))):
            status.bars.append(Bar(label, counts.get(key, 0), links[key]))
        track = BarChart(_("帮扶类别"))
        for key, label in (("demonstration", _("脱困示范")), ("relief", _("社会救济")), ("undecided", _("待人工判定"))):
            track.bars.append(Bar(label, counts.get(key, 0), links[key]))
        completion = BarChart(_("%(year)s年度脱贫目标完成率") % {"year": year}, unit="%", maximum=100)
        goal = BarChart(_("三年目标进度（脱困示范对象已脱贫比例）"), unit="%", maximum=100)
        for entry in rows:
            row = entry["row"]
            if row.rate is not None:
                completion.bars.append(
                    Bar(row.region.name, row.rate, entry["links"]["drill"], css="bar-ok" if row.met else "bar-miss")
                )
            if row.goal_rate is not None:
                goal.bars.append(Bar(row.region.name, row.goal_rate, entry["links"]["drill"]))
        return [chart for chart in (status, track, completion, goal) if chart.bars]

    def breadcrumbs(self, region):
        """The way up to the user's own jurisdiction (no further: above it is out of scope)."""
        chain, node = [], region
        top = self.request.user.region
        while node is not None:
            chain.append(node)
            if top is not None and node.pk == top.pk:
                break
            node = node.parent if node.parent_id else None
        if top is None:
            chain = [region]
        return list(reversed(chain))


class DashboardExportView(DashboardView):
    """The dashboard's table as an Excel workbook."""

    def render_to_response(self, context, **response_kwargs):
        report = context["report"]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(_("进展看板"))
        sheet.write_string(
            0, 0, _("%(region)s %(year)s年度进展") % {"region": self.object.name, "year": report.year}, bold
        )
        for col, (label, _key) in enumerate(bulletin.RANKING_HEADERS):
            sheet.write_string(1, col, str(label), bold)
        line = 2
        for rank, row in enumerate(report.ranked(), start=1):
            for col, (_label, key) in enumerate(bulletin.RANKING_HEADERS):
                value = bulletin.ranking_cell(row.as_dict(), key, rank)
                bulletin.write_cell(sheet, line, col, value)
            line += 1
        total = report.total.as_dict()
        total["name"] = _("合计")
        for col, (_label, key) in enumerate(bulletin.RANKING_HEADERS):
            value = "" if key is None else bulletin.ranking_cell(total, key, 0)
            bulletin.write_cell(sheet, line, col, value)
        for table in context["section_tables"]:
            sheet = workbook.add_worksheet(str(table.title)[:31])
            for col, header in enumerate(table.headers):
                sheet.write_string(0, col, str(header), bold)
            for line, row in enumerate(table.rows, start=1):
                for col, cell in enumerate(row):
                    bulletin.write_cell(sheet, line, col, cell.value if isinstance(cell.value, int) else cell.display)
            if table.note:
                sheet.write_string(len(table.rows) + 2, 0, str(table.note))
        workbook.close()
        response = HttpResponse(
            output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"dashboard-{self.object.code}-{report.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- bulletins ----------------------------------------------------------------------------


class BulletinListView(ObjectListView):
    queryset = BulletinJob.objects.select_related("region")
    table_class = BulletinTable
    filterset_class = BulletinFilterSet
    template_name = "reports/bulletin_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("reports.add_bulletinjob"):
            context["request_form"] = BulletinRequestForm(
                user=user, initial={"year": timezone.localdate().year - 1, "region": user.region}
            )
        return context


class BulletinRequestView(ScopedViewMixin, FormView):
    """POST: produce (or produce again) the bulletin of a year and jurisdiction."""

    queryset = BulletinJob.objects.all()
    scope_action = "add"
    form_class = BulletinRequestForm
    template_name = "reports/bulletin_request.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            job = services.bulletin_request(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        job.refresh_from_db()
        if job.state == BulletinState.FAILED and not job.attempts:  # refused (the task queue is down): say so
            messages.error(self.request, job.message)
        elif job.state == BulletinState.DONE:  # produced within the request (no broker): not "started"
            messages.success(self.request, _("已生成：%(job)s") % {"job": job})
        else:
            messages.info(self.request, _("已开始生成：%(job)s") % {"job": job})
        return redirect(job.get_absolute_url())


class BulletinDetailView(ObjectDetailView):
    queryset = BulletinJob.objects.select_related("region", "requested_by")
    template_name = "reports/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["running"] = self.object.state in (BulletinState.QUEUED, BulletinState.RUNNING)
        context["can_request"] = self.request.user.has_perm("reports.add_bulletinjob")
        context["headers"] = [str(label) for label, _key in bulletin.RANKING_HEADERS]
        context["ranking"] = [
            [bulletin.ranking_cell(row, key, rank) for _label, key in bulletin.RANKING_HEADERS]
            for rank, row in enumerate(self.object.summary.get("ranking", []), start=1)
        ]
        return context


class BulletinStatusView(ObjectDetailView):
    """The job's state as JSON, for a page or a client polling it."""

    queryset = BulletinJob.objects.all()

    def render_to_response(self, context, **response_kwargs):
        job = self.object
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "progress": job.progress,
                "progress_note": job.progress_note,
                "message": job.message,
            }
        )


class BulletinDownloadView(ObjectDetailView):
    queryset = BulletinJob.objects.select_related("region")

    def render_to_response(self, context, **response_kwargs):
        job, kind = self.object, self.kwargs["kind"]
        name = {"docx": job.docx, "xlsx": job.xlsx}.get(kind)
        if job.state != BulletinState.DONE or not name:
            raise Http404(_("通报尚未生成完成。"))
        path = bulletin.media_path(name)
        if not path.exists():
            raise Http404(_("通报文件不存在，请重新生成。"))
        filename = f"{job.region.name}{job.year}年度通报.{kind}"
        return FileResponse(path.open("rb"), as_attachment=True, filename=filename)


# --- admonitions and rectification --------------------------------------------------------


class AdmonitionListView(ObjectListView):
    queryset = Admonition.objects.select_related("region", "rectification")
    table_class = AdmonitionTable
    filterset_class = AdmonitionFilterSet
    add_url_name = "reports:admonition_add"


class AdmonitionDetailView(ObjectDetailView):
    queryset = Admonition.objects.select_related("region", "confirmed_by", "bulletin", "rectification")
    template_name = "reports/admonition_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        admonition = self.object
        context["rectification"] = getattr(admonition, "rectification", None)
        context["States"] = AdmonitionState
        context["open"] = RectificationState.OPEN
        return context


class AdmonitionEditView(ObjectEditView):
    queryset = Admonition.objects.select_related("region")
    form_class = AdmonitionForm

    def save(self, form):
        return services.admonition_save(actor=self.request.user, admonition=self.object, **form.service_fields)


class AdmonitionHistoryView(ObjectHistoryView):
    queryset = Admonition.objects.all()


class ActionView(ObjectEditView):
    """A form on a record that calls one service and goes back to the record."""

    template_name = "reports/action.html"
    title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object.get_absolute_url())


class AdmonitionConfirmView(ActionView):
    queryset = Admonition.objects.select_related("region")
    form_class = NoteForm
    title = _("确认诫勉谈话建议")

    def save(self, form):
        return services.admonition_confirm(actor=self.request.user, admonition=self.object)


class AdmonitionDismissView(AdmonitionConfirmView):
    title = _("不予诫勉谈话")

    def save(self, form):
        return services.admonition_dismiss(
            actor=self.request.user, admonition=self.object, reason=form.cleaned_data["note"]
        )

    def form_invalid(self, form):
        if "explanation" in form.errors:
            form.add_error("note", form.errors.pop("explanation"))
        return super().form_invalid(form)


class AdmonitionTalkView(ActionView):
    queryset = Admonition.objects.select_related("region")
    form_class = TalkForm
    title = _("登记谈话情况")

    def save(self, form):
        return services.admonition_record_talk(actor=self.request.user, admonition=self.object, **form.cleaned_data)


class RectificationFileView(ActionView):
    queryset = Admonition.objects.select_related("region")
    form_class = RectificationForm
    title = _("提交整改计划")

    def save(self, form):
        return services.rectification_file(actor=self.request.user, admonition=self.object, **form.cleaned_data)


class RectificationFollowUpView(ActionView):
    queryset = RectificationPlan.objects.select_related("admonition__region")
    form_class = FollowUpForm
    title = _("跟踪督办整改")

    def save(self, form):
        return services.rectification_follow_up(actor=self.request.user, plan=self.object, **form.cleaned_data)


class RectificationHistoryView(ObjectHistoryView):
    queryset = RectificationPlan.objects.select_related("admonition")


# --- commendations ------------------------------------------------------------------------


class CommendationListView(ObjectListView):
    queryset = Commendation.objects.select_related("region")
    table_class = CommendationTable
    filterset_class = CommendationFilterSet
    add_url_name = "reports:commendation_add"


class CommendationDetailView(ObjectDetailView):
    queryset = Commendation.objects.select_related("region", "party_organization", "decided_by").prefetch_related(
        "objections"
    )
    template_name = "reports/commendation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["States"] = CommendationState
        context["notice_over"] = self.object.notice_ends is not None and self.object.notice_ends < timezone.localdate()
        return context


class CommendationProposeView(ObjectEditView):
    queryset = Commendation.objects.all()
    form_class = CommendationForm

    def save(self, form):
        return services.commendation_propose(actor=self.request.user, **form.service_fields)


class CommendationHistoryView(ObjectHistoryView):
    queryset = Commendation.objects.all()


class CommendationAnnounceView(ActionView):
    queryset = Commendation.objects.select_related("region")
    form_class = NoteForm
    title = _("开始公示")

    def save(self, form):
        return services.commendation_announce(actor=self.request.user, commendation=self.object)


class CommendationConfirmView(ActionView):
    queryset = Commendation.objects.select_related("region")
    form_class = NoteForm
    title = _("确认表彰")

    def save(self, form):
        return services.commendation_confirm(
            actor=self.request.user, commendation=self.object, note=form.cleaned_data["note"]
        )


class CommendationWithdrawView(CommendationConfirmView):
    title = _("撤销表彰")

    def save(self, form):
        return services.commendation_withdraw(
            actor=self.request.user, commendation=self.object, note=form.cleaned_data["note"]
        )


class CommendationObjectionAddView(ActionView):
    queryset = Commendation.objects.select_related("region")
    form_class = CommendationObjectionForm
    title = _("登记公示异议")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        return services.commendation_objection_record(
            actor=self.request.user, commendation=self.object, **form.cleaned_data
        )


class CommendationObjectionResolveView(ActionView):
    queryset = CommendationObjection.objects.select_related("commendation")
    form_class = ResolutionForm
    title = _("核实处理异议")

    def save(self, form):
        return services.commendation_objection_resolve(
            actor=self.request.user, objection=self.object, **form.cleaned_data
        )

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object.commendation.get_absolute_url())


# --- work list (home page) ----------------------------------------------------------------


def home_panel(request):
    """What is due for this user across all areas (every app's ``work_items`` hook)."""
    if not request.user.is_authenticated:
        return None
    items = selectors.all_work_items(request.user)
    can_dashboard = request.user.has_perm("reports.view_dashboard")
    if not items and not can_dashboard:
        return None
    return {
        "template": "reports/_home_panel.html",
        "items": items[:30],
        "more": max(0, len(items) - 30),
        "today": timezone.localdate(),
        "can_dashboard": can_dashboard,
    }


# --- yearly evaluation --------------------------------------------------------------------


class EvaluationListView(ObjectListView):
    queryset = Evaluation.objects.select_related("region")
    table_class = EvaluationTable
    filterset_class = EvaluationFilterSet
    add_url_name = "reports:evaluation_add"


class EvaluationCreateView(ObjectEditView):
    queryset = Evaluation.objects.all()
    form_class = EvaluationForm

    def save(self, form):
        return services.evaluation_create(actor=self.request.user, **form.cleaned_data)


class EvaluationDetailView(ObjectDetailView):
    queryset = Evaluation.objects.select_related("region", "party_organization", "helper", "evaluated_by")
    template_name = "reports/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_commend"] = self.request.user.has_perm("reports.add_commendation")
        return context


class EvaluationAssessView(ActionView):
    queryset = Evaluation.objects.select_related("region")
    form_class = AssessForm
    title = _("评定考核得分与等次")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.object, user=self.request.user)
        return kwargs

    def save(self, form):
        return services.evaluation_assess(actor=self.request.user, evaluation=self.object, **form.cleaned_data)


class EvaluationRecomputeView(ActionView):
    queryset = Evaluation.objects.select_related("region", "helper")
    form_class = NoteForm
    title = _("重新计算考核指标")

    def save(self, form):
        return services.evaluation_recompute(actor=self.request.user, evaluation=self.object)


class EvaluationCommendView(ActionView):
    """An evaluation graded 优秀 proposes a commendation; the user lands on it."""

    queryset = Evaluation.objects.select_related("region", "party_organization")
    form_class = NoteForm
    title = _("推荐表彰")

    def form_valid(self, form):
        try:
            commendation = services.commendation_propose_from_evaluation(
                actor=self.request.user, evaluation=self.object
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已推荐表彰，请安排公示。"))
        return redirect(commendation.get_absolute_url())


class EvaluationHistoryView(ObjectHistoryView):
    queryset = Evaluation.objects.all()

"""REST endpoints for income projects: projects with their workflow actions
(approve, refuse, start, close), reviews, support and progress reports.

Thin like the pages: an input serializer parses, projects.services applies the rules
(the same calls as the pages), an output serializer answers. Out of scope is a 404."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action

from members.api.views import IntegerFilter, RegisterViewSetMixin
from projects import services
from projects.filtersets import IncomeProjectFilterSet
from projects.models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport

from . import serializers as s


def _region_by_code(name: str):
    base = IncomeProjectFilterSet.base_filters[name]
    return django_filters.ModelChoiceFilter(
        field_name=base.field_name,
        queryset=base.queryset,
        to_field_name="code",
        label=base.label,
        help_text=_("区划代码"),
    )


class IncomeProjectApiFilterSet(IncomeProjectFilterSet):
    """The list page's filters, with regions given by their code."""

    county = _region_by_code("county")
    township = _region_by_code("township")
    village = _region_by_code("village")
    member = IntegerFilter(field_name="member", label=_("贫困党员ID"))
    year = IntegerFilter(field_name="proposed_on", lookup_expr="year", label=_("提出年度"), min_value=1, max_value=9999)

    class Meta(IncomeProjectFilterSet.Meta):
        fields = [*IncomeProjectFilterSet.Meta.fields, "member"]


class ProjectRecordFilterSet(django_filters.FilterSet):
    project = IntegerFilter(label=_("致富项目ID"))
    member = IntegerFilter(label=_("贫困党员ID"))


class ProjectReviewFilterSet(ProjectRecordFilterSet):
    class Meta:
        model = ProjectReview
        fields = ["project", "member"]


class ProjectSupportFilterSet(ProjectRecordFilterSet):
    class Meta:
        model = ProjectSupport
        fields = ["project", "member", "kind"]


class ProgressReportFilterSet(ProjectRecordFilterSet):
    class Meta:
        model = ProgressReport
        fields = ["project", "member"]


class ProjectsViewSetMixin(RegisterViewSetMixin):
    def handle_exception(self, exc):
        # A service's refusal says why (role or jurisdiction); DRF's default would not.
        if isinstance(exc, DjangoPermissionDenied) and exc.args:
            exc = exceptions.PermissionDenied(detail=str(exc))
        return super().handle_exception(exc)


class IncomeProjectViewSet(
    ProjectsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Income projects (致富项目). POST proposes; PATCH changes a proposal before it is decided;
    the steps are actions: ``approve``, ``refuse``, ``start``, ``close``."""

    queryset = IncomeProject.objects.select_related("member__village", "proposed_by", "decided_by")
    serializer_class = s.IncomeProjectSerializer
    filterset_class = IncomeProjectApiFilterSet
    action_scopes = {"approve": "approve", "refuse": "approve", "start": "change", "close": "change"}

    def _answer(self, project, status_code=status.HTTP_200_OK):
        return self.answer(self.queryset.get(pk=project.pk), status_code)

    @extend_schema(request=s.ProjectCreateInputSerializer, responses={201: s.IncomeProjectSerializer})
    def create(self, request, *args, **kwargs):
        project = services.project_propose(actor=request.user, **self.parse(s.ProjectCreateInputSerializer))
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectInputSerializer, responses=s.IncomeProjectSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        fields = self.parse(s.ProjectInputSerializer, partial=True)
        return self._answer(services.project_update(actor=request.user, project=project, **fields))

    @extend_schema(request=s.ApproveInputSerializer, responses=s.IncomeProjectSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve a project whose latest feasibility review found it feasible."""
        project = self.get_object()
        return self._answer(
            services.project_approve(actor=request.user, project=project, **self.parse(s.ApproveInputSerializer))
        )

    @extend_schema(request=s.RefuseInputSerializer, responses=s.IncomeProjectSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, *args, **kwargs):
        """Refuse a project, with the reason."""
        project = self.get_object()
        return self._answer(
            services.project_refuse(actor=request.user, project=project, **self.parse(s.RefuseInputSerializer))
        )

    @extend_schema(request=s.StartInputSerializer, responses=s.IncomeProjectSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, *args, **kwargs):
        project = self.get_object()
        return self._answer(
            services.project_start(actor=request.user, project=project, **self.parse(s.StartInputSerializer))
        )

    @extend_schema(request=s.CloseInputSerializer, responses=s.IncomeProjectSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Close with the outcome: ``closed`` (income earned, jobs) or ``failed`` (reason)."""
        project = self.get_object()
        return self._answer(
            services.project_close(actor=request.user, project=project, **self.parse(s.CloseInputSerializer))
        )


class ProjectRecordViewSet(
    ProjectsViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Records added under a project; filter by ``project`` or ``member``."""

    input_serializer = None
    service = None

    def create(self, request, *args, **kwargs):
        record = type(self).service(actor=request.user, **self.parse(self.input_serializer))
        return self.answer(self.queryset.get(pk=record.pk), status.HTTP_201_CREATED)


class ProjectReviewViewSet(ProjectRecordViewSet):
    """Feasibility reviews (项目论证), with who took part."""

    queryset = ProjectReview.objects.select_related("recorded_by").prefetch_related("participants")
    serializer_class = s.ProjectReviewSerializer
    filterset_class = ProjectReviewFilterSet
    input_serializer = s.ReviewInputSerializer
    service = services.review_record

    @extend_schema(request=s.ReviewInputSerializer, responses={201: s.ProjectReviewSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class ProjectSupportViewSet(ProjectRecordViewSet):
    """Support a project received (技术、设备、资金), with its giver and value."""

    queryset = ProjectSupport.objects.select_related("recorded_by")
    serializer_class = s.ProjectSupportSerializer
    filterset_class = ProjectSupportFilterSet
    input_serializer = s.SupportInputSerializer
    service = services.support_record

    @extend_schema(request=s.SupportInputSerializer, responses={201: s.ProjectSupportSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class ProgressReportViewSet(ProjectRecordViewSet):
    """Progress reports on running projects (跟踪进展)."""

    queryset = ProgressReport.objects.select_related("recorded_by")
    serializer_class = s.ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    input_serializer = s.ProgressInputSerializer
    service = services.progress_record

    @extend_schema(request=s.ProgressInputSerializer, responses={201: s.ProgressReportSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

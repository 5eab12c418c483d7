"""REST endpoints for plans, bulletins, admonitions, commendations, dashboards and work lists.

Thin like the pages: input serializers parse, reports.services applies the rules, output
serializers answer; ScopedViewSetMixin applies the role's permission and the jurisdiction.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.routers import replica_reads
from organization.api.mixins import ScopedViewSetMixin
from organization.models import Region
from reports import bulletin, selectors, services
from reports.choices import BulletinState
from reports.filtersets import (
    AdmonitionFilterSet,
    BulletinFilterSet,
    CommendationFilterSet,
    EvaluationFilterSet,
    PlanFilterSet,
)
from reports.models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
)
from reports.views import year_param

from . import serializers as s


class ReportsViewSetMixin(ScopedViewSetMixin):
    #: custom actions and the permission action they need
    action_scopes: dict[str, str] = {}

    @property
    def scope_action(self) -> str:
        return self.action_scopes.get(self.action) or super().scope_action

    def parse(self, serializer_class, data=None, **kwargs) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, instance, status_code=status.HTTP_200_OK):
        instance = self.queryset.visible_to(self.request.user).get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)


class ProgrammeViewSet(ReportsViewSetMixin, viewsets.ModelViewSet):
    """The programme's years and phases; city staff set them."""

    queryset = Programme.objects.all()
    serializer_class = s.ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.ProgrammeInputSerializer, responses={201: s.ProgrammeSerializer})
    def create(self, request, *args, **kwargs):
        programme = services.programme_save(actor=request.user, **self.parse(s.ProgrammeInputSerializer))
        return self.answer(programme, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProgrammeInputSerializer, responses=s.ProgrammeSerializer)
    def partial_update(self, request, *args, **kwargs):
        programme = self.get_object()
        fields = self.parse(s.ProgrammeInputSerializer, partial=True)
        return self.answer(services.programme_save(actor=request.user, programme=programme, **fields))


class PlanViewSet(ReportsViewSetMixin, viewsets.ModelViewSet):
    """Jurisdiction plans (本辖区规划) with their yearly targets; filter by ``year`` and ``region`` code."""

    queryset = JurisdictionPlan.objects.select_related("region")
    serializer_class = s.PlanSerializer
    filterset_class = PlanFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.PlanInputSerializer, responses={201: s.PlanSerializer})
    def create(self, request, *args, **kwargs):
        plan = services.plan_save(actor=request.user, **self.parse(s.PlanInputSerializer))
        return self.answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanUpdateSerializer, responses=s.PlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        fields = self.parse(s.PlanUpdateSerializer, partial=True)
        return self.answer(services.plan_save(actor=request.user, plan=plan, **fields))


class BulletinViewSet(ReportsViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Yearly bulletins: ask for one (POST), poll its state, download its files."""

    queryset = BulletinJob.objects.select_related("region")
    serializer_class = s.BulletinSerializer
    filterset_class = BulletinFilterSet
    action_scopes = {"download": "view"}

    @extend_schema(request=s.BulletinInputSerializer, responses={202: s.BulletinSerializer, 503: s.BulletinSerializer})
    def create(self, request, *args, **kwargs):
        job = services.bulletin_request(actor=request.user, **self.parse(s.BulletinInputSerializer))
        job.refresh_from_db()
        refused = job.state == BulletinState.FAILED and not job.attempts  # the task queue is down; message says so
        return self.answer(job, status.HTTP_503_SERVICE_UNAVAILABLE if refused else status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=["docx", "xlsx"], description=_("文件类型"))],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def download(self, request, *args, **kwargs):
        """The bulletin's Word (``kind=docx``) or Excel (``kind=xlsx``) file, once it is done."""
        job = self.get_object()
        kind = request.query_params.get("kind", "docx")
        name = {"docx": job.docx, "xlsx": job.xlsx}.get(kind)
        if name is None:
            raise NotFound(_("文件类型应为 docx 或 xlsx。"))
        if job.state != BulletinState.DONE or not name or not bulletin.media_path(name).exists():
            raise NotFound(_("通报尚未生成完成。"))
        filename = f"{job.region.name}{job.year}年度通报.{kind}"
        return FileResponse(bulletin.media_path(name).open("rb"), as_attachment=True, filename=filename)


class AdmonitionViewSet(ReportsViewSetMixin, viewsets.ModelViewSet):
    """Admonition talks (诫勉谈话) and their rectification plans."""

    queryset = Admonition.objects.select_related("region", "rectification")
    serializer_class = s.AdmonitionSerializer
    filterset_class = AdmonitionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"confirm": "change", "dismiss": "change", "talk": "change", "rectification": "change"}

    @extend_schema(request=s.AdmonitionInputSerializer, responses={201: s.AdmonitionSerializer})
    def create(self, request, *args, **kwargs):
        admonition = services.admonition_save(actor=request.user, **self.parse(s.AdmonitionInputSerializer))
        return self.answer(admonition, status.HTTP_201_CREATED)

    @extend_schema(request=s.AdmonitionInputSerializer, responses=s.AdmonitionSerializer)
    def partial_update(self, request, *args, **kwargs):
        admonition = self.get_object()
        fields = self.parse(s.AdmonitionInputSerializer, partial=True)
        return self.answer(services.admonition_save(actor=request.user, admonition=admonition, **fields))

    @extend_schema(request=None, responses=s.AdmonitionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        return self.answer(services.admonition_confirm(actor=request.user, admonition=self.get_object()))

    @extend_schema(request=s.ReportNoteInputSerializer, responses=s.AdmonitionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        note = self.parse(s.ReportNoteInputSerializer)["note"]
        return self.answer(services.admonition_dismiss(actor=request.user, admonition=target, reason=note))

    @extend_schema(request=s.AdmonitionTalkInputSerializer, responses=s.AdmonitionSerializer)
    @action(detail=True, methods=["post"])
    def talk(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        fields = self.parse(s.AdmonitionTalkInputSerializer)
        return self.answer(services.admonition_record_talk(actor=request.user, admonition=target, **fields))

    @extend_schema(request=s.RectificationInputSerializer, responses={201: s.AdmonitionSerializer})
    @action(detail=True, methods=["post"])
    def rectification(self, request, *args, **kwargs):
        admonition = self.get_object()
        services.rectification_file(
            actor=request.user, admonition=admonition, **self.parse(s.RectificationInputSerializer)
        )
        return self.answer(admonition, status.HTTP_201_CREATED)


class RectificationViewSet(
    ReportsViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = RectificationPlan.objects.select_related("admonition")
    serializer_class = s.RectificationSerializer
    action_scopes = {"follow_up": "change"}

    @extend_schema(request=s.RectificationFollowUpInputSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        fields = self.parse(s.RectificationFollowUpInputSerializer)
        return self.answer(services.rectification_follow_up(actor=request.user, plan=target, **fields))


class CommendationViewSet(
    ReportsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Commendations (表彰): propose, announce (公示), record objections, confirm or withdraw."""

    queryset = Commendation.objects.select_related("region").prefetch_related("objections")
    serializer_class = s.CommendationSerializer
    filterset_class = CommendationFilterSet
    action_scopes = {"announce": "change", "confirm": "change", "withdraw": "change", "objections": "change"}

    @extend_schema(request=s.CommendationInputSerializer, responses={201: s.CommendationSerializer})
    def create(self, request, *args, **kwargs):
        commendation = services.commendation_propose(actor=request.user, **self.parse(s.CommendationInputSerializer))
        return self.answer(commendation, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.CommendationSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, *args, **kwargs):
        return self.answer(services.commendation_announce(actor=request.user, commendation=self.get_object()))

    @extend_schema(request=s.ReportNoteInputSerializer, responses=s.CommendationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        note = self.parse(s.ReportNoteInputSerializer)["note"]
        return self.answer(services.commendation_confirm(actor=request.user, commendation=target, note=note))

    @extend_schema(request=s.ReportNoteInputSerializer, responses=s.CommendationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        note = self.parse(s.ReportNoteInputSerializer)["note"]
        return self.answer(services.commendation_withdraw(actor=request.user, commendation=target, note=note))

    @extend_schema(request=s.CommendationObjectionInputSerializer, responses={201: s.CommendationObjectionSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, *args, **kwargs):
        objection = services.commendation_objection_record(
            actor=request.user, commendation=self.get_object(), **self.parse(s.CommendationObjectionInputSerializer)
        )
        return Response(s.CommendationObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class CommendationObjectionViewSet(
    ReportsViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = CommendationObjection.objects.all()
    serializer_class = s.CommendationObjectionSerializer
    action_scopes = {"resolve": "change"}

    @extend_schema(request=s.CommendationResolutionInputSerializer, responses=s.CommendationObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        fields = self.parse(s.CommendationResolutionInputSerializer)
        objection = services.commendation_objection_resolve(actor=request.user, objection=target, **fields)
        return Response(self.get_serializer(objection).data)


class EvaluationViewSet(
    ReportsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Yearly evaluations: indicators computed from the records, score and grade by staff."""

    queryset = Evaluation.objects.select_related("region")
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilterSet
    action_scopes = {"assess": "change", "recompute": "change"}

    @extend_schema(request=s.EvaluationInputSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request, *args, **kwargs):
        evaluation = services.evaluation_create(actor=request.user, **self.parse(s.EvaluationInputSerializer))
        return self.answer(evaluation, status.HTTP_201_CREATED)

    @extend_schema(request=s.EvaluationAssessInputSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the input is read
        fields = self.parse(s.EvaluationAssessInputSerializer)
        return self.answer(services.evaluation_assess(actor=request.user, evaluation=target, **fields))

    @extend_schema(request=None, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request, *args, **kwargs):
        return self.answer(services.evaluation_recompute(actor=request.user, evaluation=self.get_object()))


class WorkItemsView(APIView):
    """What is due for the requesting account, across all areas, soonest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.WorkItemSerializer

    @extend_schema(responses=s.WorkItemSerializer(many=True))
    def get(self, request):
        return Response(s.WorkItemSerializer(selectors.all_work_items(request.user), many=True).data)


class DashboardView(APIView):
    """Progress of a region and each region below it, for ``year`` (the dashboard's figures)."""

    permission_classes = [IsAuthenticated]
    queryset = Region.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=_("年度")),
            OpenApiParameter("live", bool, description=_("为 true 时实时统计，否则在有新近统计快照时读取快照")),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, code):
        if not request.user.has_perm("reports.view_dashboard"):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        with replica_reads():  # read-only figures: from the replica when there is one (config.routers)
            region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
            live = request.query_params.get("live", "").lower() in ("1", "true")
            report = selectors.progress_for_user(user=request.user, region=region, year=year_param(request), live=live)
        return Response(
            {
                "region": region.code,
                "name": region.name,
                "year": report.year,
                # when the figures come from the villages' snapshot, the time it was taken; null when live
                "as_of": report.as_of.isoformat() if report.as_of else None,
                "total": report.total.as_dict(),
                "children": [row.as_dict() for row in report.ranked()],
            }
        )

"""REST endpoints for training: batches, enrolments, costs, experts and their services,
practice bases and visits. Thin like the pages: an input serializer parses, a service in
training.services applies the rules, an output serializer answers. ScopedViewSetMixin
applies the role's permission and the jurisdiction, so a record out of scope is a 404."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from members.models import Member
from organization.api.mixins import ScopedViewSetMixin

from .. import selectors, services
from ..choices import SEAT_STATUSES, EnrolmentStatus
from ..filtersets import (
    BaseVisitFilterSet,
    BatchFilterSet,
    BudgetItemFilterSet,
    EnrolmentFilterSet,
    ExpertFilterSet,
    ExpertServiceFilterSet,
    PracticeBaseFilterSet,
)
from ..models import (
    BaseVisit,
    BatchBudgetItem,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
)
from . import serializers as s


class TrainingViewSetMixin(ScopedViewSetMixin):
    #: custom actions and the permission action they need; the HTTP method decides otherwise
    action_scopes: dict[str, str] = {}

    @property
    def scope_action(self) -> str:
        return self.action_scopes.get(self.action) or super().scope_action

    def parse(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def answer(self, instance, status_code=status.HTTP_200_OK):
        """The record as a reader sees it, fetched again through the scoped queryset."""
        instance = self.queryset.visible_to(self.request.user).get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)


class ReadViewSet(TrainingViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


# --- batches -----------------------------------------------------------------------------


class TrainingBatchViewSet(ReadViewSet):
    """Training batches (培训班): curriculum and sessions inline; seats taken and waiting."""

    queryset = (
        TrainingBatch.objects.select_related("region")
        .annotate(
            seated=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES), distinct=True),
            recommended=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.RECOMMENDED), distinct=True),
        )
        .prefetch_related("topics__expert", "sessions__topic")
        # an aggregate query drops Meta.ordering; pages need a stable order
        .order_by("-start_date", "-id")
    )
    serializer_class = s.TrainingBatchSerializer
    filterset_class = BatchFilterSet
    action_scopes = {"advance": "change", "topics": "change", "sessions": "change", "attendance": "change"}

    @extend_schema(request=s.BatchInputSerializer, responses={201: s.TrainingBatchSerializer})
    def create(self, request, *args, **kwargs):
        batch = services.batch_create(actor=request.user, **self.parse(s.BatchInputSerializer))
        return self.answer(batch, status.HTTP_201_CREATED)

    @extend_schema(request=s.BatchInputSerializer, responses={200: s.TrainingBatchSerializer})
    def update(self, request, *args, **kwargs):
        batch = self.get_object()
        fields = self.parse(s.BatchInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.batch_update(actor=request.user, batch=batch, **fields))

    @extend_schema(request=s.BatchInputSerializer, responses={200: s.TrainingBatchSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=s.BatchAdvanceSerializer, responses={200: s.TrainingBatchSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None, **kwargs):
        """Move the batch on: planned → enrolling → running → finished."""
        batch = self.get_object()
        fields = self.parse(s.BatchAdvanceSerializer)
        return self.answer(services.batch_advance(actor=request.user, batch=batch, **fields))

    @extend_schema(request=s.TopicInputSerializer, responses={201: s.TrainingBatchSerializer})
    @action(detail=True, methods=["post"])
    def topics(self, request, pk=None, **kwargs):
        """Add a curriculum topic."""
        batch = self.get_object()
        services.topic_save(actor=request.user, batch=batch, **self.parse(s.TopicInputSerializer))
        return self.answer(batch, status.HTTP_201_CREATED)

    @extend_schema(request=s.SessionInputSerializer, responses={201: s.TrainingBatchSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None, **kwargs):
        """Add a session (课次)."""
        batch = self.get_object()
        fields = self.parse(s.SessionInputSerializer)
        if fields.get("topic") is not None:
            fields["topic"] = batch.topics.filter(pk=fields["topic"]).first()
            if fields["topic"] is None:
                raise ValidationError({"topic": _("请选择本期培训班的课程。")})
        services.session_save(actor=request.user, batch=batch, **fields)
        return self.answer(batch, status.HTTP_201_CREATED)

    @extend_schema(request=s.AttendanceInputSerializer, responses={200: s.TrainingBatchSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None, **kwargs):
        """Take the attendance of one of the batch's sessions."""
        batch = self.get_object()
        fields = self.parse(s.AttendanceInputSerializer)
        session = batch.sessions.filter(pk=fields["session"]).first()
        if session is None:
            raise ValidationError({"session": _("请选择本期培训班的课次。")})
        visible = set(selectors.batch_roster(user=request.user, batch=batch).values_list("pk", flat=True))
        marks = {}
        for key, value in fields["marks"].items():
            pk = services.enrolment_id(key)
            if pk not in visible:
                # Say what was sent, never whose it is: the id may be a trainee outside the user's scope.
                raise ValidationError({"marks": services.not_on_roster_message(key)})
            marks[pk] = value
        services.attendance_record(actor=request.user, session=session, marks=marks)
        return self.answer(batch)


class BudgetItemViewSet(mixins.UpdateModelMixin, ReadViewSet):
    """Costs of batches paid by the city budget (市财政列支); ``years`` totals them per year."""

    queryset = BatchBudgetItem.objects.select_related("recorded_by")
    serializer_class = s.BudgetItemSerializer
    filterset_class = BudgetItemFilterSet
    action_scopes = {"years": "view"}

    @extend_schema(request=s.BudgetItemInputSerializer, responses={201: s.BudgetItemSerializer}, parameters=[])
    def create(self, request, *args, **kwargs):
        # A body that is not an object (a list, a number) has no batch either: 400, not 500.
        batch_id = request.data.get("batch") if isinstance(request.data, dict) else None
        if not str(batch_id or "").isdigit():
            raise ValidationError({"batch": _("请指定培训班。")})
        batch = get_object_or_404(TrainingBatch.objects.visible_to(request.user), pk=batch_id)
        item = services.budget_item_add(actor=request.user, batch=batch, **self.parse(s.BudgetItemInputSerializer))
        return self.answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=s.BudgetItemInputSerializer, responses={200: s.BudgetItemSerializer})
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        fields = self.parse(s.BudgetItemInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.budget_item_update(actor=request.user, item=item, **fields))

    @extend_schema(responses={200: s.BudgetYearSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def years(self, request, **kwargs):
        """Totals per year of the costs the user may see."""
        rows = selectors.budget_totals_by_year(user=request.user)
        return Response(s.BudgetYearSerializer(rows, many=True).data)


# --- enrolment ---------------------------------------------------------------------------


class EnrolmentViewSet(ReadViewSet):
    """Trainees: POST recommends (推荐); ``admit``, ``decline``, ``drop``, ``assess`` follow."""

    queryset = Enrolment.objects.select_related(
        "member", "member__village", "batch", "recommended_by", "recommending_village"
    )
    serializer_class = s.EnrolmentSerializer
    filterset_class = EnrolmentFilterSet
    action_scopes = {"admit": "change", "decline": "change", "drop": "change", "assess": "change"}

    @extend_schema(request=s.RecommendInputSerializer, responses={201: s.EnrolmentSerializer})
    def create(self, request, *args, **kwargs):
        enrolment = services.enrolment_recommend(actor=request.user, **self.parse(s.RecommendInputSerializer))
        return self.answer(enrolment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None, **kwargs):
        """Admit up to the batch's capacity (录取)."""
        return self.answer(services.enrolment_admit(actor=request.user, enrolment=self.get_object()))

    @extend_schema(request=s.NoteInputSerializer, responses={200: s.EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None, **kwargs):
        enrolment = self.get_object()
        fields = self.parse(s.NoteInputSerializer)
        return self.answer(services.enrolment_decline(actor=request.user, enrolment=enrolment, **fields))

    @extend_schema(request=s.NoteInputSerializer, responses={200: s.EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None, **kwargs):
        enrolment = self.get_object()
        fields = self.parse(s.NoteInputSerializer)
        return self.answer(services.enrolment_drop(actor=request.user, enrolment=enrolment, **fields))

    @extend_schema(request=s.AssessInputSerializer, responses={200: s.EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None, **kwargs):
        """The assessment (结业考核): a pass completes the course."""
        enrolment = self.get_object()
        fields = self.parse(s.AssessInputSerializer)
        return self.answer(services.enrolment_assess(actor=request.user, enrolment=enrolment, **fields))


# --- experts, services, bases, visits -----------------------------------------------------


class ExpertViewSet(ReadViewSet):
    """The expert service team (专家服务团)."""

    queryset = Expert.objects.select_related("region", "account")
    serializer_class = s.ExpertSerializer
    filterset_class = ExpertFilterSet

    @extend_schema(request=s.ExpertInputSerializer, responses={201: s.ExpertSerializer})
    def create(self, request, *args, **kwargs):
        expert = services.expert_create(actor=request.user, **self.parse(s.ExpertInputSerializer))
        return self.answer(expert, status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpertInputSerializer, responses={200: s.ExpertSerializer})
    def update(self, request, *args, **kwargs):
        expert = self.get_object()
        fields = self.parse(s.ExpertInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.expert_update(actor=request.user, expert=expert, **fields))

    @extend_schema(request=s.ExpertInputSerializer, responses={200: s.ExpertSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class MembersPrefetchMixin:
    """``visible_members``: the members of a service or visit that the reader may see."""

    def get_queryset(self):
        members = Member.objects.visible_to(self.request.user).select_related("village").order_by("name")
        return super().get_queryset().prefetch_related(Prefetch("members", queryset=members, to_attr="visible_members"))

    def answer(self, instance, status_code=status.HTTP_200_OK):
        members = Member.objects.visible_to(self.request.user).select_related("village").order_by("name")
        instance = (
            self.queryset.visible_to(self.request.user)
            .prefetch_related(Prefetch("members", queryset=members, to_attr="visible_members"))
            .get(pk=instance.pk)
        )
        return Response(self.get_serializer(instance).data, status=status_code)


class ExpertServiceViewSet(MembersPrefetchMixin, ReadViewSet):
    """Services of experts with the members served; ``follow-up`` records the follow-up."""

    queryset = ExpertService.objects.select_related("expert")
    serializer_class = s.ExpertServiceSerializer
    filterset_class = ExpertServiceFilterSet
    action_scopes = {"follow_up": "change"}

    @extend_schema(request=s.ExpertServiceInputSerializer, responses={201: s.ExpertServiceSerializer})
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.ExpertServiceInputSerializer)
        service = services.expert_service_record(actor=request.user, **fields)
        return self.answer(service, status.HTTP_201_CREATED)

    @extend_schema(request=s.ExpertServiceInputSerializer, responses={200: s.ExpertServiceSerializer})
    def update(self, request, *args, **kwargs):
        service = self.get_object()
        fields = self.parse(s.ExpertServiceInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.expert_service_update(actor=request.user, service=service, **fields))

    @extend_schema(request=s.ExpertServiceInputSerializer, responses={200: s.ExpertServiceSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=s.FollowUpInputSerializer, responses={200: s.ExpertServiceSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None, **kwargs):
        service = self.get_object()
        fields = self.parse(s.FollowUpInputSerializer)
        return self.answer(services.follow_up_complete(actor=request.user, service=service, **fields))


class PracticeBaseViewSet(ReadViewSet):
    """Training practice bases (培训实践基地)."""

    queryset = PracticeBase.objects.select_related("region")
    serializer_class = s.PracticeBaseSerializer
    filterset_class = PracticeBaseFilterSet

    @extend_schema(request=s.PracticeBaseInputSerializer, responses={201: s.PracticeBaseSerializer})
    def create(self, request, *args, **kwargs):
        base = services.practice_base_create(actor=request.user, **self.parse(s.PracticeBaseInputSerializer))
        return self.answer(base, status.HTTP_201_CREATED)

    @extend_schema(request=s.PracticeBaseInputSerializer, responses={200: s.PracticeBaseSerializer})
    def update(self, request, *args, **kwargs):
        base = self.get_object()
        fields = self.parse(s.PracticeBaseInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.practice_base_update(actor=request.user, base=base, **fields))

    @extend_schema(request=s.PracticeBaseInputSerializer, responses={200: s.PracticeBaseSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class BaseVisitViewSet(MembersPrefetchMixin, ReadViewSet):
    """Observation visits (观摩学习) with the members who went."""

    queryset = BaseVisit.objects.select_related("base")
    serializer_class = s.BaseVisitSerializer
    filterset_class = BaseVisitFilterSet

    @extend_schema(request=s.BaseVisitInputSerializer, responses={201: s.BaseVisitSerializer})
    def create(self, request, *args, **kwargs):
        visit = services.base_visit_record(actor=request.user, **self.parse(s.BaseVisitInputSerializer))
        return self.answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.BaseVisitInputSerializer, responses={200: s.BaseVisitSerializer})
    def update(self, request, *args, **kwargs):
        visit = self.get_object()
        fields = self.parse(s.BaseVisitInputSerializer, partial=kwargs.get("partial", False))
        return self.answer(services.base_visit_update(actor=request.user, visit=visit, **fields))

    @extend_schema(request=s.BaseVisitInputSerializer, responses={200: s.BaseVisitSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

"""REST endpoints for the register (建档立卡): files, household, plans, income and status.

Thin like the pages: an input serializer parses, a service in members.services applies
the rules, an output serializer answers. ScopedViewSetMixin applies the role's
permission and the jurisdiction, so a record out of scope is a 404.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from members import idnumbers, selectors, services
from members.choices import NoticeState
from members.filtersets import MemberFilterSet
from members.models import (
    HouseholdMember,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
)
from organization.api.mixins import ScopedViewSetMixin
from organization.scoping import permission_name

from . import serializers as s

# --- filters -----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number, such as a record's id or a year (NumberFilter would take 3.5)."""

    field_class = forms.IntegerField


def _region_by_code(name: str):
    base = MemberFilterSet.base_filters[name]
    return django_filters.ModelChoiceFilter(
        queryset=base.queryset, to_field_name="code", label=base.label, help_text=_("区划代码")
    )


class MemberApiFilterSet(MemberFilterSet):
    """The list page's filters, with regions given by their code rather than a database id."""

    county = _region_by_code("county")
    township = _region_by_code("township")
    village = _region_by_code("village")


class HouseholdMemberFilterSet(django_filters.FilterSet):
    member = IntegerFilter(label=_("贫困党员ID"))

    class Meta:
        model = HouseholdMember
        fields = ["member"]


class PovertyExitPlanFilterSet(django_filters.FilterSet):
    member = IntegerFilter(label=_("贫困党员ID"))
    is_current = django_filters.BooleanFilter(label=_("现行规划"))

    class Meta:
        model = PovertyExitPlan
        fields = ["member", "is_current"]


class IncomeCheckFilterSet(django_filters.FilterSet):
    member = IntegerFilter(label=_("贫困党员ID"))
    year = IntegerFilter(label=_("年度"))

    class Meta:
        model = IncomeCheck
        fields = ["member", "year"]


class StatusChangeFilterSet(django_filters.FilterSet):
    member = IntegerFilter(label=_("贫困党员ID"))
    state = django_filters.ChoiceFilter(choices=NoticeState.choices, label=_("公示状态"))

    class Meta:
        model = StatusChange
        fields = ["member", "state"]


class ObjectionFilterSet(django_filters.FilterSet):
    status_change = IntegerFilter(label=_("状态变更ID"))
    member = IntegerFilter(field_name="status_change__member", label=_("贫困党员ID"))

    class Meta:
        model = Objection
        fields = ["status_change", "member"]


# --- common ------------------------------------------------------------------------------


class CanRevealIdNumber(BasePermission):
    message = _("您的角色不能查看完整身份证号码。")

    def has_permission(self, request, view):
        return request.user.has_perm("members.reveal_id_number")


class RegisterViewSetMixin(ScopedViewSetMixin):
    #: custom actions and the permission action they need; the HTTP method decides otherwise
    action_scopes: dict[str, str] = {}

    @property
    def scope_action(self) -> str:
        return self.action_scopes.get(self.action) or super().scope_action

    def parse(self, serializer_class, data=None, **kwargs) -> dict:
        """Validated input for a service call."""
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, instance, status_code=status.HTTP_200_OK):
        """The record as the output serializer shows it."""
        return Response(self.get_serializer(instance).data, status=status_code)


# --- members -----------------------------------------------------------------------------


class MemberViewSet(RegisterViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Per-person files (建档立卡). ID numbers are masked; the full number via ``reveal-id``."""

    queryset = Member.objects.select_related("village", "township", "county")
    serializer_class = s.MemberSerializer
    filterset_class = MemberApiFilterSet
    action_scopes = {
        "reveal_id": "view",
        "decide_track": "change",
        "possible_duplicates": "view",
        "find_possible_duplicates": "view",
    }

    def get_queryset(self):
        # Only the current plan, and only if the user may see plans: one query for the page.
        current = (
            PovertyExitPlan.objects.visible_to(self.request.user).filter(is_current=True).select_related("created_by")
        )
        return super().get_queryset().prefetch_related(Prefetch("plans", queryset=current, to_attr="current_plans"))

    @extend_schema(request=s.MemberInputSerializer, responses={201: s.MemberSerializer})
    def create(self, request, *args, **kwargs):
        member = services.member_create(actor=request.user, **self.parse(s.MemberInputSerializer))
        return self.answer(self.get_queryset().get(pk=member.pk), status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberInputSerializer, responses=s.MemberSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        member = self.get_object()
        fields = self.parse(s.MemberInputSerializer, partial=partial)
        fields.pop("confirm_not_duplicate", None)  # only creating a file asks for it
        return self.answer(services.member_update(actor=request.user, member=member, **fields))

    @extend_schema(request=s.MemberInputSerializer, responses=s.MemberSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=s.IdNumberRevealInputSerializer, responses=s.IdNumberSerializer)
    @action(
        detail=True, methods=["post"], url_path="reveal-id", permission_classes=[IsAuthenticated, CanRevealIdNumber]
    )
    def reveal_id(self, request, *args, **kwargs):
        """The full citizen ID number; every reveal is logged."""
        member = self.get_object()
        number = services.id_number_reveal(
            actor=request.user, member=member, **self.parse(s.IdNumberRevealInputSerializer)
        )
        return Response({"id_number": number})

    @extend_schema(request=s.TrackDecisionInputSerializer, responses=s.MemberSerializer)
    @action(detail=True, methods=["post"], url_path="decide-track")
    def decide_track(self, request, *args, **kwargs):
        """Decide the track by hand, with a reason (where the rule leaves it open, or to override it)."""
        member = self.get_object()
        fields = self.parse(s.TrackDecisionInputSerializer)
        return self.answer(services.member_decide_track(actor=request.user, member=member, **fields))

    @extend_schema(responses=s.MemberBriefSerializer(many=True))
    @action(detail=True, url_path="possible-duplicates", filter_backends=[], pagination_class=None)
    def possible_duplicates(self, request, *args, **kwargs):
        """Other files with the same name and birth date in the same township."""
        member = self.get_object()
        duplicates = selectors.possible_duplicates(
            user=request.user,
            name=member.name,
            birth_date=member.birth_date,
            township=member.township,
            exclude_pk=member.pk,
        )
        return Response(s.MemberBriefSerializer(duplicates, many=True).data)

    @extend_schema(parameters=[s.PossibleDuplicatesQuerySerializer], responses=s.PossibleDuplicatesSerializer)
    @action(
        detail=False,
        url_path="possible-duplicates",
        url_name="find-possible-duplicates",
        filter_backends=[],
        pagination_class=None,
    )
    def find_possible_duplicates(self, request, *args, **kwargs):
        """Before registering: a file with this ID number (creating would be refused) and
        files with the same name and birth date in the village's township."""
        query = self.parse(s.PossibleDuplicatesQuerySerializer, data=request.query_params)
        number, name, village = query.get("id_number"), query.get("name"), query.get("village")
        # Within the jurisdiction only; the service refuses a number registered anywhere.
        visible = Member.objects.visible_to(request.user).select_related("village")
        holder = visible.filter(id_number=number).first() if number else None
        similar = []
        if number and name and village is not None:
            similar = selectors.possible_duplicates(
                user=request.user,
                name=name,
                birth_date=idnumbers.birth_date(number),
                township=village.parent,
                exclude_pk=holder.pk if holder else None,
            )
        registered = bool(number) and (holder is not None or selectors.id_number_registered(id_number=number))
        return Response(
            s.PossibleDuplicatesSerializer(
                {
                    "id_number_member": holder,
                    "id_number_registered": registered,
                    "same_name_and_birth_date": similar,
                }
            ).data
        )


class HouseholdMemberViewSet(RegisterViewSetMixin, viewsets.ModelViewSet):
    """The member's household (家庭成员); filter by ``member``."""

    queryset = HouseholdMember.objects.select_related("member")
    serializer_class = s.HouseholdMemberSerializer
    filterset_class = HouseholdMemberFilterSet

    @extend_schema(request=s.HouseholdMemberCreateInputSerializer, responses={201: s.HouseholdMemberSerializer})
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.HouseholdMemberCreateInputSerializer)
        person = services.household_member_save(actor=request.user, **fields)
        return self.answer(person, status.HTTP_201_CREATED)

    @extend_schema(request=s.HouseholdMemberInputSerializer, responses=s.HouseholdMemberSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        person = self.get_object()
        fields = self.parse(s.HouseholdMemberInputSerializer, partial=partial)
        return self.answer(
            services.household_member_save(actor=request.user, member=person.member, household_member=person, **fields)
        )

    @extend_schema(request=s.HouseholdMemberInputSerializer, responses=s.HouseholdMemberSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.household_member_delete(actor=self.request.user, household_member=instance)


# --- plans -------------------------------------------------------------------------------


class PovertyExitPlanViewSet(
    RegisterViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Poverty-exit plans (脱贫规划). Not edited: a new plan supersedes the current one."""

    queryset = PovertyExitPlan.objects.select_related("created_by")
    serializer_class = s.PovertyExitPlanSerializer
    filterset_class = PovertyExitPlanFilterSet

    @extend_schema(request=s.PovertyExitPlanInputSerializer, responses={201: s.PovertyExitPlanSerializer})
    def create(self, request, *args, **kwargs):
        plan = services.plan_create(actor=request.user, **self.parse(s.PovertyExitPlanInputSerializer))
        return self.answer(plan, status.HTTP_201_CREATED)


# --- income and status -------------------------------------------------------------------


class IncomeThresholdViewSet(
    RegisterViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The city's income lines by year. POST sets a year: created (201) or replaced (200)."""

    queryset = IncomeThreshold.objects.select_related("set_by")
    serializer_class = s.IncomeThresholdSerializer
    lookup_field = "year"

    @extend_schema(
        request=s.IncomeThresholdInputSerializer,
        responses={200: s.IncomeThresholdSerializer, 201: s.IncomeThresholdSerializer},
    )
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.IncomeThresholdInputSerializer)
        exists = self.get_queryset().filter(year=fields["year"]).exists()
        if exists and not request.user.has_perm(permission_name(IncomeThreshold, "change")):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        threshold = services.threshold_set(actor=request.user, **fields)
        return self.answer(threshold, status.HTTP_200_OK if exists else status.HTTP_201_CREATED)


class IncomeCheckViewSet(
    RegisterViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Yearly income checks. Recording one proposes a status change under public notice.
    POST for a year already checked corrects it (200)."""

    queryset = IncomeCheck.objects.select_related("recorded_by")
    serializer_class = s.IncomeCheckSerializer
    filterset_class = IncomeCheckFilterSet

    @extend_schema(
        request=s.IncomeCheckInputSerializer, responses={200: s.IncomeCheckSerializer, 201: s.IncomeCheckSerializer}
    )
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.IncomeCheckInputSerializer)
        exists = self.get_queryset().filter(member=fields["member"], year=fields["year"]).exists()
        check = services.income_check_record(actor=request.user, **fields)
        return self.answer(check, status.HTTP_200_OK if exists else status.HTTP_201_CREATED)


class StatusChangeViewSet(RegisterViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Status changes under public notice (公示), with their objections."""

    queryset = StatusChange.objects.select_related("member", "proposed_by", "decided_by").prefetch_related(
        "objections__recorded_by"
    )
    serializer_class = s.StatusChangeSerializer
    filterset_class = StatusChangeFilterSet
    action_scopes = {"confirm": "change", "withdraw": "change"}

    @extend_schema(request=s.DecisionNoteInputSerializer, responses=s.StatusChangeSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        """After the notice period, with every objection answered, the new status takes effect."""
        change = self.get_object()
        services.status_change_confirm(
            actor=request.user, status_change=change, **self.parse(s.DecisionNoteInputSerializer)
        )
        return self.answer(self.get_queryset().get(pk=change.pk))

    @extend_schema(request=s.DecisionNoteInputSerializer, responses=s.StatusChangeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        change = self.get_object()
        services.status_change_withdraw(
            actor=request.user, status_change=change, **self.parse(s.DecisionNoteInputSerializer)
        )
        return self.answer(self.get_queryset().get(pk=change.pk))


class ObjectionViewSet(RegisterViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Objections raised during a public notice; a change is confirmed only when all are resolved."""

    queryset = Objection.objects.select_related("status_change", "recorded_by")
    serializer_class = s.ObjectionSerializer
    filterset_class = ObjectionFilterSet
    action_scopes = {"resolve": "change"}

    @extend_schema(request=s.ObjectionInputSerializer, responses={201: s.ObjectionSerializer})
    def create(self, request, *args, **kwargs):
        objection = services.objection_record(actor=request.user, **self.parse(s.ObjectionInputSerializer))
        return self.answer(objection, status.HTTP_201_CREATED)

    @extend_schema(request=s.ObjectionResolveInputSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        objection = self.get_object()
        fields = self.parse(s.ObjectionResolveInputSerializer)
        return self.answer(services.objection_resolve(actor=request.user, objection=objection, **fields))

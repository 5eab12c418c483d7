"""REST endpoints for the fund, thin over fund.services and fund.selectors.

Entries are only appended: there is no update or delete endpoint for them (405); a
mistake is corrected with ``POST /fund-entries/{id}/reverse/``. Every queryset is
narrowed by ``visible_to`` (ScopedViewSetMixin), so another county's record is a 404.
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from fund import selectors, services
from fund.filtersets import (
    FollowUpFilterSet,
    FundApplicationFilterSet,
    FundEntryFilterSet,
    FundInspectionFilterSet,
    GuaranteeFilterSet,
)
from fund.models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, FundPolicy, Guarantee
from members.api.views import RegisterViewSetMixin
from members.models import Member

from . import serializers as s

READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet)


class HoldsActionPermission(BasePermission):
    """The permissions the view's ``action_permissions`` name for the action. DRF checks
    permission classes in ``initial``, before the handler parses the body or looks up the
    record, so a role that may not act gets a 403 rather than a list of field errors."""

    message = gettext_lazy("您的角色没有这项权限。")

    def has_permission(self, request, view):
        needed = view.action_permissions.get(view.action, ())
        return all(request.user.has_perm(permission) for permission in needed)


class FundViewSetMixin(RegisterViewSetMixin):
    """The fund's viewsets: each write names the permissions its service requires."""

    permission_classes = [IsAuthenticated, HoldsActionPermission]
    #: action -> the permissions the service checks (again) before it acts
    action_permissions: ClassVar[dict[str, tuple[str, ...]]] = {}


def _balances_payload(balances, outstanding):
    return {
        "cash": balances.cash,
        "reserved": balances.reserved,
        "free": balances.free,
        "outstanding_guarantees": outstanding,
        "sources": [
            {"source": b.source, "label": b.label, "cash": b.cash, "reserved": b.reserved, "free": b.free}
            for b in balances.sources.values()
        ],
    }


class FundViewSet(FundViewSetMixin, *READ):
    """Funds (one per city or county) and their balances, derived from the ledger."""

    queryset = Fund.objects.select_related("region")
    serializer_class = s.FundSerializer

    @extend_schema(responses=s.BalancesSerializer)
    @action(detail=True)
    def balances(self, request, *args, **kwargs):
        fund = self.get_object()
        payload = _balances_payload(selectors.fund_balances(fund), selectors.outstanding_guarantees(fund))
        return Response(s.BalancesSerializer(payload).data)

    @extend_schema(responses=s.BalancesSerializer)
    @action(detail=False, pagination_class=None, filter_backends=[])
    def summary(self, request, *args, **kwargs):
        """All the funds in the user's jurisdiction together (the dashboard's totals)."""
        board = selectors.dashboard(user=request.user)
        return Response(s.BalancesSerializer(_balances_payload(board["balances"], board["outstanding"])).data)


class FundPolicyViewSet(FundViewSetMixin, viewsets.GenericViewSet):
    """The city's rules: which sources pay for what, and the guarantee leverage N."""

    queryset = FundPolicy.objects.all()
    serializer_class = s.FundPolicySerializer
    action_permissions: ClassVar = {"create": ("fund.change_fundpolicy",)}
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        return Response(s.FundPolicySerializer(selectors.current_policy()).data)

    @extend_schema(request=s.PolicyInputSerializer, responses=s.FundPolicySerializer)
    def create(self, request, *args, **kwargs):
        """Set the rules (city staff)."""
        policy = services.policy_set(actor=request.user, **self.parse(s.PolicyInputSerializer))
        return Response(s.FundPolicySerializer(policy).data)


class FundEntryViewSet(FundViewSetMixin, *READ):
    """The ledger. POST records a receipt; ``reverse`` corrects an entry. No update, no delete."""

    queryset = FundEntry.objects.select_related("created_by", "reversed_by")
    serializer_class = s.FundEntrySerializer
    filterset_class = FundEntryFilterSet
    action_scopes = {"reverse": "view"}
    action_permissions: ClassVar = {"create": ("fund.add_fundentry",), "reverse": ("fund.reverse_fundentry",)}

    @extend_schema(request=s.ReceiptInputSerializer, responses={201: s.FundEntrySerializer})
    def create(self, request, *args, **kwargs):
        entry = services.receipt_record(actor=request.user, **self.parse(s.ReceiptInputSerializer))
        return self.answer(entry, status.HTTP_201_CREATED)

    @extend_schema(request=s.ReversalInputSerializer, responses={201: s.FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, *args, **kwargs):
        entry = self.get_object()
        reversal = services.entry_reverse(actor=request.user, entry=entry, **self.parse(s.ReversalInputSerializer))
        return self.answer(reversal, status.HTTP_201_CREATED)


def _project_of(member, project_id):
    """The member's approved project with this id (the service checks it again)."""
    from projects.selectors import member_approved_projects

    project = member_approved_projects(member).filter(pk=project_id).first()
    if project is None:
        raise ValidationError({"project": _("请选择该党员已批准的致富项目。")})
    return project


class FundApplicationViewSet(FundViewSetMixin, *READ):
    """Applications for a loan guarantee or direct support, and each step of their workflow."""

    queryset = FundApplication.objects.select_related("member")
    serializer_class = s.FundApplicationSerializer
    filterset_class = FundApplicationFilterSet
    action_scopes = {
        "submit": "view",
        "review": "view",
        "approve": "view",
        "refuse": "view",
        "disburse": "view",
        "issue_guarantee": "view",
        "queue": "view",
    }
    action_permissions: ClassVar = {
        "create": ("fund.add_fundapplication",),
        "partial_update": ("fund.change_fundapplication",),
        "submit": ("fund.submit_fundapplication",),
        "review": ("fund.review_fundapplication",),
        "approve": ("fund.approve_fundapplication",),
        "refuse": ("fund.approve_fundapplication",),
        "disburse": ("fund.disburse_fundapplication",),
        "issue_guarantee": ("fund.disburse_fundapplication",),
    }

    @extend_schema(request=s.ApplicationInputSerializer, responses={201: s.FundApplicationSerializer})
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.ApplicationInputSerializer)
        member = fields.pop("member")
        fields["project"] = _project_of(member, fields["project"])
        application = services.application_create(actor=request.user, member=member, **fields)
        return self.answer(application, status.HTTP_201_CREATED)

    @extend_schema(request=s.ApplicationFieldsSerializer, responses=s.FundApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change a draft."""
        application = self.get_object()
        fields = self.parse(s.ApplicationFieldsSerializer, partial=True)
        if "project" in fields:
            fields["project"] = _project_of(application.member, fields["project"])
        return self.answer(services.application_update(actor=request.user, application=application, **fields))

    @extend_schema(responses=s.FundApplicationSerializer(many=True))
    @action(detail=False)
    def queue(self, request, *args, **kwargs):
        """The applications waiting for this user's step."""
        queryset = self.filter_queryset(selectors.application_queue(user=request.user))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _step(self, service, serializer=None, **extra):
        application = self.get_object()
        fields = self.parse(serializer) if serializer else {}
        service(actor=self.request.user, application=application, **fields, **extra)
        return self.answer(self.get_queryset().get(pk=application.pk))

    @extend_schema(request=None, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._step(services.application_submit)

    @extend_schema(request=s.FundReviewInputSerializer, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        return self._step(services.application_review, s.FundReviewInputSerializer)

    @extend_schema(request=None, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._step(services.application_approve)

    @extend_schema(request=s.FundRefuseInputSerializer, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, *args, **kwargs):
        return self._step(services.application_refuse, s.FundRefuseInputSerializer)

    @extend_schema(request=s.PayInputSerializer, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def disburse(self, request, *args, **kwargs):
        return self._step(services.application_disburse, s.PayInputSerializer)

    @extend_schema(request=s.IssueInputSerializer, responses=s.FundApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="issue-guarantee")
    def issue_guarantee(self, request, *args, **kwargs):
        return self._step(services.guarantee_issue, s.IssueInputSerializer)


class FundEligibilityViewSet(FundViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``GET /fund-eligibility/{member id}/``: why a member may not apply (有能力、有项目、缺资金)."""

    queryset = Member.objects.select_related("county")
    serializer_class = s.EligibilitySerializer

    def retrieve(self, request, *args, **kwargs):
        reasons = selectors.application_eligibility(self.get_object())
        return Response(s.EligibilitySerializer({"eligible": not reasons, "reasons": reasons}).data)


class GuaranteeViewSet(FundViewSetMixin, *READ):
    """Loan guarantees: release (loan repaid), call (代偿), recoveries and their end."""

    queryset = Guarantee.objects.select_related("call")
    serializer_class = s.GuaranteeSerializer
    filterset_class = GuaranteeFilterSet
    action_scopes = {"release": "change", "call": "change", "recoveries": "change", "close_recovery": "change"}
    action_permissions: ClassVar = {
        "release": ("fund.change_guarantee",),
        "call": ("fund.change_guarantee",),
        "recoveries": ("fund.change_guaranteecall",),
        "close_recovery": ("fund.change_guaranteecall",),
    }

    def _done(self, guarantee):
        return self.answer(self.get_queryset().get(pk=guarantee.pk))

    @extend_schema(request=s.ReleaseInputSerializer, responses=s.GuaranteeSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, *args, **kwargs):
        guarantee = self.get_object()
        services.guarantee_release(actor=request.user, guarantee=guarantee, **self.parse(s.ReleaseInputSerializer))
        return self._done(guarantee)

    @extend_schema(request=s.CallInputSerializer, responses=s.GuaranteeSerializer)
    @action(detail=True, methods=["post"])
    def call(self, request, *args, **kwargs):
        guarantee = self.get_object()
        services.guarantee_call(actor=request.user, guarantee=guarantee, **self.parse(s.CallInputSerializer))
        return self._done(guarantee)

    @extend_schema(request=s.RecoveryInputSerializer, responses={201: s.FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def recoveries(self, request, *args, **kwargs):
        """A repayment from the member after a call."""
        guarantee = self.get_object()
        entry = services.recovery_record(
            actor=request.user, guarantee=guarantee, **self.parse(s.RecoveryInputSerializer)
        )
        return Response(s.FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecoveryCloseInputSerializer, responses=s.GuaranteeSerializer)
    @action(detail=True, methods=["post"], url_path="close-recovery")
    def close_recovery(self, request, *args, **kwargs):
        guarantee = self.get_object()
        call = getattr(guarantee, "call", None)
        if call is None:
            raise ValidationError(_("该担保没有代偿，无需终结追偿。"))
        services.recovery_close(actor=request.user, call=call, **self.parse(s.RecoveryCloseInputSerializer))
        return self._done(guarantee)


class FundInspectionViewSet(FundViewSetMixin, *READ):
    """The work team's inspections of how the money is used; misuse opens a follow-up."""

    queryset = FundInspection.objects.select_related("follow_up")
    serializer_class = s.FundInspectionSerializer
    filterset_class = FundInspectionFilterSet
    action_permissions: ClassVar = {"create": ("fund.add_fundinspection",)}

    @extend_schema(request=s.InspectionInputSerializer, responses={201: s.FundInspectionSerializer})
    def create(self, request, *args, **kwargs):
        inspection = services.inspection_record(actor=request.user, **self.parse(s.InspectionInputSerializer))
        return self.answer(self.get_queryset().get(pk=inspection.pk), status.HTTP_201_CREATED)


class FollowUpViewSet(FundViewSetMixin, *READ):
    queryset = FollowUp.objects.all()
    serializer_class = s.FollowUpSerializer
    filterset_class = FollowUpFilterSet
    action_scopes = {"close": "change"}
    action_permissions: ClassVar = {"close": ("fund.change_followup",)}

    @extend_schema(request=s.FollowUpCloseInputSerializer, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        follow_up = self.get_object()
        follow_up = services.follow_up_close(
            actor=request.user, follow_up=follow_up, **self.parse(s.FollowUpCloseInputSerializer)
        )
        return self.answer(follow_up)

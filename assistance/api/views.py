"""REST endpoints of the assistance area, scoped like the pages and calling the same services.

A work-team account sees only the members of its villages, a cadre only its paired
members: ScopedViewSetMixin applies the role's permission and ``visible_to``, so a
record out of scope is a 404, and the input serializers offer only what is in scope.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from members.api.serializers import IdNumberRevealInputSerializer, IdNumberSerializer
from members.api.views import CanRevealIdNumber, RegisterViewSetMixin

from .. import services
from ..choices import HelperKind
from ..filtersets import (
    CentreServiceFilterSet,
    DifficultyFilterSet,
    EnterpriseSupportFilterSet,
    HelperFilterSet,
    MentorFilterSet,
    MentorPairFilterSet,
    PairingFilterSet,
    PoorResidentFilterSet,
    VisitNoteFilterSet,
    WelfareReferralFilterSet,
)
from ..models import (
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    Helper,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
    WorkTeam,
)
from . import serializers as s

READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet)


class HelperViewSet(RegisterViewSetMixin, *READ):
    """Every helper of any kind the user may see; the kind's own endpoint has its details."""

    queryset = Helper.objects.select_related("region")
    serializer_class = s.HelperSerializer
    filterset_class = HelperFilterSet


class _KindViewSet(RegisterViewSetMixin, *READ):
    kind = None
    input_serializer = None

    def create(self, request, *args, **kwargs):
        fields = self.parse(self.input_serializer)
        helper = services.helper_save(actor=request.user, kind=self.kind, **fields)
        return self.answer(self.get_queryset().get(pk=helper.pk), status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        helper = self.get_object()
        fields = self.parse(self.input_serializer, instance=helper, partial=partial)
        helper = services.helper_save(actor=request.user, kind=self.kind, helper=helper, **fields)
        return self.answer(helper)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema(request=s.WorkTeamInputSerializer, responses=s.WorkTeamSerializer)
class WorkTeamViewSet(_KindViewSet):
    """Village work teams (驻村工作队) and the villages they are stationed in."""

    queryset = WorkTeam.objects.select_related("region").prefetch_related("villages")
    serializer_class = s.WorkTeamSerializer
    kind = HelperKind.WORK_TEAM
    input_serializer = s.WorkTeamInputSerializer


@extend_schema(request=s.LeadingCadreInputSerializer, responses=s.LeadingCadreSerializer)
class LeadingCadreViewSet(_KindViewSet):
    """Party leading cadres (党员领导干部) with contact duty, at city, county or township level."""

    queryset = LeadingCadre.objects.select_related("region")
    serializer_class = s.LeadingCadreSerializer
    kind = HelperKind.CADRE
    input_serializer = s.LeadingCadreInputSerializer


@extend_schema(request=s.EnterpriseInputSerializer, responses=s.EnterpriseSerializer)
class EnterpriseViewSet(_KindViewSet):
    """Helping enterprises (帮扶企业)."""

    queryset = Enterprise.objects.select_related("region")
    serializer_class = s.EnterpriseSerializer
    kind = HelperKind.ENTERPRISE
    input_serializer = s.EnterpriseInputSerializer


@extend_schema(request=s.UrbanCentreInputSerializer, responses=s.UrbanCentreSerializer)
class UrbanCentreViewSet(_KindViewSet):
    """The urban service centre (创业服务中心)."""

    queryset = UrbanCentre.objects.select_related("region")
    serializer_class = s.UrbanCentreSerializer
    kind = HelperKind.URBAN_CENTRE
    input_serializer = s.UrbanCentreInputSerializer


class PairingViewSet(RegisterViewSetMixin, *READ):
    """Pairings (结对帮扶); a pairing may not overlap another of the same helper and member."""

    queryset = Pairing.objects.select_related("member", "helper")
    serializer_class = s.PairingSerializer
    filterset_class = PairingFilterSet

    @extend_schema(request=s.PairingInputSerializer, responses={201: s.PairingSerializer})
    def create(self, request, *args, **kwargs):
        pairing = services.pairing_save(actor=request.user, **self.parse(s.PairingInputSerializer))
        return self.answer(pairing, status.HTTP_201_CREATED)

    @extend_schema(request=s.PairingInputSerializer, responses=s.PairingSerializer)
    def partial_update(self, request, *args, **kwargs):
        pairing = self.get_object()
        fields = self.parse(s.PairingInputSerializer, instance=pairing, partial=True)
        return self.answer(services.pairing_save(actor=request.user, pairing=pairing, **fields))


class VisitPolicyViewSet(RegisterViewSetMixin, *READ):
    """The city's visit intervals per kind of helper (联系制度). POST sets a kind's interval."""

    queryset = VisitPolicy.objects.all()
    serializer_class = s.VisitPolicySerializer

    @extend_schema(request=s.VisitPolicyInputSerializer, responses={201: s.VisitPolicySerializer})
    def create(self, request, *args, **kwargs):
        policy = services.visit_policy_set(actor=request.user, **self.parse(s.VisitPolicyInputSerializer))
        return self.answer(policy, status.HTTP_201_CREATED)


class VisitNoteViewSet(RegisterViewSetMixin, *READ):
    """Visit notes (走访记录). Dated today unless given; never in the future."""

    queryset = VisitNote.objects.select_related("member", "helper", "visitor")
    serializer_class = s.VisitNoteSerializer
    filterset_class = VisitNoteFilterSet

    @extend_schema(request=s.VisitNoteInputSerializer, responses={201: s.VisitNoteSerializer})
    def create(self, request, *args, **kwargs):
        note = services.visit_note_create(actor=request.user, **self.parse(s.VisitNoteInputSerializer))
        return self.answer(note, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitNoteUpdateSerializer, responses=s.VisitNoteSerializer)
    def partial_update(self, request, *args, **kwargs):
        note = self.get_object()
        fields = self.parse(s.VisitNoteUpdateSerializer, instance=note, partial=True)
        return self.answer(services.visit_note_update(actor=request.user, note=note, **fields))


class DifficultyViewSet(RegisterViewSetMixin, *READ):
    """Difficulties (困难问题); ``overdue=true`` lists those past their deadline."""

    queryset = Difficulty.objects.select_related("member", "coordinator")
    serializer_class = s.DifficultySerializer
    filterset_class = DifficultyFilterSet

    @extend_schema(request=s.DifficultyInputSerializer, responses={201: s.DifficultySerializer})
    def create(self, request, *args, **kwargs):
        difficulty = services.difficulty_raise(actor=request.user, **self.parse(s.DifficultyInputSerializer))
        return self.answer(difficulty, status.HTTP_201_CREATED)

    @extend_schema(request=s.DifficultyUpdateSerializer, responses=s.DifficultySerializer)
    def partial_update(self, request, *args, **kwargs):
        difficulty = self.get_object()
        fields = self.parse(s.DifficultyUpdateSerializer, instance=difficulty, partial=True)
        return self.answer(services.difficulty_update(actor=request.user, difficulty=difficulty, **fields))


class EnterpriseSupportViewSet(RegisterViewSetMixin, *READ):
    """Equipment, technology or money an enterprise gave a member."""

    queryset = EnterpriseSupport.objects.select_related("member", "enterprise")
    serializer_class = s.EnterpriseSupportSerializer
    filterset_class = EnterpriseSupportFilterSet

    @extend_schema(request=s.EnterpriseSupportInputSerializer, responses={201: s.EnterpriseSupportSerializer})
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.EnterpriseSupportInputSerializer)
        return self.answer(services.enterprise_support_record(actor=request.user, **fields), status.HTTP_201_CREATED)


class CentreServiceViewSet(RegisterViewSetMixin, *READ):
    """Urban centre services: skills training, job referral (推荐就业), start-up support."""

    queryset = CentreService.objects.select_related("member", "centre")
    serializer_class = s.CentreServiceSerializer
    filterset_class = CentreServiceFilterSet

    @extend_schema(request=s.CentreServiceInputSerializer, responses={201: s.CentreServiceSerializer})
    def create(self, request, *args, **kwargs):
        fields = self.parse(s.CentreServiceInputSerializer)
        return self.answer(services.centre_service_save(actor=request.user, **fields), status.HTTP_201_CREATED)

    @extend_schema(request=s.CentreServiceInputSerializer, responses=s.CentreServiceSerializer)
    def partial_update(self, request, *args, **kwargs):
        service = self.get_object()
        fields = self.parse(s.CentreServiceInputSerializer, instance=service, partial=True)
        return self.answer(services.centre_service_save(actor=request.user, service=service, **fields))


class WelfareReferralViewSet(RegisterViewSetMixin, *READ):
    """Referrals to social relief (社会救济): rural to 五保供养, urban to 低保. Only for the relief track."""

    queryset = WelfareReferral.objects.select_related("member")
    serializer_class = s.WelfareReferralSerializer
    filterset_class = WelfareReferralFilterSet
    action_scopes = {"confirm": "change", "dismiss": "change", "outcome": "change"}

    @extend_schema(request=s.WelfareReferralInputSerializer, responses={201: s.WelfareReferralSerializer})
    def create(self, request, *args, **kwargs):
        referral = services.referral_create(actor=request.user, **self.parse(s.WelfareReferralInputSerializer))
        return self.answer(referral, status.HTTP_201_CREATED)

    def _decider(self):
        from rest_framework.exceptions import PermissionDenied

        if not self.request.user.has_perm("assistance.decide_welfarereferral"):
            raise PermissionDenied(_("您的角色没有这项权限。"))

    @extend_schema(request=s.ReferralConfirmSerializer, responses=s.WelfareReferralSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        """Confirm a system proposal: the member is referred."""
        referral = self.get_object()
        self._decider()
        fields = self.parse(s.ReferralConfirmSerializer)
        return self.answer(services.referral_confirm(actor=request.user, referral=referral, **fields))

    @extend_schema(request=s.ReferralDismissSerializer, responses=s.WelfareReferralSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, *args, **kwargs):
        """Dismiss a system proposal, with the reason."""
        referral = self.get_object()
        self._decider()
        fields = self.parse(s.ReferralDismissSerializer)
        return self.answer(services.referral_dismiss(actor=request.user, referral=referral, **fields))

    @extend_schema(request=s.ReferralOutcomeSerializer, responses=s.WelfareReferralSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, *args, **kwargs):
        """The decision on a referral: enrolled (with the monthly benefit) or refused."""
        referral = self.get_object()
        fields = self.parse(s.ReferralOutcomeSerializer)
        return self.answer(services.referral_record_outcome(actor=request.user, referral=referral, **fields))


class MentorViewSet(RegisterViewSetMixin, *READ):
    """Mentors (帮带党员): members out of poverty chosen to help others."""

    queryset = Mentor.objects.select_related("member")
    serializer_class = s.MentorSerializer
    filterset_class = MentorFilterSet

    @extend_schema(request=s.MentorInputSerializer, responses={201: s.MentorSerializer})
    def create(self, request, *args, **kwargs):
        mentor = services.mentor_designate(actor=request.user, **self.parse(s.MentorInputSerializer))
        return self.answer(mentor, status.HTTP_201_CREATED)


class PoorResidentViewSet(RegisterViewSetMixin, *READ):
    """Poor people who are not party members (贫困群众). ID numbers are masked; the full number via ``reveal-id``."""

    queryset = PoorResident.objects.select_related("village")
    serializer_class = s.PoorResidentSerializer
    filterset_class = PoorResidentFilterSet
    action_scopes = {"reveal_id": "view"}

    @extend_schema(request=s.PoorResidentInputSerializer, responses={201: s.PoorResidentSerializer})
    def create(self, request, *args, **kwargs):
        resident = services.poor_resident_save(actor=request.user, **self.parse(s.PoorResidentInputSerializer))
        return self.answer(resident, status.HTTP_201_CREATED)

    @extend_schema(request=s.PoorResidentInputSerializer, responses=s.PoorResidentSerializer)
    def partial_update(self, request, *args, **kwargs):
        resident = self.get_object()
        fields = self.parse(s.PoorResidentInputSerializer, instance=resident, partial=True)
        return self.answer(services.poor_resident_save(actor=request.user, resident=resident, **fields))

    @extend_schema(request=IdNumberRevealInputSerializer, responses=IdNumberSerializer)
    @action(
        detail=True, methods=["post"], url_path="reveal-id", permission_classes=[IsAuthenticated, CanRevealIdNumber]
    )
    def reveal_id(self, request, *args, **kwargs):
        """The full citizen ID number; every reveal is logged."""
        resident = self.get_object()
        number = services.poor_resident_id_reveal(
            actor=request.user, resident=resident, **self.parse(IdNumberRevealInputSerializer)
        )
        return Response({"id_number": number})


class MentorPairViewSet(RegisterViewSetMixin, *READ):
    """Mentor pairs (结成对子) with their yearly outcomes; POST ``outcomes`` records a year."""

    queryset = MentorPair.objects.select_related("mentor__member", "resident").prefetch_related("outcomes")
    serializer_class = s.MentorPairSerializer
    filterset_class = MentorPairFilterSet
    action_scopes = {"outcomes": "change"}

    @extend_schema(request=s.MentorPairInputSerializer, responses={201: s.MentorPairSerializer})
    def create(self, request, *args, **kwargs):
        pair = services.mentor_pair_create(actor=request.user, **self.parse(s.MentorPairInputSerializer))
        return self.answer(self.get_queryset().get(pk=pair.pk), status.HTTP_201_CREATED)

    @extend_schema(request=s.MentorOutcomeInputSerializer, responses={201: s.MentorOutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, *args, **kwargs):
        pair = self.get_object()
        fields = self.parse(s.MentorOutcomeInputSerializer)
        outcome = services.mentor_outcome_record(actor=request.user, pair=pair, **fields)
        return Response(s.MentorOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class MentorOutcomeViewSet(RegisterViewSetMixin, *READ):
    queryset = MentorOutcome.objects.select_related("pair")
    serializer_class = s.MentorOutcomeSerializer

from rest_framework import mixins, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from organization import services
from organization.filtersets import PartyOrganizationFilterSet, RegionFilterSet, UserFilterSet
from organization.models import PartyOrganization, Region, User

from .mixins import ScopedViewSetMixin
from .serializers import PartyOrganizationSerializer, RegionSerializer, UserSerializer


class RegionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Regions in the user's jurisdiction; filter by ``level`` and ``parent`` (a code)."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"


class PartyOrganizationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = PartyOrganization.objects.select_related("region")
    serializer_class = PartyOrganizationSerializer
    filterset_class = PartyOrganizationFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.party_organization_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.party_organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


class UserViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = User.objects.select_related("region")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token.

    The credentials are checked against the underlying Django request, so that the
    failed-login lockout (django-axes) sees and counts API attempts like page logins.
    """

    def get_serializer_context(self):
        return {"request": self.request._request, "format": self.format_kwarg, "view": self}


class MeView(APIView):
    """The account making the request: role and jurisdiction."""

    permission_classes = [IsAuthenticated]
    serializer_class = UserSerializer

    def get(self, request):
        return Response(UserSerializer(request.user).data)

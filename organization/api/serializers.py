from rest_framework import serializers

from organization.models import PartyOrganization, Region, User


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    path = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "path", "is_urban"]


class PartyOrganizationSerializer(serializers.ModelSerializer):
    # The choices are narrowed to the user's scope in __init__; none without a request.
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    region_path = serializers.CharField(source="region.full_name", read_only=True)

    class Meta:
        model = PartyOrganization
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_path",
            "parent",
            "leader_name",
            "leader_post",
            "leader_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only regions and organizations the user may see can be chosen.
            self.fields["region"].queryset = Region.objects.visible_to(request.user)
            self.fields["parent"].queryset = PartyOrganization.objects.visible_to(request.user)


class UserSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, default=None)
    region_path = serializers.CharField(source="region.full_name", read_only=True, default=None)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_label", "region", "region_path", "unit", "phone"]

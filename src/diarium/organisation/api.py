"""/api/v1/authorities/: the boards (nämnder). Not secret: every user sees all of them,
with the roles they themselves hold in each."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from diarium.organisation.models import Authority, Role
from diarium.organisation.selectors import access_for


class AuthoritySerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    member_municipalities = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True,
        help_text="For a joint board (gemensam nämnd): the member municipalities' codes.",
    )
    my_roles = serializers.SerializerMethodField(help_text="The roles I hold in the authority.")

    class Meta:
        model = Authority
        fields = ["id", "code", "name", "municipality", "member_municipalities", "my_roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_my_roles(self, authority: Authority) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return sorted(access_for(request.user).roles.get(authority.pk, set()))


@extend_schema_view(
    list=extend_schema(summary="List authorities"),
    retrieve=extend_schema(summary="Read an authority"),
)
class AuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuthoritySerializer
    queryset = (
        Authority.objects.select_related("municipality")
        .prefetch_related("member_municipalities")
        .order_by("code")
    )

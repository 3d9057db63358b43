"""/api/v1/authorities/: the boards (nämnder). Not secret: every user sees all of them,
with the roles they themselves hold in each.

Read with three queries a page (docs/performance.md, the API baseline): the authorities
with their municipality, the member municipalities' codes of the page's joint boards
(one flat read of the link table, not a prefetch of Municipality rows), and the user's
roles (read once per request, organisation/selectors.access_for)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from diarium.organisation.models import Authority, Role
from diarium.organisation.selectors import access_for

MEMBERS = Authority.member_municipalities.through


def member_codes(authorities) -> dict:
    """Each authority's member municipalities' codes, in code order (one query)."""
    codes: dict = {}
    rows = (MEMBERS.objects.filter(authority_id__in=[a.pk for a in authorities])
            .order_by("municipality__code").values_list("authority_id", "municipality__code"))
    for authority_id, code in rows:
        codes.setdefault(authority_id, []).append(code)
    return codes


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class MemberCodesField(serializers.Field):
    """The member municipalities' codes, read for the whole page at once."""

    def __init__(self, **kwargs) -> None:
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, authority: Authority) -> list[str]:
        cache = self.context.setdefault("_member_codes", {})
        if "codes" not in cache:
            instance = self.root.instance
            page = instance if isinstance(instance, list | tuple) else (
                list(instance) if hasattr(instance, "__iter__") else [instance])
            cache["codes"] = member_codes(page)
        return cache["codes"].get(authority.pk, [])


class AuthoritySerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    member_municipalities = MemberCodesField(
        help_text="For a joint board (gemensam nämnd): the member municipalities' codes.")
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
    queryset = Authority.objects.select_related("municipality").order_by("code")

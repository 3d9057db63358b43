"""/api/v1/authorities/: the boards (nämnder). Not secret: every user sees all of them,
with the roles they themselves hold in each.

Read with three queries a page (docs/performance.md, the API baseline): the authorities
with their municipality, the member municipalities' codes of the page's joint boards
(one flat read of the link table, not a prefetch of Municipality rows), and the user's
roles (read once per request, organisation/selectors.access_for)."""

from django.db import connection
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from diarium.core.serializers import Serializer
from diarium.organisation.models import Authority, Municipality, Role
from diarium.organisation.selectors import access_for

MEMBERS = Authority.member_municipalities.through


def member_codes(authorities) -> dict:
    """Each authority's member municipalities' codes, in code order (one query). Plain
    SQL over the link table: building the ORM's join cost more than the read itself."""
    ids = [a.pk for a in authorities]
    if not ids:
        return {}
    link, municipality = MEMBERS._meta, Municipality._meta
    quote = connection.ops.quote_name
    authority = quote(link.get_field("authority").column)
    code = quote(municipality.get_field("code").column)
    joined = f"m.{quote(municipality.pk.column)} = l.{quote(link.get_field('municipality').column)}"
    places = ", ".join(["%s"] * len(ids))
    # Our own table and column names, the ids bound as parameters.
    sql = (f"SELECT l.{authority}, m.{code} FROM {quote(link.db_table)} l "  # noqa: S608
           f"JOIN {quote(municipality.db_table)} m ON {joined} "
           f"WHERE l.{authority} IN ({places}) ORDER BY m.{code}")
    pk = Authority._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(i, connection) for i in ids])
        rows = cursor.fetchall()
    codes: dict = {}
    for authority_id, code in rows:  # SQLite gives the UUID as text
        codes.setdefault(pk.to_python(authority_id), []).append(code)
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


def _label(name: str):
    """The model field's label, as a ModelSerializer would give it."""
    return capfirst(Authority._meta.get_field(name).verbose_name)


# Declared fields, not a ModelSerializer: the fields are not derived from the model again
# on every request (docs/performance.md, the API baseline).
class AuthoritySerializer(Serializer):

    id = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True, label=_label("code"))
    name = serializers.CharField(read_only=True, label=_label("name"))
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    member_municipalities = MemberCodesField(
        help_text="For a joint board (gemensam nämnd): the member municipalities' codes.")
    my_roles = serializers.SerializerMethodField(help_text="The roles I hold in the authority.")

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

"""/api/v1/tokens/: API tokens. A user lists, makes and revokes their own; an
administrator also those of the users they manage (`?all=true`, tokens.managed_users).
The key is in the answer to the POST that makes it, and never again."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.parsers import JSONParser
from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer
from diarium.organisation import services, tokens
from diarium.organisation.auth_models import ApiToken
from diarium.organisation.models import User


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True,
                                       allow_null=True, default=None)
    revoked_by = serializers.CharField(source="revoked_by.username", read_only=True,
                                       allow_null=True, default=None)
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "user", "name", "prefix", "created_at", "created_by", "expires_at",
                  "last_used_at", "revoked_at", "revoked_by", "active"]
        read_only_fields = fields

    def get_active(self, token: ApiToken) -> bool:
        return token.is_active()


class NewTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The token. Shown only this once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class TokenCreateSerializer(Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        max_value=services.MAX_TOKEN_DAYS,
        help_text="Days until the token expires; default DIARIUM_API_TOKEN_DAYS.",
    )
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), required=False,
        help_text="An administrator may make a token for a user they manage; default: me.",
    )


def _flag(request: Request, name: str) -> bool:
    """A boolean query parameter; anything but true/false/1/0 is a 400."""
    values = request.query_params.getlist(name)
    if not values:
        return False
    field = serializers.BooleanField()
    if len(values) > 1:
        raise serializers.ValidationError({name: [_("Give the parameter once.")]})
    try:
        return field.to_internal_value(values[0])
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc


ALL = OpenApiParameter("all", OpenApiTypes.BOOL, description=(
    "Administrators: every token of the users they manage, not only their own."))


@extend_schema_view(
    list=extend_schema(summary="List API tokens", parameters=[ALL],
                       responses={200: ApiTokenSerializer, **problem_responses(401)}),
    retrieve=extend_schema(summary="Read an API token",
                           responses={200: ApiTokenSerializer, **problem_responses(401, 404)}),
    create=extend_schema(summary="Make an API token", request=TokenCreateSerializer,
                         responses={201: NewTokenSerializer,
                                    **problem_responses(400, 401, 403)}),
    destroy=extend_schema(summary="Revoke an API token",
                          responses={204: None, **problem_responses(401, 403, 404)}),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = ApiTokenSerializer
    parser_classes = [JSONParser]  # JSON only: a form's empty field would mean "not given"

    def get_queryset(self):
        everyone = self.action != "list" or _flag(self.request, "all")
        return tokens.tokens_for(self.request.user, everyone=everyone)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = data.validated_data.get("user") or request.user
        made = services.create_api_token(request.user, user, name=data.validated_data["name"],
                                         days=data.validated_data["days"])
        made.token.key = made.key
        return Response(NewTokenSerializer(made.token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.revoke_api_token(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

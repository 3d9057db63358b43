"""The open API of the public diary (/api/public/v1/): no token, rate limited per client
(throttles.py), OpenAPI documented at /api/public/v1/schema/. The same filters as the
pages (filters.py) and the same projection (selectors.py); errors as problem+json."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from diarium.core.serializers import Serializer
from diarium.public import selectors
from diarium.public.filters import (
    DIRECTIONS,
    KIND_DOCUMENTS,
    MAX_QUERY,
    STATUSES,
    SearchForm,
    page_number,
)
from diarium.public.throttles import PublicRateThrottle
from diarium.public.views import request_link

API_PAGE_SIZE = 50


class AuthoritySerializer(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FileSerializer(Serializer):
    id = serializers.UUIDField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField()
    is_rendition = serializers.BooleanField(help_text="The PDF/A rendition of the original.")
    download = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        return f"/insyn/fil/{obj.pk}/"


class DocumentSerializer(Serializer):
    id = serializers.UUIDField(help_text="The registry document's id (for a request).")
    case = serializers.UUIDField(source="case_id")
    document_number = serializers.CharField()
    authority = serializers.CharField(source="authority.code")
    direction = serializers.CharField(help_text="Empty for a secret document.")
    record_type = serializers.CharField()
    public_title = serializers.CharField()
    counterpart = serializers.CharField(help_text="An organisation sender or recipient.")
    document_date = serializers.DateField()
    registered_at = serializers.DateTimeField()
    status = serializers.CharField()
    is_secret = serializers.BooleanField()
    secrecy_ground = serializers.CharField()
    files = FileSerializer(many=True)
    request = serializers.SerializerMethodField()

    def get_request(self, obj) -> str:
        return request_link(obj.pk)


class CaseSerializer(Serializer):
    id = serializers.UUIDField()
    diary_number = serializers.CharField()
    authority = serializers.CharField(source="authority.code")
    authority_name = serializers.CharField(source="authority.name")
    public_title = serializers.CharField()
    status = serializers.CharField(help_text="Empty for a secret case.")
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    is_secret = serializers.BooleanField()
    secrecy_ground = serializers.CharField()
    organisations = serializers.SerializerMethodField()

    def get_organisations(self, obj) -> list[str]:
        return [name for name in obj.organisations.split("; ") if name]


class CaseDetailSerializer(CaseSerializer):
    documents = serializers.SerializerMethodField()

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, obj) -> list[dict]:
        return DocumentSerializer(selectors.case_documents(obj), many=True).data


class RegisterSerializer(Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    authority_name = serializers.CharField()
    description = serializers.CharField()
    record_types = serializers.SerializerMethodField()

    def get_record_types(self, obj) -> list[str]:
        return [name for name in obj.record_types.split("; ") if name]


FILTER_PARAMETERS = [
    OpenApiParameter("q", {"type": "string", "maxLength": MAX_QUERY},
                     description=f"Search words or a diary number (at most {MAX_QUERY} "
                                 "characters); the public text only."),
    OpenApiParameter("authority", str, description="An authority's code (see /authorities/)."),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("direction", str, enum=[c for c, _ in DIRECTIONS]),
    OpenApiParameter("record_type", str),
    OpenApiParameter("status", str, enum=[c for c, _ in STATUSES], description="Case status."),
    OpenApiParameter("page", {"type": "integer", "minimum": 1},
                     description="From 1; a page past the end gives the last."),
]


def _page_asked(request) -> int:
    """The page number: a whole number from 1 (400 otherwise); past the end, the last."""
    raw = request.query_params.get("page")
    if raw is None:
        return 1
    if not raw.isdigit() or not raw.isascii() or int(raw[:12]) < 1:
        raise ValidationError({"page": [_("Give a whole number from 1.")]})
    return page_number(raw)


def _paged(request, queryset, serializer) -> Response:
    paginator = Paginator(queryset, API_PAGE_SIZE)
    page = paginator.get_page(_page_asked(request))
    return Response({"count": paginator.count, "page": page.number,
                     "pages": paginator.num_pages,
                     "results": serializer(page.object_list, many=True).data})


def _filters(request, kind: str) -> dict:
    data = request.query_params.copy()
    data["kind"] = kind
    form = SearchForm(data, authorities=[(a.code, a.name) for a in selectors.authorities()],
                      record_types=selectors.record_types())
    if not form.is_valid():
        raise ValidationError({field: [e["message"] for e in errors]
                               for field, errors in form.errors.get_json_data().items()})
    return form.cleaned_data


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]


def _listing(name: str, item):
    return inline_serializer(name, {
        "count": serializers.IntegerField(), "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(), "results": item(many=True)})


class AuthorityList(PublicView):
    @extend_schema(responses=AuthoritySerializer(many=True), operation_id="authorities")
    def get(self, request):
        return Response(AuthoritySerializer(selectors.authorities(), many=True).data)


class CaseList(PublicView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=_listing("CasePage", CaseSerializer),
                   operation_id="cases")
    def get(self, request):
        return _paged(request, selectors.cases(_filters(request, "cases")), CaseSerializer)


class CaseDetail(PublicView):
    @extend_schema(responses=CaseDetailSerializer, operation_id="case")
    def get(self, request, case_id):
        row = selectors.case(case_id)
        if row is None:
            raise NotFound()
        return Response(CaseDetailSerializer(row).data)


class DocumentList(PublicView):
    @extend_schema(parameters=FILTER_PARAMETERS,
                   responses=_listing("DocumentPage", DocumentSerializer),
                   operation_id="documents")
    def get(self, request):
        found = selectors.documents(_filters(request, KIND_DOCUMENTS))
        return _paged(request, found.prefetch_related("files"), DocumentSerializer)


class DocumentDetail(PublicView):
    @extend_schema(responses=DocumentSerializer, operation_id="document")
    def get(self, request, document_id):
        row = selectors.document(document_id)
        if row is None:
            raise NotFound()
        return Response(DocumentSerializer(row).data)


class Postlista(PublicView):
    @extend_schema(parameters=[
        OpenApiParameter("days", int, description="1 to 31 (clamped); default 7."),
        OpenApiParameter("page", {"type": "integer", "minimum": 1})],
        responses=_listing("PostlistaPage", DocumentSerializer), operation_id="postlista")
    def get(self, request, code):
        authority = selectors.authority_by_code(code)
        if authority is None:
            raise NotFound()
        try:
            days = int(str(request.query_params.get("days", selectors.POSTLISTA_DAYS))[:4])
        except ValueError:
            raise ValidationError({"days": [_("Give a whole number from 1 to 31.")]}) from None
        days = min(max(1, days), selectors.MAX_POSTLISTA_DAYS)
        found = selectors.postlista(authority, days).prefetch_related("files")
        return _paged(request, found, DocumentSerializer)


class RegisterList(PublicView):
    @extend_schema(responses=RegisterSerializer(many=True), operation_id="registers")
    def get(self, request):
        return Response(RegisterSerializer(selectors.registers(), many=True).data)

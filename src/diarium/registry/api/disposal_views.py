"""/api/v1/holds/ and /api/v1/disposal-report/: holds on cases and documents, and the
documents due for disposal (for the authority's archivists and administrators)."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.pagination import Pagination
from diarium.core.problems import problem_responses
from diarium.core.renderers import PassthroughRenderer
from diarium.organisation.models import Authority
from diarium.registry import disposal_csv, disposal_services
from diarium.registry import disposal_selectors as due
from diarium.registry.api import common
from diarium.registry.api import plan_serializers as plan
from diarium.registry.models import Hold


@extend_schema_view(
    list=extend_schema(summary="Holds of the authorities where I am an archivist",
                       responses={200: plan.HoldSerializer(many=True),
                                  **problem_responses(401)}),
    retrieve=extend_schema(summary="Read a hold",
                           responses={200: plan.HoldSerializer, **problem_responses(401, 404)}),
    create=extend_schema(
        summary="Place a legal hold on a case or a document",
        description="While a hold is active nothing it covers appears on the disposal "
        "report. Another authority's cases and documents are not found (404).",
        request=plan.HoldInput,
        responses={201: plan.HoldSerializer, **problem_responses(400, 401, 403, 404)},
    ),
)
class HoldViewSet(viewsets.GenericViewSet):
    """Holds (gallringsstopp): legal holds placed by archivists, and holds other apps
    place (an open request for the document). Audited."""

    queryset = Hold.objects.none()  # for the schema; reads go through the selectors
    serializer_class = plan.HoldSerializer

    def get_object(self) -> Hold:
        return common.lookup(due.get_hold, self.request.user, self.kwargs["pk"])

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(due.holds(request.user))
        return self.get_paginated_response(plan.HoldSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(plan.HoldSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        given = plan.HoldInput(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        target = {}
        if "case" in values:
            cases = due.holdable_cases(request.user)
            target["case"] = common.lookup(lambda: cases.get(pk=values["case"]))
        else:
            docs = due.holdable_documents(request.user)
            target["document"] = common.lookup(lambda: docs.get(pk=values["document"]))
        hold = disposal_services.place_hold(
            request.user, reason=values["reason"], reference=values["reference"], **target
        )
        return Response(plan.HoldSerializer(due.get_hold(request.user, hold.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Release a hold", request=plan.ReleaseInput,
                   responses={200: plan.HoldSerializer, **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        given = plan.ReleaseInput(data=request.data)
        given.is_valid(raise_exception=True)
        hold = disposal_services.release_hold(request.user, self.get_object(),
                                              given.validated_data["note"])
        return Response(plan.HoldSerializer(due.get_hold(request.user, hold.pk)).data)


class DisposalReportViewSet(viewsets.GenericViewSet):
    """Documents due for disposal under the document management plan: the disposal date
    has come, the case is closed or voided, and no hold is active. For the authority's
    archivists and administrators; disposal itself is carried out in the e-archive."""

    queryset = Hold.objects.none()  # for the schema
    serializer_class = plan.DueRowSerializer
    # The summary (list) is one short array, not paged; only `documents` pages.
    pagination_class = None

    def _criteria(self, request: Request) -> due.DueCriteria:
        allowed = due.report_authority_ids(request.user)
        if not allowed:
            raise PermissionDenied()
        given = plan.DueFilter(data=request.query_params)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        authorities = None
        if "authority" in values:
            found = Authority.objects.filter(code=values["authority"], pk__in=allowed).first()
            if found is None:
                raise NotFound()
            authorities = frozenset({found.pk})
        on = values.get("on") or due.DueCriteria.today()
        return due.DueCriteria(on=on, authority_ids=authorities,
                               record_type_id=values.get("record_type"))

    @extend_schema(summary="Due documents per authority and record type",
                   parameters=[plan.DueFilter],
                   responses={200: plan.DueGroupSerializer(many=True),
                              **problem_responses(400, 401, 403, 404)})
    def list(self, request: Request) -> Response:
        groups = due.due_summary(request.user, self._criteria(request))
        return Response(plan.DueGroupSerializer(groups, many=True).data)

    @extend_schema(summary="The due documents, paged", parameters=[plan.DueFilter],
                   responses={200: plan.DueRowSerializer(many=True),
                              **problem_responses(400, 401, 403, 404)})
    @action(detail=False, methods=["get"], pagination_class=Pagination)
    def documents(self, request: Request) -> Response:
        page = self.paginate_queryset(due.due_rows(request.user, self._criteria(request)))
        labels, codes = due.RuleLabels(), due.authority_codes()
        rows = [due.present(row, labels, codes) for row in page]
        return self.get_paginated_response(plan.DueRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="All due documents as CSV (streamed)", parameters=[plan.DueFilter],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, PassthroughRenderer])
    def csv(self, request: Request) -> StreamingHttpResponse:
        criteria = self._criteria(request)
        rows = due.stream_due(request.user, criteria)
        return disposal_csv.response(rows, f"gallringsunderlag-{criteria.on.isoformat()}.csv")

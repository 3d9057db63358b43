"""/api/v1/plans/, /api/v1/plan-versions/, /api/v1/plan-rules/ and /api/v1/plan-lookup/."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import PROBLEM, problem_responses
from diarium.plan import lookup, selectors, services
from diarium.plan.api import inputs
from diarium.plan.api.common import EXPORT_RENDERERS, EXPORT_TYPES, IsStaffMember
from diarium.plan.api.serializers import (
    ImportResultSerializer,
    LookupHitSerializer,
    PlanFileProblemSerializer,
    PlanSerializer,
    RuleSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from diarium.plan.io.errors import PlanFileError
from diarium.plan.io.reading import read_limited
from diarium.plan.models import Plan, PlanVersion, RecordTypeRule

FILE = OpenApiTypes.BINARY


def plan_file_problem(request: Request, error: PlanFileError) -> Response:
    body = {
        "type": "about:blank", "title": _("Bad request"), "status": 400,
        "detail": _("The file cannot be imported; nothing was imported."),
        "instance": request.path,
        "errors": {"file": [str(issue) for issue in error.issues]},
        "issues": [{"row": i.row, "column": i.column, "message": i.message}
                   for i in error.issues],
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST, content_type=PROBLEM)


@extend_schema_view(
    list=extend_schema(summary="List the document management plans"),
    retrieve=extend_schema(summary="Read a plan",
                           responses={200: PlanSerializer, **problem_responses(401, 403, 404)}),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipality's base plan and each authority's plan (dokumenthanteringsplan)."""

    serializer_class = PlanSerializer
    permission_classes = [IsStaffMember]
    queryset = Plan.objects.none()  # for the schema; reads go through the selectors

    def get_queryset(self):
        return selectors.visible_plans(self.request.user).order_by("name", "id")

    @extend_schema(summary="The plan's versions, newest first",
                   responses={200: VersionSummarySerializer(many=True),
                              **problem_responses(401, 403, 404)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        data = VersionSummarySerializer(selectors.versions(request.user, plan), many=True).data
        return Response(data)

    @extend_schema(
        summary="Import a plan file into the plan's draft version",
        description="multipart/form-data with `file`. The whole file is checked first: when "
        "anything is wrong the answer is a 400 problem listing every error with its row and "
        "column under `issues`, and nothing is imported. Otherwise the file replaces the "
        "content of the draft (made when there is none). For an authority's plan the file "
        "holds its additions to the latest adopted base version.",
        request={"multipart/form-data": inputs.ImportInput},
        responses={201: ImportResultSerializer,
                   (400, PROBLEM): OpenApiResponse(PlanFileProblemSerializer,
                                                   description="Nothing was imported."),
                   **problem_responses(401, 403, 404, 413)},
    )
    @action(detail=True, methods=["post"], url_path="import", url_name="import",
            parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        given = inputs.ImportInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            data = read_limited(given.validated_data["file"])
            result = services.import_plan(request.user, plan, data,
                                          given.validated_data["file_format"])
        except PlanFileError as exc:
            return plan_file_problem(request, exc)
        body = ImportResultSerializer({"version": result.version, "processes": result.processes,
                                       "record_types": result.record_types}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Export a plan version as CSV, XLSX, JSON or PDF",
        description="`?format=csv|xlsx|json` writes the import column set (what import reads "
        "back); `pdf` a printable document. Default: csv.",
        parameters=[inputs.ExportQuery],
        responses={
            **{(200, EXPORT_TYPES[f].split(";")[0]): OpenApiResponse(FILE)
               for f in ("csv", "xlsx", "pdf")},
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            **problem_responses(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=EXPORT_RENDERERS)
    def export(self, request: Request, pk: str) -> HttpResponse:
        plan = self.get_object()
        query = inputs.ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        fmt = request.query_params.get("format", "csv")
        number = query.validated_data.get("version")
        if number is not None:
            version = selectors.versions(request.user, plan).filter(number=number).first()
        else:
            version = selectors.shown_version(request.user, plan, timezone.localdate())
        if version is None:
            raise NotFound(_("The plan has no such version."))
        response = HttpResponse(selectors.export_version(request.user, version, fmt),
                                content_type=EXPORT_TYPES[fmt])
        name = f"{plan.authority.code if plan.authority_id else 'plan'}-v{version.number}.{fmt}"
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"informationshanteringsplan-{name}")
        return response


@extend_schema_view(
    list=extend_schema(summary="List plan versions (newest first)"),
    retrieve=extend_schema(
        summary="Read a plan version with its processes and record type rules",
        responses={200: VersionSerializer, **problem_responses(401, 403, 404)}),
)
class PlanVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Plan versions: drafts and adopted versions. Adopted ones never change."""

    permission_classes = [IsStaffMember]
    queryset = PlanVersion.objects.none()  # for the schema; reads go through the selectors

    def get_serializer_class(self):
        return VersionSerializer if self.action == "retrieve" else VersionSummarySerializer

    def get_queryset(self):
        plans = selectors.visible_plans(self.request.user)
        return PlanVersion.objects.filter(plan__in=plans).select_related(
            "adopted_by").order_by("plan__name", "-number")

    @extend_schema(summary="Adopt a draft: record the board's decision",
                   request=inputs.AdoptInput,
                   responses={200: VersionSummarySerializer,
                              **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        given = inputs.AdoptInput(data=request.data)
        given.is_valid(raise_exception=True)
        adopted = services.adopt_version(request.user, version, **given.validated_data)
        return Response(VersionSummarySerializer(adopted).data)


@extend_schema_view(
    list=extend_schema(summary="The record type rules in force for an authority on a date",
                       parameters=[inputs.InForceQuery],
                       responses={200: RuleSerializer(many=True),
                                  **problem_responses(400, 401, 403)}),
    retrieve=extend_schema(summary="Read a record type rule (of any version)",
                           responses={200: RuleSerializer, **problem_responses(401, 403, 404)}),
)
class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Record type rules. A registered document keeps the id of the rule that applied."""

    serializer_class = RuleSerializer
    permission_classes = [IsStaffMember]
    queryset = RecordTypeRule.objects.none()  # for the schema; reads go through the selectors

    def get_queryset(self):
        query = inputs.InForceQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        authority = query.validated_data["authority"]
        return selectors.rules_in_force(authority.pk, query.on_date())

    def retrieve(self, request: Request, pk: str) -> Response:
        try:
            rule = selectors.get_rule(pk)
        except (ObjectDoesNotExist, ValidationError) as exc:
            raise NotFound() from exc
        return Response(RuleSerializer(rule).data)


@extend_schema_view(list=extend_schema(
    summary="What do I do with …? Record types in force that fit a kind of document",
    parameters=[inputs.LookupQuery],
    responses={200: LookupHitSerializer(many=True), **problem_responses(400, 401, 403)}))
class LookupViewSet(viewsets.GenericViewSet):
    """Answers from an authority's plan in force: register or not, where, how long it is
    kept and under which decision. Best match first."""

    serializer_class = LookupHitSerializer
    permission_classes = [IsStaffMember]
    pagination_class = None

    def list(self, request: Request) -> Response:
        query = inputs.LookupQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        hits = lookup.what_to_do(v["authority"].pk, v["q"], query.on_date(), v["limit"])
        data = [{"answer": h.answer, "matched": h.matched, "score": round(h.score, 2),
                 "rule": h.rule} for h in hits]
        return Response(LookupHitSerializer(data, many=True).data)

"""/api/v1/archive/disposal-runs/ and /api/v1/archive/holds/: disposal lists (draw up,
approve or reject by a second person, execute, certificate) and holds on archived
packages, for the authority's archivists and administrators (others 403; another
authority's lists and holds 404)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.archive import disposal
from diarium.archive.disposal import access
from diarium.archive.models import ArchiveHold, DisposalRun
from diarium.archive.tasks import start_disposal
from diarium.core.jobs.api import JobSerializer, accepted
from diarium.core.problems import problem_responses
from diarium.core.renderers import PassthroughRenderer
from diarium.documents.services import open_content
from diarium.organisation.models import Authority
from diarium.plan.models import RecordType

from .common import lookup
from .disposal_serializers import (
    ArchiveHoldInput,
    ArchiveHoldReleaseInput,
    ArchiveHoldSerializer,
    CertificateFilter,
    DisposalApproveInput,
    DisposalItemFilter,
    DisposalItemSerializer,
    DisposalRejectInput,
    DisposalRunInput,
    DisposalRunSerializer,
)

ERRORS = problem_responses(400, 401, 403, 404)


class DisposalOnly:
    """Mixin: only archivists and administrators of some authority (others: 403)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.may_dispose(request.user):
            raise exceptions.PermissionDenied(
                "Only archivists and administrators handle disposal.")


@extend_schema_view(
    list=extend_schema(summary="Disposal lists of my authorities", responses={
        200: DisposalRunSerializer(many=True), **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a disposal list", responses={
        200: DisposalRunSerializer, **problem_responses(401, 403, 404)}),
    create=extend_schema(
        summary="Draw up (and freeze) a disposal list",
        description="Lists every registered document and archived package of the authority "
        "whose disposal date has come by `due_on` (default today); held ones are listed as "
        "skipped. Another archivist or administrator approves it.",
        request=DisposalRunInput, responses={201: DisposalRunSerializer, **ERRORS}),
)
class DisposalRunViewSet(DisposalOnly, viewsets.GenericViewSet):
    """Disposal lists (gallringslistor): frozen when drawn up, approved by a second person
    under a disposal decision, executed with a certificate (gallringsbevis)."""

    queryset = DisposalRun.objects.none()
    serializer_class = DisposalRunSerializer

    def _run(self, pk: str) -> DisposalRun:
        return lookup(access.get_run, self.request.user, pk)

    def _show(self, run: DisposalRun, code: int = status.HTTP_200_OK) -> Response:
        fresh = access.runs(self.request.user).get(pk=run.pk)
        return Response(DisposalRunSerializer(fresh).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(access.runs(request.user))
        return self.get_paginated_response(DisposalRunSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._show(self._run(pk))

    def create(self, request: Request) -> Response:
        given = DisposalRunInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        authority = Authority.objects.filter(
            code=data["authority"], pk__in=access.authority_ids(request.user)).first()
        if authority is None:
            raise exceptions.NotFound("No such authority of yours.")
        record_type = None
        if data.get("record_type"):
            record_type = RecordType.objects.filter(pk=data["record_type"]).first()
            if record_type is None:
                raise exceptions.ValidationError({"record_type": ["No such record type."]})
        run = disposal.create_run(request.user, authority, due_on=data.get("due_on"),
                                  record_type=record_type)
        return self._show(run, status.HTTP_201_CREATED)

    @extend_schema(summary="The list's items (paged)", parameters=[DisposalItemFilter],
                   responses={200: DisposalItemSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: str) -> Response:
        run = self._run(pk)
        given = DisposalItemFilter(data=request.query_params)
        given.is_valid(raise_exception=True)
        rows = access.items(run, given.validated_data.get("state")).select_related("record")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DisposalItemSerializer(page, many=True).data)

    @extend_schema(summary="Approve the list under a disposal decision (not its author)",
                   request=DisposalApproveInput, responses={200: DisposalRunSerializer,
                                                            **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        run = self._run(pk)
        given = DisposalApproveInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        return self._show(disposal.approve(request.user, run, data["decision_reference"],
                                           data["note"]))

    @extend_schema(summary="Reject the list (not its author)", request=DisposalRejectInput,
                   responses={200: DisposalRunSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        run = self._run(pk)
        given = DisposalRejectInput(data=request.data)
        given.is_valid(raise_exception=True)
        return self._show(disposal.reject(request.user, run, given.validated_data["note"]))

    @extend_schema(
        summary="Execute an approved list (or finish an interrupted execution)",
        description="Queues the execution and answers 202 with the job (its URL in "
        "`Location`). The job checks every item again (holds, reopened cases), destroys "
        "the content in every storage copy and in the file store, keeps a disposal record "
        "per item and makes the certificate; items that fail are tried again. While a "
        "list's execution is queued or running, asking again returns the same job.",
        request=None, responses={202: JobSerializer,
                                 **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: str) -> Response:
        run = self._run(pk)
        disposal.check_executable(request.user, run)
        return accepted(start_disposal(request.user, run))

    @extend_schema(
        summary="The disposal certificate (gallringsbevis) as PDF or JSON",
        parameters=[CertificateFilter],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, "application/json"): OpenApiResponse(OpenApiTypes.BINARY),
                   **ERRORS})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PassthroughRenderer])
    def certificate(self, request: Request, pk: str) -> FileResponse:
        run = self._run(pk)
        given = CertificateFilter(data=request.query_params)
        given.is_valid(raise_exception=True)
        fmt = given.validated_data["format"]
        stored = run.certificate_pdf if fmt == "pdf" else run.certificate_json
        if stored is None:
            raise exceptions.NotFound("The list has not been executed yet.")
        name = f"gallringsbevis-{run.authority.code}-{run.year}-{run.number}.{fmt}"
        return FileResponse(open_content(stored), as_attachment=True, filename=name,
                            content_type=stored.mime_type)


@extend_schema_view(
    list=extend_schema(summary="Holds on archived packages of my authorities", responses={
        200: ArchiveHoldSerializer(many=True), **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a hold on a package", responses={
        200: ArchiveHoldSerializer, **problem_responses(401, 403, 404)}),
    create=extend_schema(summary="Hold an archived package (gallringsstopp)",
                         request=ArchiveHoldInput,
                         responses={201: ArchiveHoldSerializer, **ERRORS}),
)
class ArchiveHoldViewSet(DisposalOnly, viewsets.GenericViewSet):
    """Legal holds on archived packages: a held package is on no disposal list."""

    queryset = ArchiveHold.objects.none()
    serializer_class = ArchiveHoldSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(access.holds(request.user))
        return self.get_paginated_response(ArchiveHoldSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ArchiveHoldSerializer(lookup(access.get_hold, request.user, pk)).data)

    def create(self, request: Request) -> Response:
        given = ArchiveHoldInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        packages = access.holdable_packages(request.user)
        package = lookup(lambda: packages.get(pk=data["package"]))
        hold = disposal.place_hold(request.user, package, data["reason"], data["reference"])
        return Response(ArchiveHoldSerializer(access.get_hold(request.user, hold.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Release a hold on a package", request=ArchiveHoldReleaseInput,
                   responses={200: ArchiveHoldSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        hold = lookup(access.get_hold, request.user, pk)
        given = ArchiveHoldReleaseInput(data=request.data)
        given.is_valid(raise_exception=True)
        hold = disposal.release_hold(request.user, hold, given.validated_data["note"])
        return Response(ArchiveHoldSerializer(access.get_hold(request.user, hold.pk)).data)

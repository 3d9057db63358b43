"""/api/v1/archive/packages/: ingest, list and read packages (archivists only)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.archive import selectors
from diarium.archive.api.serializers import (
    AIPFileSerializer,
    ArchiveIngestInput,
    ArchivePackageDetailSerializer,
    ArchivePackageSerializer,
)
from diarium.archive.models import Package, PreservationEvent, StorageCopy
from diarium.archive.tasks import start_ingest
from diarium.archive.uploads import inbox_path
from diarium.core import visibility
from diarium.core.jobs.api import JobSerializer, accepted
from diarium.core.problems import problem_responses


def receipt(package: Package) -> dict:
    """The validation report as a receipt: what was delivered and what was found."""
    return {"package": str(package.pk), "objid": package.objid, "name": package.name,
            "state": package.state, "agreement": package.agreement.reference,
            "creator": package.creator.name, "received": package.created_at.isoformat(),
            "report": package.report}


@extend_schema_view(
    list=extend_schema(summary="List packages of my archive creators",
                       responses={200: ArchivePackageSerializer(many=True),
                                  **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a package with its copies and events",
                           responses={200: ArchivePackageDetailSerializer,
                                      **problem_responses(401, 403, 404)}),
)
class PackageViewSet(viewsets.GenericViewSet):
    """E-archive packages (SIP in, AIP stored). Only archivists (arkivarier) see them."""

    queryset = Package.objects.none()  # for the schema; reads go through the selectors
    serializer_class = ArchivePackageSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.is_archivist(request.user):
            raise exceptions.PermissionDenied("Only archivists may use the e-archive.")

    def _package(self, pk: str) -> Package:
        try:
            return selectors.package_detail(self.request.user, pk)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise exceptions.NotFound() from exc

    def list(self, request: Request) -> Response:
        packages = selectors.packages(request.user)
        if state := request.query_params.get("state"):
            packages = packages.filter(state=state)
        page = self.paginate_queryset(packages)
        return self.get_paginated_response(ArchivePackageSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        package = self._package(pk)
        with self._shown(request, package):
            return Response(self._detail(package))

    def _shown(self, request: Request, package: Package) -> visibility.Page:
        """The policy's page for a response about the package: audited when the package
        is restricted (secret)."""
        shown = visibility.policy_for(request.user).page(request.resolver_match.view_name)
        shown.note(selectors.restricted_shown([package]))
        return shown

    def _detail(self, package: Package) -> dict:
        fresh = Package.objects.prefetch_related(
            Prefetch("copies", StorageCopy.objects.select_related("location")),
            Prefetch("events", PreservationEvent.objects.select_related("location")),
        ).select_related("creator", "agreement").get(pk=package.pk)
        return ArchivePackageDetailSerializer(fresh).data

    @extend_schema(
        summary="Ingest a package (upload or a path in the inbox folder)",
        description="Queues the ingest and answers 202 with the job (its URL in `Location` "
        "and `url`). The job validates the SIP and, when it is valid, stores the AIP in "
        "every storage location and verifies every copy; its result names the package "
        "and its `state`: `archived` or `rejected` (see the receipt). A named agreement "
        "is checked at once (400 unknown or not in force, 403 not yours).",
        request={"multipart/form-data": ArchiveIngestInput, "application/json": ArchiveIngestInput},
        responses={202: JobSerializer, **problem_responses(400, 401, 403, 413)})
    def create(self, request: Request) -> Response:
        given = ArchiveIngestInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data.get("file"):
            job = start_ingest(request.user, upload=data["file"], agreement=data.get("agreement"))
        else:
            job = start_ingest(request.user, path=inbox_path(data["path"]),
                               agreement=data.get("agreement"))
        return accepted(job)

    @extend_schema(summary="The package's file inventory",
                   responses={200: AIPFileSerializer(many=True),
                              **problem_responses(401, 403, 404)})
    @action(detail=True, methods=["get"])
    def files(self, request: Request, pk: str) -> Response:
        package = self._package(pk)
        with self._shown(request, package):
            page = self.paginate_queryset(package.files.all())
            return self.get_paginated_response(AIPFileSerializer(page, many=True).data)

    @extend_schema(summary="The validation report as a receipt (JSON download)",
                   responses={200: OpenApiResponse(description="The receipt."),
                              **problem_responses(401, 403, 404)})
    @action(detail=True, methods=["get"])
    def receipt(self, request: Request, pk: str) -> Response:
        package = self._package(pk)
        with self._shown(request, package):
            response = Response(receipt(package))
        response["Content-Disposition"] = f'attachment; filename="receipt-{package.pk}.json"'
        return response

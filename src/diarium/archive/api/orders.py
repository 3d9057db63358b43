"""/api/v1/archive/dip-orders/ and /api/v1/archive/deliveries/: ordering DIPs, the secrecy
review, delivery and download, for archivists of the package's archive creator."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.archive import selectors
from diarium.archive.dip import services
from diarium.archive.dip.builder import dip_dir
from diarium.archive.models import ArchiveRecord, Delivery, DipOrder, SecrecyReview
from diarium.archive.tasks import start_dip_build
from diarium.core.jobs.api import JobSerializer, accepted
from diarium.core.problems import problem_responses
from diarium.core.renderers import PassthroughRenderer

from .common import ArchivistOnly, lookup
from .order_serializers import (
    DeliverySerializer,
    DipMaskedFileSerializer,
    DipOrderInput,
    DipOrderSerializer,
    MaskedFileInput,
    SecrecyReviewInput,
)

ERRORS = problem_responses(400, 401, 403, 404)


def _records(rows, identifiers: list[str]) -> list[ArchiveRecord]:
    found = [r for r in rows if r.identifier in set(identifiers)]
    missing = set(identifiers) - {r.identifier for r in found}
    if missing:
        raise exceptions.ValidationError({"records": [f"No record {i!r} here."
                                                      for i in sorted(missing)]})
    return found


@extend_schema_view(
    list=extend_schema(summary="List DIP orders", responses={
        200: DipOrderSerializer(many=True), **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a DIP order", responses={
        200: DipOrderSerializer, **problem_responses(401, 403, 404)}),
    create=extend_schema(summary="Order a DIP (the whole package or chosen records/files)",
                         request=DipOrderInput, responses={201: DipOrderSerializer, **ERRORS}),
)
class DipOrderViewSet(ArchivistOnly, viewsets.GenericViewSet):
    """Orders for dissemination packages (E-ARK DIP). Restricted records must be reviewed
    (release, release with masked parts, refuse) before the order can be delivered."""

    queryset = DipOrder.objects.none()
    serializer_class = DipOrderSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _order(self, pk: str) -> DipOrder:
        return lookup(selectors.order_detail, self.request.user, pk)

    def _show(self, order: DipOrder, code: int = status.HTTP_200_OK) -> Response:
        fresh = DipOrder.objects.select_related("ordered_by").prefetch_related(
            "records", Prefetch("reviews", SecrecyReview.objects.select_related(
                "record", "reviewer").prefetch_related("masked_files__content")),
        ).get(pk=order.pk)
        return Response(DipOrderSerializer(fresh).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.orders(request.user).prefetch_related(
            "records", "reviews__reviewer", "reviews__record"))
        return self.get_paginated_response(DipOrderSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._show(self._order(pk))

    def create(self, request: Request) -> Response:
        given = DipOrderInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        package = lookup(selectors.package_detail, request.user, data["package"])
        records = _records(package.records.all(), data["records"]) if data["records"] else []
        order = services.order_dip(request.user, package, recipient=data["recipient"],
                                   purpose=data["purpose"], records=records,
                                   paths=data["paths"])
        return self._show(order, status.HTTP_201_CREATED)

    @extend_schema(summary="Record the secrecy review of restricted records",
                   request=SecrecyReviewInput, responses={200: DipOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        given = SecrecyReviewInput(data=request.data)
        given.is_valid(raise_exception=True)
        decisions = given.validated_data["decisions"]
        rows = _records(order.records.all(), [d["record"] for d in decisions])
        by_identifier = {}
        for row in rows:
            by_identifier.setdefault(row.identifier, []).append(row)
        items = [services.ReviewItem(row, d["decision"], d["note"])
                 for d in decisions for row in by_identifier[d["record"]]]
        return self._show(services.review(request.user, order, items))

    @extend_schema(summary="Add a masked copy of a record's file (release with masked parts)",
                   request={"multipart/form-data": MaskedFileInput},
                   responses={201: DipMaskedFileSerializer, **ERRORS})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def masked(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        given = MaskedFileInput(data=request.data)
        given.is_valid(raise_exception=True)
        record = _records(order.records.all(), [given.validated_data["record"]])[0]
        upload = given.validated_data["file"]
        masked = services.add_masked_file(request.user, order, record, upload,
                                          upload.name or "maskerad", upload.content_type)
        return Response(DipMaskedFileSerializer(masked).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Build and deliver the DIP of a reviewed order",
                   description="Queues the build and answers 202 with the job (its URL in "
                   "`Location`); the job's result names the delivery. An order already "
                   "delivered answers 200 with its delivery.",
                   request=None, responses={202: JobSerializer, 200: DeliverySerializer,
                                            **ERRORS})
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        earlier = Delivery.objects.filter(order=order).first()
        if earlier is not None:
            return Response(DeliverySerializer(earlier).data)
        services.check_deliverable(request.user, order)
        return accepted(start_dip_build(request.user, order))


@extend_schema_view(
    list=extend_schema(summary="The log of deliveries", responses={
        200: DeliverySerializer(many=True), **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a delivery", responses={
        200: DeliverySerializer, **problem_responses(401, 403, 404)}),
)
class DeliveryViewSet(ArchivistOnly, viewsets.GenericViewSet):
    """Deliveries (utlämnanden) of DIPs: every one is logged with its files' checksums."""

    queryset = Delivery.objects.none()
    serializer_class = DeliverySerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.deliveries(request.user).prefetch_related(
            "order__reviews__reviewer"))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(DeliverySerializer(
            lookup(selectors.delivery_detail, request.user, pk)).data)

    @extend_schema(summary="Download the DIP (ZIP)", responses={
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
        **problem_responses(401, 403, 404)})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PassthroughRenderer])
    def download(self, request: Request, pk: str) -> FileResponse:
        delivery = lookup(selectors.delivery_detail, request.user, pk)
        path = dip_dir() / delivery.file_name
        if not path.is_file():
            raise exceptions.NotFound("The DIP file is no longer on the server.")
        services.note_download(request.user, delivery)
        return FileResponse(path.open("rb"), as_attachment=True, filename=delivery.file_name,
                            content_type="application/zip")

"""/api/v1/documents/: list, register (with files), read, void, and file downloads."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core import idempotency
from diarium.core.problems import problem_responses
from diarium.core.renderers import PassthroughRenderer
from diarium.documents.services import open_content
from diarium.registry import disposal_services, naming, selectors, services
from diarium.registry.api import common, inputs
from diarium.registry.api import plan_serializers as plan
from diarium.registry.api.filters import DocumentFilter
from diarium.registry.api.serializers import DocumentSerializer
from diarium.registry.api.signature_views import SignatureActions
from diarium.registry.api.version_views import VersionActions
from diarium.registry.models import Document, DocumentStatus


@extend_schema_view(
    list=extend_schema(
        summary="List documents", parameters=[DocumentFilter],
        responses={200: DocumentSerializer(many=True), **problem_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Register a document in a case, with its files",
        description="Send multipart/form-data to upload files (one `files` part per file). "
        "File names are reduced to their last path component and shortened to fit.",
        request=inputs.DocumentCreateInput, parameters=[idempotency.PARAMETER],
        responses={201: DocumentSerializer, **problem_responses(400, 401, 403, 404, 409, 413)},
    ),
    retrieve=extend_schema(
        summary="Read a document",
        responses={200: DocumentSerializer, **problem_responses(400, 401, 404)},
    ),
)
class DocumentViewSet(VersionActions, SignatureActions, viewsets.GenericViewSet):
    """Registered documents (handlingar), numbered within their case (`KS 2026/42:3`)."""

    queryset = Document.objects.none()  # for the schema; reads go through the selectors
    serializer_class = DocumentSerializer

    def get_object(self) -> Document:
        return common.lookup(selectors.get_document, self.request.user, self.kwargs["pk"])

    def _show(self, doc: Document, code: int = status.HTTP_200_OK, shown: bool = True) -> Response:
        fresh = common.fresh_document(self.request.user, doc)
        return Response(common.present_document(self.request, fresh, shown=shown), status=code)

    def list(self, request: Request) -> Response:
        filters = DocumentFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        visible = common.with_document_details(selectors.visible_documents(request.user))
        qs = filters.apply(request.user, visible)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(common.present_documents(request, page))

    def create(self, request: Request) -> Response:
        replayed = idempotency.replay(request)
        if replayed is not None:
            return replayed
        given = inputs.DocumentCreateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        case = common.lookup(selectors.get_case, request.user, given.validated_data["case"])
        services.require_may_add(request.user, case)  # before the upload is stored
        data = given.document_data()
        # File content is stored (and hashed) before the transaction that registers.
        stored = services.store_uploads(request.user, (
            services.Upload(f, f.name, f.content_type) for f in given.validated_data["files"]
        ))

        def create() -> Response:
            doc = services.register_stored_document(request.user, case, data, stored)
            return self._show(doc, status.HTTP_201_CREATED, shown=False)

        return idempotency.run(request, create)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._show(self.get_object())

    @extend_schema(
        summary="Void a document (makulera) with a reason", request=inputs.VoidInput,
        responses={200: DocumentSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        given = inputs.VoidInput(data=request.data)
        given.is_valid(raise_exception=True)
        reason = given.validated_data["reason"]
        return self._show(services.void_document(request.user, self.get_object(), reason))

    @extend_schema(
        summary="Correct the document's record type",
        description="The rule is the one in force when the document was registered; the "
        "disposal date is recomputed. For the authority's registry and archivists.",
        request=plan.RecordTypeInput,
        responses={200: DocumentSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="record-type")
    def record_type(self, request: Request, pk: str) -> Response:
        given = plan.RecordTypeInput(data=request.data)
        given.is_valid(raise_exception=True)
        doc = disposal_services.set_record_type(
            request.user, self.get_object(), given.validated_data["record_type"] or None
        )
        return self._show(doc)

    @extend_schema(
        summary="Record that the document is no longer current (inaktualitet)",
        description="Rules counted from inaktualitet then give a disposal date. For the "
        "authority's registry and archivists.",
        request=inputs.NoLongerCurrentInput,
        responses={200: DocumentSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="no-longer-current")
    def no_longer_current(self, request: Request, pk: str) -> Response:
        given = inputs.NoLongerCurrentInput(data=request.data)
        given.is_valid(raise_exception=True)
        doc = disposal_services.mark_no_longer_current(
            request.user, self.get_object(), given.validated_data["date"]
        )
        return self._show(doc)

    @extend_schema(
        summary="Download a file's bytes",
        parameters=[OpenApiParameter("file_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The bytes, with the file's MIME type and its original name in "
                "Content-Disposition.",
            ),
            **problem_responses(400, 401, 404),
        },
    )
    @action(
        detail=True, methods=["get"], url_path=r"files/(?P<file_id>[^/.]+)/download",
        renderer_classes=[JSONRenderer, PassthroughRenderer],
    )
    def download(self, request: Request, pk: str, file_id: str) -> FileResponse:
        doc = self.get_object()
        with common.page(request) as shown:
            if not shown.show_document(doc):
                raise NotFound()
            file = common.lookup(lambda: selectors.document_files(doc).get(pk=file_id))
            if doc.status == DocumentStatus.DISPOSED:
                raise NotFound("The document is disposed of; its files are destroyed.")
        return FileResponse(
            open_content(file.content), as_attachment=True, filename=naming.file_name(file),
            content_type=file.mime_type,
        )
